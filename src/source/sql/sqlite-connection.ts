import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { readOnly, type SqlConnection, type SqlRow } from './connection';

export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
}

/**
 * Opens a SmarterTrack SQLite database read-only through node-sqlite3-wasm (pure WASM, so it runs
 * in VS Code's Electron as well as in Node). The returned connection refuses anything but SELECT.
 */
export function openSqlite(file: string): SqlConnection {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new SourceNotFoundError(`SQLite database not found: ${absolute}`);
  }
  const db = new Database(absolute, { readOnly: true });
  const raw: SqlConnection = {
    engine: 'sqlite',
    location: absolute,
    query(sql, params = []) {
      try {
        return Promise.resolve(db.all(sql, params as never) as SqlRow[]);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close() {
      if (db.isOpen) db.close();
      return Promise.resolve();
    },
  };
  return readOnly(raw);
}
