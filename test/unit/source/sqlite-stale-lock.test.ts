import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqlite } from '../../../src/source/sql/sqlite-connection';

test('a lock folder left by a killed reader does not stop the next one: it reads a private snapshot', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-stale-lock-'));
  try {
    const file = path.join(dir, 'smartertrack.db');
    const db = new Database(file);
    db.exec("CREATE TABLE st_Tickets (TicketID INTEGER PRIMARY KEY, Subject TEXT); INSERT INTO st_Tickets VALUES (1, 'Printer on fire');");
    db.close();
    // node-sqlite3-wasm takes its lock by creating "<file>.lock"; SIGKILL leaves it there.
    mkdirSync(`${file}.lock`);
    const connection = openSqlite(file);
    try {
      assert.deepEqual(await connection.query('SELECT Subject FROM st_Tickets'), [{ Subject: 'Printer on fire' }]);
      assert.match((connection.notes ?? []).join('\n'), /locked .*private snapshot/);
    } finally {
      await connection.close();
    }
    assert.ok(existsSync(`${file}.lock`), "someone else's lock is left alone");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock that appears while reading (a reader killed meanwhile) is waited for, then read around', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-stale-lock-'));
  try {
    const file = path.join(dir, 'smartertrack.db');
    const db = new Database(file);
    db.exec("CREATE TABLE st_Tickets (TicketID INTEGER PRIMARY KEY, Subject TEXT); INSERT INTO st_Tickets VALUES (1, 'Printer on fire');");
    db.close();
    const connection = openSqlite(file);
    try {
      assert.equal((await connection.query('SELECT COUNT(*) AS n FROM st_Tickets'))[0]?.n, 1);
      mkdirSync(`${file}.lock`);
      assert.deepEqual(await connection.query('SELECT Subject FROM st_Tickets'), [{ Subject: 'Printer on fire' }]);
      assert.match((connection.notes ?? []).join('\n'), /locked .*private snapshot/);
    } finally {
      await connection.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
