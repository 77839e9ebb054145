/**
 * What differs between SQL engines, kept in one seam so a new engine (SQL Server, later MySQL or
 * PostgreSQL) only adds a dialect and a connection; the reader's queries are built through it.
 */
interface SelectPage {
  select: string[];
  from: string;
  where: string[];
  orderBy: string[];
  /** Page size; rendered as a bound parameter at index `limitParam`. */
  limitParam: number;
}

export interface SqlDialect {
  readonly engine: 'sqlite' | 'mssql';
  quote(identifier: string): string;
  /** Placeholder of the n-th (1-based) parameter. */
  param(n: number): string;
  /** A keyset page: the first `limit` rows after the WHERE conditions, in ORDER BY order. */
  selectPage(page: SelectPage): string;
  /** Character length of a text expression. */
  length(expr: string): string;
  /** How a text column is selected so that its whole value reaches the reader. */
  readText(expr: string): string;
  /** One query listing every table and view with its columns, as rows (table_name, column_name). */
  readonly catalogSql: string;
}

function where(conditions: string[]): string {
  return conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
}

export const sqliteDialect: SqlDialect = {
  engine: 'sqlite',
  quote: (id) => `"${id.replace(/"/g, '""')}"`,
  param: () => '?',
  selectPage: (p) =>
    `SELECT ${p.select.join(', ')} FROM ${p.from}${where(p.where)} ORDER BY ${p.orderBy.join(', ')} LIMIT ?`,
  length: (expr) => `LENGTH(${expr})`,
  // node-sqlite3-wasm hands text over as a C string, so a value is cut at its first NUL before any
  // code sees it ("Hello\0world" → "Hello"). Its bytes as a BLOB arrive whole and are decoded as
  // UTF-8 (the encoding of SmarterTrack's SQLite databases) in row-values.ts.
  readText: (expr) => `CAST(${expr} AS BLOB)`,
  catalogSql:
    'SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p ' +
    "WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
};

/** T-SQL: TOP (@n) instead of LIMIT; keyset paging needs no OFFSET. */
export const mssqlDialect: SqlDialect = {
  engine: 'mssql',
  quote: (id) => `[${id.replace(/]/g, ']]')}]`,
  param: (n) => `@p${n}`,
  selectPage: (p) =>
    `SELECT TOP (@p${p.limitParam}) ${p.select.join(', ')} FROM ${p.from}${where(p.where)} ORDER BY ${p.orderBy.join(', ')}`,
  // LEN ignores trailing spaces; spaces turned into another character count like SQLite's LENGTH.
  length: (expr) => `LEN(REPLACE(${expr}, ' ', '_'))`,
  // tedious returns NVARCHAR values whole, NULs included.
  readText: (expr) => expr,
  catalogSql:
    'SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM INFORMATION_SCHEMA.COLUMNS ' +
    'ORDER BY TABLE_NAME, ORDINAL_POSITION',
};
