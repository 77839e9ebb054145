import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Database } from 'node-sqlite3-wasm';

import { messageOf } from '../../model/error-message';
import { readOnly, type SqlConnection, type SqlRow } from './connection';
import {
  describeWriter,
  type FileState,
  type Observation,
  observe,
  readHeader,
  sameState,
  SourceBusyError,
  SourceCorruptError,
  SourceUnreadableError,
} from './sqlite-files';
import { shieldDatabase } from './sqlite-fs-shim';

export { SourceBusyError, SourceCorruptError, SourceNotFoundError, SourceUnreadableError } from './sqlite-files';

export interface SqliteOptions {
  /** How long to wait for another process's write to end, at open and before any statement (default 10 s). */
  busyWaitMs?: number;
  /** Told once per wait that the reader is waiting, and why. */
  onNotice?: (message: string) => void;
}

const DEFAULT_BUSY_WAIT_MS = 10_000;
const POLL_MS = [20, 50, 100, 200, 250];

/**
 * Opens a SmarterTrack SQLite database read-only through node-sqlite3-wasm (SQLite in WebAssembly:
 * the same build runs in VS Code's Electron extension host and in Node, no native module).
 *
 * That build cannot take SQLite's file locks (Node exposes neither fcntl nor LockFileEx), so it
 * would read a writer's uncommitted pages. Every statement is therefore read optimistically, like
 * a seqlock: the files are observed before it (no journal in use, no WAL with frames: else wait,
 * then refuse with SourceBusyError) and after it (same size, times, inode and header); a statement
 * during which anything changed is read again. The rows returned come from one committed state of
 * the file. A commit between two statements is seen by the next one (its page cache is dropped)
 * and noted. The customer's folder is never written: no lock folder, no copy, no temp file
 * (sqlite-fs-shim.ts), so a killed process leaves nothing behind.
 */
export async function openSqlite(file: string, options: SqliteOptions = {}): Promise<SqlConnection> {
  const absolute = path.resolve(file);
  const header = readHeader(absolute); // not found, not SQLite, damaged header: before anything else
  const busyWaitMs = options.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
  const notes: string[] = [];
  if (header.walMode) notes.push('the database is in WAL mode with an empty -wal file: read in place, read-only');
  const release = shieldDatabase(absolute, { walHeader: header.walMode });
  let db: Database | null = null;
  let last: FileState | null = null;
  let changedNoted = false;

  const openDb = () => {
    if (db?.isOpen) db.close();
    db = null;
    try {
      db = new Database(absolute, { readOnly: true });
    } catch (error) {
      throw new SourceUnreadableError(`cannot open ${absolute}: ${messageOf(error)}`);
    }
    return db;
  };

  const noteChange = () => {
    if (changedNoted) return;
    notes.push(
      'the database changed while it was read (another process committed): each statement read committed data, later ones the newer state',
    );
    changedNoted = true;
  };

  /** Waits while a writer is at work; throws SourceBusyError once busyWaitMs is spent. */
  const quiet = async (deadline: number): Promise<Observation> => {
    let told = false;
    for (let i = 0; ; i++) {
      const seen = observe(absolute);
      if (!seen.writer) return seen;
      const why = `${absolute}: ${describeWriter(seen.writer)}`;
      if (performance.now() >= deadline) {
        throw new SourceBusyError(
          `${why} (is SmarterTrack running?): stop SmarterTrack and try again; if it is stopped, open the database once with SmarterTrack ` +
            'or the sqlite3 tool to finish the interrupted write (st2ic only reads the source), or read a backup copy.',
        );
      }
      if (!told) {
        options.onNotice?.(`${why}: waiting up to ${Math.round(busyWaitMs / 1000)} s for the writer to finish`);
        told = true;
      }
      await sleep(POLL_MS[Math.min(i, POLL_MS.length - 1)]!);
    }
  };

  const query = async (sql: string, params: readonly unknown[] = []): Promise<SqlRow[]> => {
    const deadline = performance.now() + busyWaitMs;
    for (;;) {
      const before = await quiet(deadline);
      if (!db || (last && !sameState(before.state, last))) {
        // Another process committed since the last statement: SQLite's page cache may be stale
        // (in WAL mode the change counter is not kept), so start a fresh connection.
        if (db) noteChange();
        openDb();
      }
      let rows: SqlRow[] | undefined;
      let failure: unknown;
      try {
        rows = db!.all(sql, params as never) as SqlRow[];
      } catch (error) {
        failure = error;
      }
      const after = observe(absolute);
      if (after.writer || !sameState(after.state, before.state)) {
        // A writer came and went while the statement read: what it read may mix two states, and
        // the page cache may hold pages of either. Read again on a fresh connection.
        noteChange();
        closeQuietly(db);
        db = null;
        last = null;
        if (performance.now() < deadline) {
          await sleep(POLL_MS[0]!);
          continue;
        }
        throw new SourceBusyError(
          `${absolute} kept changing while it was read (another process is writing: is SmarterTrack running?): stop SmarterTrack, or read a backup copy, and try again.`,
        );
      }
      last = after.state;
      if (failure !== undefined) throw classify(failure, absolute);
      return rows!;
    }
  };

  try {
    // The first statement checks the schema pages: a damaged file fails here, with one line.
    await query('SELECT COUNT(*) AS n FROM sqlite_master');
  } catch (error) {
    closeQuietly(db);
    release();
    throw error;
  }

  const raw: SqlConnection = {
    engine: 'sqlite',
    location: absolute,
    notes,
    query,
    close() {
      closeQuietly(db);
      db = null;
      release();
      return Promise.resolve();
    },
  };
  return readOnly(raw);
}

/** SQLite's words for a damaged file become SourceCorruptError; anything else (a bug in our SQL) is left as it is. */
function classify(error: unknown, file: string): Error {
  const message = messageOf(error);
  if (/malformed|file is not a database|not a database|disk I\/O error|database corrupt/i.test(message)) {
    return new SourceCorruptError(
      `${file} is damaged (SQLite: ${message}): restore it from a backup, or check a copy with the sqlite3 tool's PRAGMA integrity_check`,
    );
  }
  return error instanceof Error ? error : new Error(message);
}

function closeQuietly(db: Database | null): void {
  try {
    if (db?.isOpen) db.close();
  } catch {
    // closing a read-only connection has nothing to lose
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
