import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { readOnly, type SqlConnection, type SqlRow } from './connection';

export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
}

/** The file cannot be read as it is (not SQLite, or a WAL database with changes not yet checkpointed). */
export class SourceUnreadableError extends Error {
  override readonly name = 'SourceUnreadableError';
}

const SQLITE_MAGIC = 'SQLite format 3\0';
/** Waits between retries of a statement that found the database locked (about 1.5 s in all). */
const LOCK_RETRIES_MS = [10, 20, 40, 80, 160, 320, 400, 500];

/**
 * Opens a SmarterTrack SQLite database read-only through node-sqlite3-wasm (pure WASM, so it runs
 * in VS Code's Electron as well as in Node). The returned connection refuses anything but SELECT.
 *
 * node-sqlite3-wasm has no shared memory, so it cannot open a database in WAL mode. Such a file is
 * read from a private snapshot: a copy whose header says "rollback journal" (bytes 18-19), which is
 * the same database as long as no -wal file holds un-checkpointed pages; if one does (SmarterTrack
 * still running), reading stops with a clear message instead of missing recent changes.
 */
export function openSqlite(file: string): SqlConnection {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new SourceNotFoundError(`SQLite database not found: ${absolute}`);
  }
  const header = readHeader(absolute);
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new SourceUnreadableError(`not a SQLite database: ${absolute}`);
  }
  const notes: string[] = [];
  let target = absolute;
  let snapshotDir: string | null = null;
  const takeSnapshot = () => {
    snapshotDir = mkdtempSync(path.join(tmpdir(), 'st2ic-snapshot-'));
    target = path.join(snapshotDir, path.basename(absolute));
    copyFileSync(absolute, target);
    // Rollback-journal mode in the copy's header (bytes 18-19): readable without shared memory.
    const fd = openSync(target, 'r+');
    try {
      writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
    } finally {
      closeSync(fd);
    }
  };
  const dropSnapshot = () => {
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  };
  if (header[18] === 2 || header[19] === 2) {
    const wal = `${absolute}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new SourceUnreadableError(
        `${absolute} is in WAL mode and ${path.basename(wal)} holds changes not yet written to the database ` +
          '(is SmarterTrack still running?). Stop SmarterTrack, or back up the database, and try again.',
      );
    }
    takeSnapshot();
    notes.push('the database is in WAL mode: read from a private snapshot copy (the original is not touched)');
  }

  let db: Database;
  const openTarget = () => {
    try {
      return new Database(target, { readOnly: true });
    } catch (error) {
      dropSnapshot();
      throw new SourceUnreadableError(`cannot open ${absolute}: ${(error as Error).message}`);
    }
  };
  /**
   * node-sqlite3-wasm locks with a "<file>.lock" folder: another reader holds it for a statement, and
   * a killed process leaves it behind for good. A lock that outlasts a few retries is treated as the
   * latter: the file is read from a private copy from then on (it is a read-only source).
   */
  db = openTarget();
  const switchToSnapshot = () => {
    if (db.isOpen) db.close();
    takeSnapshot();
    notes.push(`the database is locked (${path.basename(absolute)}.lock: another reader, or one that was killed): read from a private snapshot copy`);
    db = openTarget();
  };
  if (!snapshotDir && isLocked(db)) {
    let still = true;
    for (const ms of LOCK_RETRIES_MS) {
      sleepSync(ms);
      if (!(still = isLocked(db))) break;
    }
    if (still) switchToSnapshot();
  }
  const raw: SqlConnection = {
    engine: 'sqlite',
    location: absolute,
    notes,
    async query(sql, params = []) {
      for (let attempt = 0; ; attempt++) {
        try {
          return db.all(sql, params as never) as SqlRow[];
        } catch (error) {
          const locked = error instanceof Error && /database is locked/i.test(error.message);
          if (!locked) throw error instanceof Error ? error : new Error(String(error));
          if (snapshotDir) throw error;
          if (attempt >= LOCK_RETRIES_MS.length) switchToSnapshot();
          else await new Promise((resolve) => setTimeout(resolve, LOCK_RETRIES_MS[attempt]));
        }
      }
    },
    close() {
      if (db.isOpen) db.close();
      dropSnapshot();
      return Promise.resolve();
    },
  };
  return readOnly(raw);
}

/** openSqlite is synchronous: the few short waits before treating a lock as stale block. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isLocked(db: Database): boolean {
  try {
    db.all('SELECT 1 FROM sqlite_master LIMIT 1');
    return false;
  } catch (error) {
    if (/database is locked/i.test((error as Error).message)) return true;
    throw error;
  }
}

function readHeader(file: string): Buffer {
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}
