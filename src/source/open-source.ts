import type { SourceReader } from './reader';
import { SoapClient } from './soap/soap-client';
import { SoapSourceReader, type SoapReaderOptions } from './soap/soap-reader';
import { describeSourceUrl, type SourceUrl } from './source-url';
import { sqliteDialect } from './sql/dialect';
import { openSqlite } from './sql/sqlite-connection';
import { createSqlReader } from './sql/sql-reader';

export class SourceNotSupportedError extends Error {
  override readonly name = 'SourceNotSupportedError';
}

/** A source that needs credentials was given none. */
export class SourceCredentialsError extends Error {
  override readonly name = 'SourceCredentialsError';
}

export interface OpenSourceOptions {
  /** SQL: the App_Data-like folder of attachment files. Web Services: the download cache (default: a temporary folder). */
  attachmentsRoot?: string | null;
  tablePrefix?: string;
  pageSize?: number;
  /** Web Services password; default SMARTERTRACK_PASSWORD. Never part of the URL. */
  password?: string;
  /** Web Services user when the URL carries none; default SMARTERTRACK_USER. */
  user?: string;
  /** Web Services: force the services root ('Services2' or 'Services') instead of probing. */
  servicesRoot?: string;
  soap?: Omit<SoapReaderOptions, 'attachmentsRoot'>;
}

/** Opens a reader for a parsed --source. SQLite and the Web Services are implemented; SQL Server not yet. */
export async function openSource(source: SourceUrl, options: OpenSourceOptions = {}): Promise<SourceReader> {
  switch (source.kind) {
    case 'sqlite': {
      const connection = openSqlite(source.path);
      try {
        return await createSqlReader(connection, sqliteDialect, options);
      } catch (error) {
        await connection.close();
        throw error;
      }
    }
    case 'soap':
      return openSoap(source, options);
    case 'mssql':
      throw new SourceNotSupportedError(`${describeSourceUrl(source)}: not supported yet (sqlite:<path> and https://user@site are)`);
  }
}

async function openSoap(source: Extract<SourceUrl, { kind: 'soap' }>, options: OpenSourceOptions): Promise<SourceReader> {
  const user = source.user ?? options.user ?? process.env.SMARTERTRACK_USER;
  if (!user) throw new SourceCredentialsError(`${describeSourceUrl(source)}: no user; give it in the URL (https://user@site) or in SMARTERTRACK_USER`);
  const password = options.password ?? process.env.SMARTERTRACK_PASSWORD;
  if (!password) throw new SourceCredentialsError(`${describeSourceUrl(source)}: no password for "${user}"; set SMARTERTRACK_PASSWORD`);
  const client = new SoapClient({ baseUrl: source.baseUrl, user, password, ...(options.servicesRoot ? { servicesRoot: options.servicesRoot } : {}) });
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
