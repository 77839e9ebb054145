import { DEFAULT_TABLE_PREFIX } from '../../model/smartertrack-codes';
import { SourceAccessError } from '../errors';
import type { SqlConnection } from './connection';
import type { SqlDialect } from './dialect';
import { type LogicalTable, SCHEMA } from './schema-spec';

export interface FoundTable {
  readonly logical: LogicalTable;
  readonly name: string;
  /** Lower-cased column name → the database's spelling. */
  readonly columns: ReadonlyMap<string, string>;
}

export class SchemaError extends SourceAccessError {
  override readonly name = 'SchemaError';
}

/** The tables and columns of one database, matched against SCHEMA under one table prefix. */
export class Catalog {
  constructor(
    readonly prefix: string,
    readonly tables: ReadonlyMap<LogicalTable, FoundTable>,
    /** Every table in the database: name → column names (for describe and version hints). */
    readonly allTables: ReadonlyMap<string, readonly string[]>,
  ) {}

  has(table: LogicalTable): boolean {
    return this.tables.has(table);
  }

  /** The database's name of a table, or null if it does not exist. */
  tableName(table: LogicalTable): string | null {
    return this.tables.get(table)?.name ?? null;
  }

  /** The database's spelling of a column, or null if the table or column does not exist. */
  column(table: LogicalTable, column: string): string | null {
    return this.tables.get(table)?.columns.get(column.toLowerCase()) ?? null;
  }

  get missingOptionalTables(): string[] {
    return (Object.keys(SCHEMA) as LogicalTable[]).filter((t) => !this.tables.has(t)).map((t) => this.prefix + t);
  }

  get missingOptionalColumns(): string[] {
    const out: string[] = [];
    for (const [logical, found] of this.tables) {
      for (const column of Object.keys(SCHEMA[logical].columns)) {
        if (!found.columns.has(column.toLowerCase())) out.push(`${found.name}.${column}`);
      }
    }
    return out;
  }
}

export async function discoverCatalog(
  connection: SqlConnection,
  dialect: SqlDialect,
  options: { tablePrefix?: string } = {},
): Promise<Catalog> {
  // A prefix is part of every table name in every query: only what SmarterTrack allows in one.
  if (options.tablePrefix !== undefined && !/^[A-Za-z0-9_]*$/.test(options.tablePrefix)) {
    throw new SchemaError(
      `table prefix "${options.tablePrefix}" is not valid: a SmarterTrack table prefix holds only letters, digits and underscores (e.g. st_); leave --prefix out to discover it`,
    );
  }
  const rows = await connection.query(dialect.catalogSql);
  const allTables = new Map<string, string[]>();
  for (const row of rows) {
    const table = String(row.table_name);
    const column = String(row.column_name);
    const list = allTables.get(table) ?? [];
    list.push(column);
    allTables.set(table, list);
  }
  const byLowerName = new Map([...allTables.keys()].map((name) => [name.toLowerCase(), name]));
  const prefix = options.tablePrefix ?? detectPrefix([...byLowerName.keys()]);

  const tables = new Map<LogicalTable, FoundTable>();
  for (const logical of Object.keys(SCHEMA) as LogicalTable[]) {
    const name = byLowerName.get((prefix + logical).toLowerCase());
    if (!name) continue;
    const columns = new Map((allTables.get(name) ?? []).map((c) => [c.toLowerCase(), c]));
    tables.set(logical, { logical, name, columns });
  }

  const missingRequired = (Object.keys(SCHEMA) as LogicalTable[]).filter((t) => SCHEMA[t].required && !tables.has(t));
  if (missingRequired.length > 0) {
    const found =
      allTables.size === 0
        ? 'the database has no tables'
        : `tables found: ${[...allTables.keys()].slice(0, 12).join(', ')}${allTables.size > 12 ? ', …' : ''}`;
    throw new SchemaError(
      `not a SmarterTrack database: required tables missing (prefix "${prefix}"): ${missingRequired.map((t) => prefix + t).join(', ')}; ${found}`,
    );
  }
  const missingKeys: string[] = [];
  for (const [logical, found] of tables) {
    for (const key of SCHEMA[logical].key)
      if (!found.columns.has(key.toLowerCase())) missingKeys.push(`${found.name}.${key}`);
  }
  if (missingKeys.length > 0) throw new SchemaError(`required columns missing: ${missingKeys.join(', ')}`);
  // Report the prefix as the database spells it (detection works on lower-cased names).
  const tickets = tables.get('Tickets')?.name;
  const spelled = tickets ? tickets.slice(0, tickets.length - 'Tickets'.length) : prefix;
  return new Catalog(spelled, tables, allTables);
}

/**
 * The prefix is whatever precedes the core table names (st_ by default, but an admin can change it
 * during a conversion, e.g. hd_Tickets). The candidate that completes most required tables wins,
 * then the one with most known tables, then the default.
 */
export function detectPrefix(lowerTableNames: readonly string[]): string {
  const names = new Set(lowerTableNames);
  const logicals = Object.keys(SCHEMA) as LogicalTable[];
  const candidates = new Set<string>();
  for (const name of names) {
    for (const logical of logicals.filter((t) => SCHEMA[t].required)) {
      const suffix = logical.toLowerCase();
      if (name.endsWith(suffix)) candidates.add(name.slice(0, name.length - suffix.length));
    }
  }
  let best = DEFAULT_TABLE_PREFIX;
  let bestScore: [number, number, number] = [-1, -1, -1];
  for (const prefix of candidates) {
    const present = logicals.filter((t) => names.has((prefix + t).toLowerCase()));
    const score: [number, number, number] = [
      present.filter((t) => SCHEMA[t].required).length,
      present.length,
      prefix.toLowerCase() === DEFAULT_TABLE_PREFIX ? 1 : 0,
    ];
    if (compare(score, bestScore) > 0) {
      best = prefix;
      bestScore = score;
    }
  }
  return best;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
