import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { DATABASE_FILE, generateDataset } from '../fixtures/dataset/generate';
import { type CliRun, describeRun, st2ic } from './cli-run';

/**
 * Issue 14, point 5, through the built CLI (npm run build): a SQLite source that cannot be read as
 * a consistent snapshot ends with exit 2 and one line saying why: a damaged SmarterTrack database,
 * a hot journal, a SQLite file that is not SmarterTrack, a file that is not SQLite.
 */

let dir: string;
let good: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sqlite-cli-'));
  await generateDataset({ outDir: path.join(dir, 'base'), seed: 5, scale: 0.05 });
  good = path.join(dir, 'base', DATABASE_FILE);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function copyOf(name: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const file = path.join(folder, DATABASE_FILE);
  copyFileSync(good, file);
  return file;
}

async function scope(file: string): Promise<CliRun> {
  const workspace = path.join(path.dirname(file), 'workspace');
  mkdirSync(workspace, { recursive: true });
  return st2ic(['scope', '--source', `sqlite:${file}`, '--workspace', workspace]);
}

function assertOneLine(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 2, describeRun(run));
  const lines = run.stderr
    .trim()
    .split('\n')
    .filter((l) => !/waiting up to/.test(l));
  assert.equal(lines.length, 1, describeRun(run));
  assert.match(lines[0]!, pattern, describeRun(run));
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack');
}

test('a damaged SmarterTrack database: exit 2, one line naming the file', async () => {
  const file = copyOf('damaged');
  const db = new Database(file, { readonly: true });
  const root = (
    db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'st_TicketMessages'").get() as { rootpage: number }
  ).rootpage;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const bytes = readFileSync(file);
  bytes.fill(0x5a, (root - 1) * pageSize, root * pageSize);
  writeFileSync(file, bytes);
  assertOneLine(await scope(file), /smartertrack\.db is damaged \(SQLite: .*malformed/);
});

test('a hot journal left by a killed writer: exit 2, one line naming the journal', async () => {
  const file = copyOf('hot');
  const writer = spawn(process.execPath, [
    '-e',
    `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('cache_size = 5');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE st_TicketMessages SET BodyText = 'uncommitted' || hex(randomblob(200))").run();
    console.log('ready');
    setInterval(() => {}, 60000);`,
    file,
  ]);
  let err = '';
  writer.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    writer.stdout.once('data', () => resolve());
    writer.once('exit', (code) => reject(new Error(`the writer ended (${code}) before its transaction: ${err}`)));
  });
  writer.kill('SIGKILL');
  await new Promise<void>((resolve) =>
    writer.exitCode !== null || writer.signalCode !== null ? resolve() : writer.once('exit', () => resolve()),
  );
  const run = await scope(file);
  assertOneLine(run, /smartertrack\.db-journal holds a write in progress, or one interrupted/);
  assert.match(run.stderr, /waiting up to 10 s/, 'the wait is said first');
});

test('a SQLite file that is not SmarterTrack, and a file that is not SQLite: exit 2, one line', async () => {
  const folder = path.join(dir, 'others');
  mkdirSync(folder);
  const other = path.join(folder, 'notes.db');
  const db = new Database(other);
  db.exec('CREATE TABLE notes (a TEXT)');
  db.close();
  assertOneLine(await scope(other), /not a SmarterTrack database/);
  const text = path.join(folder, 'export.csv');
  writeFileSync(text, 'TicketID,Subject\n1,Printer\n');
  assertOneLine(await scope(text), /export\.csv is not a SQLite database/);
});
