import { SourceError } from '../errors';

/** A row as the driver returns it, keyed by column alias. */
export type SqlRow = Record<string, unknown>;

/** The only thing the reader needs from a database driver. */
export interface SqlConnection {
  readonly engine: 'sqlite' | 'mssql';
  /** Where the data comes from, without secrets (a file path, host/database). */
  readonly location: string;
  /** How the data is being read, when it matters to a reader of the reports (e.g. from a snapshot). */
  readonly notes?: readonly string[];
  query(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  close(): Promise<void>;
}

/** A statement that could write: a bug of this code, never sent (not the user's to fix). */
export class WriteRefusedError extends SourceError {
  override readonly name = 'WriteRefusedError';
}

/**
 * The source is read-only (DESIGN.md invariants): only single SELECT statements and catalog reads
 * (PRAGMA without assignment) may reach the driver. Anything else throws before being sent.
 */
export function assertReadOnlySql(sql: string): void {
  const text = stripComments(sql).trim().replace(/;\s*$/, '');
  if (text.includes(';')) throw new WriteRefusedError(`refused to send more than one statement: ${preview(sql)}`);
  const keyword = /^[a-z]+/i.exec(text)?.[0]?.toUpperCase();
  if (keyword === 'SELECT') return;
  if (keyword === 'PRAGMA' && READ_PRAGMA.test(text)) return;
  throw new WriteRefusedError(`refused to send a statement that is not a SELECT: ${preview(sql)}`);
}

/** Catalog pragmas only: `PRAGMA x(value)` can also set values (cache_size, user_version…). */
const READ_PRAGMA =
  /^PRAGMA\s+(?:[a-z_][a-z0-9_]*\s*\.\s*)?(?:table_info|table_xinfo|index_list|index_info|index_xinfo|foreign_key_list)\s*\(\s*['"]?[\w$]+['"]?\s*\)$|^PRAGMA\s+(?:table_list|database_list|schema_version)$/i;

function stripComments(sql: string): string {
  // Comments only; string literals in the reader's own SQL never contain comment markers.
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

function preview(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/** Wraps a connection so every statement is checked by assertReadOnlySql first. */
export function readOnly(connection: SqlConnection): SqlConnection {
  return {
    engine: connection.engine,
    location: connection.location,
    ...(connection.notes ? { notes: connection.notes } : {}),
    query(sql, params) {
      try {
        assertReadOnlySql(sql);
      } catch (error) {
        return Promise.reject(error);
      }
      return connection.query(sql, params);
    },
    close: () => connection.close(),
  };
}
