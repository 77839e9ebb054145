import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import Database from 'better-sqlite3';

import { assertReadOnlySql, readOnly, type SqlConnection, WriteRefusedError } from '../../../src/source/sql/connection';
import { openSqlite, SourceNotFoundError, SourceUnreadableError } from '../../../src/source/sql/sqlite-connection';

test('only single SELECT statements and read-only PRAGMAs pass', () => {
  for (const sql of [
    'SELECT 1',
    '  select * from t',
    '/* c */ SELECT 1;',
    '-- x\nSELECT 1',
    'PRAGMA table_info(t)',
    "PRAGMA main.table_info('st_Users')",
    'PRAGMA table_list',
  ]) {
    assert.doesNotThrow(() => assertReadOnlySql(sql), sql);
  }
  for (const sql of [
    'DELETE FROM t',
    'UPDATE t SET a = 1',
    'INSERT INTO t VALUES (1)',
    'DROP TABLE t',
    'SELECT 1; DELETE FROM t',
    'PRAGMA journal_mode = WAL',
    'PRAGMA user_version(5)',
    'PRAGMA cache_size(100)',
    'PRAGMA writable_schema',
    'WITH x AS (SELECT 1) DELETE FROM t',
    '/* SELECT */ DELETE FROM t',
    'ATTACH DATABASE "x" AS y',
  ]) {
    assert.throws(() => assertReadOnlySql(sql), WriteRefusedError, sql);
  }
});

test('a refused statement never reaches the driver', async () => {
  const sent: string[] = [];
  const inner: SqlConnection = {
    engine: 'sqlite',
    location: 'memory',
    query: (sql) => {
      sent.push(sql);
      return Promise.resolve([]);
    },
    close: () => Promise.resolve(),
  };
  const guarded = readOnly(inner);
  await assert.rejects(guarded.query('DELETE FROM st_Tickets'), WriteRefusedError);
  await guarded.query('SELECT 1');
  assert.deepEqual(sent, ['SELECT 1']);
});

test('the SQLite connection is read-only and says when the file is missing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-ro-'));
  try {
    const file = path.join(dir, 'x.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)');
    db.close();
    const connection = await openSqlite(file);
    assert.deepEqual(await connection.query('SELECT a FROM t WHERE a = ?', [1]), [{ a: 1 }]);
    await assert.rejects(connection.query('INSERT INTO t VALUES (2)'), WriteRefusedError);
    await connection.close();
    const check = new Database(file, { readonly: true });
    assert.equal((check.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 1);
    check.close();
    await assert.rejects(openSqlite(path.join(dir, 'nope.db')), SourceNotFoundError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a WAL-mode database is read in place, never touched; a -wal holding frames stops the read', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-wal-'));
  try {
    const file = path.join(dir, 'live.db');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2)');
    // The writer is still open: its -wal file holds the rows.
    await assert.rejects(
      openSqlite(file, { busyWaitMs: 200 }),
      (error: Error) =>
        error instanceof SourceUnreadableError &&
        /live\.db-wal holds changes not yet checkpointed.*SmarterTrack running/.test(error.message),
    );
    writer.close(); // checkpoints and removes the -wal file
    const before = readFileSync(file);
    assert.equal(before[18], 2, 'the file is in WAL mode');
    const connection = await openSqlite(file);
    assert.deepEqual(await connection.query('SELECT COUNT(*) AS n FROM t'), [{ n: 2 }]);
    assert.match(connection.notes?.join(' ') ?? '', /WAL mode .*read in place/);
    await connection.close();
    assert.deepEqual(readFileSync(file), before, 'the original is byte for byte unchanged');
    assert.deepEqual(readdirSync(dir), ['live.db']);
    writeFileSync(path.join(dir, 'text.db'), 'hello');
    await assert.rejects(openSqlite(path.join(dir, 'text.db')), /not a SQLite database/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
