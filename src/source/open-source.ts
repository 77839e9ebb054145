import type { SourceReader } from './reader';
import { describeSourceUrl, type SourceUrl } from './source-url';
import { sqliteDialect } from './sql/dialect';
import { openSqlite } from './sql/sqlite-connection';
import { createSqlReader } from './sql/sql-reader';

export class SourceNotSupportedError extends Error {
  override readonly name = 'SourceNotSupportedError';
}

export interface OpenSourceOptions {
  attachmentsRoot?: string | null;
  tablePrefix?: string;
  pageSize?: number;
}

/** Opens a reader for a parsed --source. Only SQLite is implemented so far. */
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
    case 'mssql':
    case 'soap':
      throw new SourceNotSupportedError(`${describeSourceUrl(source)}: not supported yet (only sqlite:<path> is)`);
  }
}
