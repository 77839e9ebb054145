import { SourceAccessError } from './errors';
import type { SourceReader } from './reader';
import { SoapClient } from './soap/soap-client';
import { type SoapReaderOptions, SoapSourceReader } from './soap/soap-reader';
import { describeSourceUrl, type MssqlSourceUrl, type SourceUrl, SourceUrlError } from './source-url';
import type { SqlConnection } from './sql/connection';
import { mssqlDialect, type SqlDialect, sqliteDialect } from './sql/dialect';
import { openMssql } from './sql/mssql-connection';
import { createSqlReader } from './sql/sql-reader';
import { openSqlite } from './sql/sqlite-connection';

export class SourceNotSupportedError extends SourceAccessError {
  override readonly name = 'SourceNotSupportedError';
}

/** A Web Services source was given no user or no password. */
export class SourceCredentialsError extends SourceAccessError {
  override readonly name = 'SourceCredentialsError';
}

/** The environment variable holding the SQL Server / Web Services password when no option gives it. */
const PASSWORD_ENV = 'SMARTERTRACK_PASSWORD';

export interface OpenSourceOptions {
  /** SQL: the App_Data-like folder of attachment files. Web Services: the download cache (default: a temporary folder). */
  attachmentsRoot?: string | null;
  tablePrefix?: string;
  pageSize?: number;
  /** SQL Server or Web Services password; else SMARTERTRACK_PASSWORD from `env`. Never part of the URL. */
  password?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** SQL Server connect timeout (default 15 s). */
  connectTimeoutMs?: number;
  /** Web Services user when the URL carries none; else SMARTERTRACK_USER from `env`. */
  user?: string;
  /** Web Services: force the services root ('Services2' or 'Services') instead of probing. */
  servicesRoot?: string;
  soap?: Omit<SoapReaderOptions, 'attachmentsRoot'>;
  /** SQLite: how long to wait for another process's write to end before refusing (default 10 s). */
  busyWaitMs?: number;
  /** Told when the reader waits (another process writing the SQLite file), once per wait. */
  onNotice?: (message: string) => void;
}

/** Opens a reader for a parsed --source: SQLite files, SQL Server and the hosted Web Services. */
export async function openSource(source: SourceUrl, options: OpenSourceOptions = {}): Promise<SourceReader> {
  switch (source.kind) {
    case 'sqlite':
      return readerOver(
        await openSqlite(source.path, {
          ...(options.busyWaitMs !== undefined ? { busyWaitMs: options.busyWaitMs } : {}),
          ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        }),
        sqliteDialect,
        options,
      );
    case 'mssql':
      return readerOver(await connectMssql(source, options), mssqlDialect, options);
    case 'soap':
      return openSoap(source, options);
  }
}

async function openSoap(
  source: Extract<SourceUrl, { kind: 'soap' }>,
  options: OpenSourceOptions,
): Promise<SourceReader> {
  const env = options.env ?? process.env;
  const user = source.user ?? options.user ?? env.SMARTERTRACK_USER;
  if (!user)
    throw new SourceCredentialsError(
      `${describeSourceUrl(source)}: no user; give it in the URL (https://user@site) or in SMARTERTRACK_USER`,
    );
  const password = options.password ?? env[PASSWORD_ENV];
  if (!password)
    throw new SourceCredentialsError(`${describeSourceUrl(source)}: no password for "${user}"; set ${PASSWORD_ENV}`);
  const client = new SoapClient({
    baseUrl: source.baseUrl,
    user,
    password,
    ...(options.servicesRoot ? { servicesRoot: options.servicesRoot } : {}),
  });
  const reader = new SoapSourceReader(client, { ...options.soap, attachmentsRoot: options.attachmentsRoot ?? null });
  try {
    // Probe the root and check the credentials now, so a wrong URL or password fails at open time.
    await reader.directory();
  } catch (error) {
    await reader.close();
    throw error;
  }
  return reader;
}

async function readerOver(
  connection: SqlConnection,
  dialect: SqlDialect,
  options: OpenSourceOptions,
): Promise<SourceReader> {
  try {
    return await createSqlReader(connection, dialect, options);
  } catch (error) {
    await connection.close();
    throw error;
  }
}

function connectMssql(source: MssqlSourceUrl, options: OpenSourceOptions): Promise<SqlConnection> {
  if (!source.user)
    throw new SourceUrlError(
      `${describeSourceUrl(source)}: name the login, e.g. mssql://reader@${source.host}:${source.port}/SmarterTrack`,
    );
  if (!source.database)
    throw new SourceUrlError(
      `${describeSourceUrl(source)}: name the database, e.g. mssql://${source.user}@${source.host}:${source.port}/SmarterTrack`,
    );
  const password = options.password ?? (options.env ?? process.env)[PASSWORD_ENV];
  if (password === undefined)
    throw new SourceUrlError(`${describeSourceUrl(source)}: no password; set ${PASSWORD_ENV}`);
  return openMssql(
    {
      host: source.host,
      port: source.port,
      database: source.database,
      user: source.user,
      auth: source.auth,
      domain: source.domain,
      encrypt: source.encrypt,
      trustServerCertificate: source.trustServerCertificate,
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    },
    password,
  );
}
