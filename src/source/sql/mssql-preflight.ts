import { messageOf } from '../../model/error-message';
import type { PreflightFacts } from '../../model/source';
import { parseUtcDate } from '../dates';
import type { SqlConnection, SqlRow } from './connection';

/**
 * Pre-flight facts of a SQL Server source, by SELECT only. Each query may be refused (msdb and the
 * sys views need permissions a read-only login may lack): a refusal is reported, never fatal.
 */
const PREFLIGHT_SQL = {
  server:
    "SELECT @@VERSION AS version, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, " +
    "CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition, DB_NAME() AS database_name",
  size:
    'SELECT SUM(CASE WHEN type = 1 THEN 0 ELSE CAST(size AS bigint) END) * 8192 AS data_bytes, ' +
    'SUM(CASE WHEN type = 1 THEN CAST(size AS bigint) ELSE 0 END) * 8192 AS log_bytes FROM sys.database_files',
  lastFullBackup:
    "SELECT TOP (1) backup_finish_date AS finished_at FROM msdb.dbo.backupset WHERE database_name = DB_NAME() AND type = 'D' " +
    'ORDER BY backup_finish_date DESC',
  tableRows:
    'SELECT t.name AS table_name, SUM(p.rows) AS row_count FROM sys.tables t JOIN sys.partitions p ON p.object_id = t.object_id ' +
    'WHERE p.index_id IN (0, 1) AND t.name LIKE @p1 GROUP BY t.name ORDER BY t.name',
} as const;

/** A T-SQL LIKE pattern matching names that start with `prefix` literally. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[[%_]/g, (c) => `[${c}]`)}%`;
}

export async function readMssqlPreflight(connection: SqlConnection, tablePrefix: string): Promise<PreflightFacts> {
  const unavailable: string[] = [];
  const attempt = async (what: string, sql: string, params: unknown[] = []): Promise<SqlRow[] | null> => {
    try {
      return await connection.query(sql, params);
    } catch (error) {
      unavailable.push(`${what}: ${messageOf(error)}`);
      return null;
    }
  };
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  const num = (v: unknown): number | null =>
    v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);

  const server = (await attempt('server version (@@VERSION)', PREFLIGHT_SQL.server))?.[0];
  const size = (await attempt('database size (sys.database_files)', PREFLIGHT_SQL.size))?.[0];
  const backups = await attempt('last full backup (msdb.dbo.backupset)', PREFLIGHT_SQL.lastFullBackup);
  const rows =
    (await attempt('rows per table (sys.partitions)', PREFLIGHT_SQL.tableRows, [prefixPattern(tablePrefix)])) ?? [];
  return {
    serverVersion: text(server?.version),
    productVersion: text(server?.product_version),
    edition: text(server?.edition),
    databaseName: text(server?.database_name),
    dataBytes: num(size?.data_bytes),
    logBytes: num(size?.log_bytes),
    lastFullBackup: backups === null ? null : { finishedAt: parseUtcDate(backups[0]?.finished_at ?? null) },
    tableRows: rows.map((r) => ({ table: String(r.table_name), rows: num(r.row_count) ?? 0 })),
    unavailable,
  };
}
