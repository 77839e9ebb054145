import type { SourceReader } from './reader';
import { describeSourceUrl, SourceUrlError, type MssqlSourceUrl, type SourceUrl } from './source-url';
import type { SqlConnection } from './sql/connection';
import { mssqlDialect, sqliteDialect, type SqlDialect } from './sql/dialect';
import { openMssql } from './sql/mssql-connection';
import { openSqlite } from './sql/sqlite-connection';
import { createSqlReader } from './sql/sql-reader';

export class SourceNotSupportedError extends Error {
  override readonly name = 'SourceNotSupportedError';
}

/** The environment variable holding the SQL Server password when no option gives it. */
export const PASSWORD_ENV = 'SMARTERTRACK_PASSWORD';

export interface OpenSourceOptions {
  attachmentsRoot?: string | null;
  tablePrefix?: string;
  pageSize?: number;
  /** SQL Server password; else SMARTERTRACK_PASSWORD from `env`. */
  password?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** SQL Server connect timeout (default 15 s). */
  connectTimeoutMs?: number;
}

/** Opens a reader for a parsed --source: SQLite files and SQL Server. */
export async function openSource(source: SourceUrl, options: OpenSourceOptions = {}): Promise<SourceReader> {
  switch (source.kind) {
    case 'sqlite':
      return readerOver(openSqlite(source.path), sqliteDialect, options);
    case 'mssql':
      return readerOver(await connectMssql(source, options), mssqlDialect, options);
    case 'soap':
      throw new SourceNotSupportedError(`${describeSourceUrl(source)}: not supported yet (sqlite:<path> and mssql://user@host:port/db are)`);
  }
}

async function readerOver(connection: SqlConnection, dialect: SqlDialect, options: OpenSourceOptions): Promise<SourceReader> {
  try {
    return await createSqlReader(connection, dialect, options);
  } catch (error) {
    await connection.close();
    throw error;
  }
}

function connectMssql(source: MssqlSourceUrl, options: OpenSourceOptions): Promise<SqlConnection> {
  if (!source.user) throw new SourceUrlError(`${describeSourceUrl(source)}: name the login, e.g. mssql://reader@${source.host}:${source.port}/SmarterTrack`);
  if (!source.database) throw new SourceUrlError(`${describeSourceUrl(source)}: name the database, e.g. mssql://${source.user}@${source.host}:${source.port}/SmarterTrack`);
  const password = options.password ?? (options.env ?? process.env)[PASSWORD_ENV];
  if (password === undefined) throw new SourceUrlError(`${describeSourceUrl(source)}: no password; set ${PASSWORD_ENV}`);
  return openMssql(
    {
      host: source.host, port: source.port, database: source.database, user: source.user, auth: source.auth, domain: source.domain,
      encrypt: source.encrypt, trustServerCertificate: source.trustServerCertificate,
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    },
    password,
  );
}
