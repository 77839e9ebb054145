import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { openSqlite, SourceBusyError, SourceCorruptError } from '../../../src/source/sql/sqlite-connection';

/**
 * Issue 14, point 5: the SQLite source is read as a consistent snapshot while another process
 * writes (with real SQLite locks, through better-sqlite3 in a child process), from a read-only
 * folder, leaving nothing behind when killed, and a damaged file is refused with one line.
 */

const ROWS = 3000;
let dir: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-snapshot-test-'));
});
after(() => {
  if (dir) {
    chmodRecursive(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

function chmodRecursive(folder: string): void {
  chmodSync(folder, 0o755);
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) chmodRecursive(full);
  }
}

function makeDb(name: string, mode: 'delete' | 'wal' = 'delete'): string {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const file = path.join(folder, 'smartertrack.db');
  const db = new Database(file);
  if (mode === 'wal') db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(i, `committed ${i} ${'y'.repeat(120)}`);
  })();
  db.close();
  return file;
}

function child(script: string, file: string, env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', path.resolve('test/fixtures/sqlite', script), file], {
    env: { ...process.env, ...env },
  });
}

function line(proc: ChildProcessWithoutNullStreams, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const found = out.split('\n').find((l) => l.startsWith(word));
      if (found) resolve(found);
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code} before "${word}": ${err}`)));
  });
}

/** Ends a writer still running (rolling back), tolerating one that already ended. */
async function stop(writer: ChildProcessWithoutNullStreams): Promise<void> {
  writer.stdin.on('error', () => undefined);
  if (writer.exitCode === null && writer.signalCode === null) writer.stdin.write('rollback\n');
  await exited(writer);
}

const exited = (proc: ChildProcessWithoutNullStreams) =>
  new Promise<void>((resolve) =>
    proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve()),
  );

const titles = `SELECT COUNT(*) AS n, SUM(title LIKE 'uncommitted%') AS u FROM t`;

test('a write transaction of another process with spilled pages: opening waits, then refuses naming the journal', async () => {
  const file = makeDb('open-busy');
  const writer = child('writer.ts', file);
  try {
    await line(writer, 'ready');
    assert.ok(statSync(`${file}-journal`).size > 0, 'the writer journals');
    const notices: string[] = [];
    await assert.rejects(openSqlite(file, { busyWaitMs: 300, onNotice: (m) => notices.push(m) }), (error: Error) => {
      assert.ok(error instanceof SourceBusyError, String(error));
      assert.match(error.message, /smartertrack\.db-journal holds a write in progress.*SmarterTrack running/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, /waiting/);
  } finally {
    await stop(writer);
  }
});

for (const outcome of ['rollback', 'commit'] as const) {
  test(`reading during another process's write waits for it and reads committed rows only (${outcome})`, async () => {
    const file = makeDb(`live-${outcome}`);
    const early = await openSqlite(file, { busyWaitMs: 30_000 });
    const writer = child('writer.ts', file);
    let ended = false;
    const end = () => {
      if (!ended) writer.stdin.write(`${outcome}\n`);
      ended = true;
    };
    try {
      assert.deepEqual(await early.query(titles), [{ n: ROWS, u: 0 }]);
      await line(writer, 'ready');
      // The writer has spilled uncommitted pages into the file. A reader opened now (no page cache
      // to hide them) waits; its notice ends the write.
      const late = await openSqlite(file, { busyWaitMs: 30_000, onNotice: end });
      const expected = [{ n: ROWS, u: outcome === 'commit' ? ROWS : 0 }];
      assert.deepEqual(await late.query(titles), expected, 'all of one committed state, none of an uncommitted one');
      assert.deepEqual(await early.query(titles), expected, 'a connection opened before the write sees the same');
      await late.close();
    } finally {
      await early.close();
      await stop(writer);
    }
  });
}

test('a commit between two statements is read by the next one, in WAL mode too (no stale page cache), and noted', async () => {
  for (const mode of ['delete', 'wal'] as const) {
    const file = makeDb(`between-${mode}`, mode);
    const connection = await openSqlite(file);
    try {
      assert.deepEqual(await connection.query(titles), [{ n: ROWS, u: 0 }], mode);
      const writer = new Database(file);
      writer.exec("UPDATE t SET title = 'uncommitted, then committed' WHERE id <= 10");
      writer.close(); // in WAL mode: checkpointed, the -wal removed
      assert.deepEqual(await connection.query(titles), [{ n: ROWS, u: 10 }], mode);
      assert.match((connection.notes ?? []).join('\n'), /changed while it was read/, mode);
    } finally {
      await connection.close();
    }
  }
});

test('a hot journal left by a killed writer is refused with one line; the files are left as they were', async () => {
  const file = makeDb('hot');
  const writer = child('writer.ts', file);
  await line(writer, 'ready');
  writer.kill('SIGKILL');
  await exited(writer);
  const journal = readFileSync(`${file}-journal`);
  const database = readFileSync(file);
  await assert.rejects(
    openSqlite(file, { busyWaitMs: 100 }),
    (error: Error) =>
      error instanceof SourceBusyError && /-journal holds a write in progress, or one interrupted/.test(error.message),
  );
  assert.deepEqual(readFileSync(`${file}-journal`), journal);
  assert.deepEqual(readFileSync(file), database);
});

test('a read-only database in a read-only folder is read, and the folder is not touched', async () => {
  for (const mode of ['delete', 'wal'] as const) {
    const file = makeDb(`read-only-${mode}`, mode);
    const folder = path.dirname(file);
    chmodSync(file, 0o444);
    chmodSync(folder, 0o555);
    // As root chmod stops nothing: the folder's times show any entry made (a lock folder) even if removed.
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(folder, old, old);
    const listing = readdirSync(folder);
    const connection = await openSqlite(file);
    try {
      assert.deepEqual(await connection.query(titles), [{ n: ROWS, u: 0 }], mode);
      assert.deepEqual(readdirSync(folder), listing, `${mode}: nothing is made beside the database while it is open`);
    } finally {
      await connection.close();
    }
    assert.deepEqual(readdirSync(folder), listing, mode);
    assert.equal(statSync(folder).mtimeMs, old.getTime(), `${mode}: no entry was made and removed in the folder`);
  }
});

test('kill -9 of a reader leaves nothing behind: not beside the database, not in the temp folder', async () => {
  for (const mode of ['delete', 'wal'] as const) {
    const file = makeDb(`killed-${mode}`, mode);
    const temp = path.join(dir, `tmp-${mode}`);
    mkdirSync(temp);
    const before = readdirSync(path.dirname(file));
    const reader = child('reader.ts', file, { TMPDIR: temp, TMP: temp, TEMP: temp });
    assert.match(await line(reader, 'ready'), new RegExp(`"n":${ROWS}`));
    reader.kill('SIGKILL');
    await exited(reader);
    assert.deepEqual(readdirSync(path.dirname(file)), before, mode);
    // tsx (which runs the child) keeps its compile cache there: anything else would be ours.
    assert.deepEqual(
      readdirSync(temp).filter((n) => !n.startsWith('tsx-')),
      [],
      mode,
    );
  }
});

test('a damaged database or a file that is not SQLite is refused with one line', async () => {
  const file = makeDb('damaged');
  const db = new Database(file, { readonly: true });
  const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 't'").get() as { rootpage: number })
    .rootpage;
  db.close();
  const bytes = readFileSync(file);
  bytes.fill(0x5a, (root - 1) * 4096, root * 4096); // the table's root page becomes noise
  writeFileSync(file, bytes);
  const connection = await openSqlite(file);
  try {
    await assert.rejects(
      connection.query(titles),
      (error: Error) =>
        error instanceof SourceCorruptError &&
        /damaged \(SQLite: .*malformed/.test(error.message) &&
        !error.message.includes('\n'),
    );
  } finally {
    await connection.close();
  }
  const header = Buffer.from(readFileSync(file));
  header.writeUInt16BE(1000, 16); // page size
  writeFileSync(file, header);
  await assert.rejects(
    openSqlite(file),
    (error: Error) => error instanceof SourceCorruptError && /header is damaged/.test(error.message),
  );
  writeFileSync(file, 'SmarterTrack export, not a database\n');
  await assert.rejects(
    openSqlite(file),
    (error: Error) => error instanceof SourceCorruptError && /not a SQLite database/.test(error.message),
  );
});
