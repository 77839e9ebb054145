import type { Catalog } from './catalog';
import type { SqlConnection } from './connection';
import type { SqlDialect } from './dialect';
import { parseRow, rowSchema, type TypedRow } from './row-values';
import { type ColumnOf, type ColumnType, type LogicalTable, SCHEMA } from './schema-spec';

/** Collects bound parameters and hands out placeholders in the dialect's style. */
export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.param(this.values.length);
  }
}

interface Selected {
  readonly expr: string;
  readonly type: ColumnType;
}
export type Selection = Record<string, Selected>;
export type RowOf<S extends Selection> = TypedRow<{ [K in keyof S]: S[K]['type'] }>;

export interface PagedSelect<S extends Selection> {
  readonly select: S;
  readonly from: string;
  readonly where?: (p: Params) => string[];
  /** Aliases of `select` that form a unique, non-null ordering key. */
  readonly keys: readonly (keyof S & string)[];
  readonly label: string;
}

/**
 * Query building against the discovered catalog: names are looked up case-insensitively, a missing
 * optional column becomes NULL, and every list is read in keyset pages so memory stays flat.
 */
export class SqlQueries {
  /** Values read leniently (unreadable dates), not yet taken by drainDataWarnings. */
  private warnings: string[] = [];
  private readonly noteUnreadable = (message: string): void => {
    if (this.warnings.length < 1000) this.warnings.push(message);
  };

  constructor(
    readonly connection: SqlConnection,
    readonly dialect: SqlDialect,
    readonly catalog: Catalog,
    readonly pageSize = 1000,
  ) {}

  drainDataWarnings(): string[] {
    const out = this.warnings;
    this.warnings = [];
    return out;
  }

  has(table: LogicalTable): boolean {
    return this.catalog.has(table);
  }

  hasColumn<T extends LogicalTable>(table: T, column: ColumnOf<T>): boolean {
    return this.catalog.column(table, column) !== null;
  }

  /** `"st_Users" u` */
  table(table: LogicalTable, alias: string): string {
    const name = this.catalog.tableName(table);
    if (!name) throw new Error(`table ${this.catalog.prefix}${table} does not exist`);
    return `${this.dialect.quote(name)} ${alias}`;
  }

  /** `u."Email"`, or NULL when the column (or table) is missing. */
  col<T extends LogicalTable>(table: T, column: ColumnOf<T>, alias: string): string {
    const actual = this.catalog.column(table, column);
    return actual ? `${alias}.${this.dialect.quote(actual)}` : 'NULL';
  }

  /** Selected columns of one table, aliased by their reference names. */
  columns<T extends LogicalTable, C extends ColumnOf<T>>(
    table: T,
    alias: string,
    names: readonly C[],
  ): { [K in C]: { expr: string; type: (typeof SCHEMA)[T]['columns'][K] } } {
    const out = {} as Record<C, Selected>;
    const types = SCHEMA[table].columns as Record<string, ColumnType>;
    for (const name of names) out[name] = { expr: this.col(table, name, alias), type: types[name] ?? 'text' };
    return out as { [K in C]: { expr: string; type: (typeof SCHEMA)[T]['columns'][K] } };
  }

  async all<S extends Selection>(
    select: S,
    rest: string,
    build: (p: Params) => string = () => '',
    label = 'query',
  ): Promise<RowOf<S>[]> {
    const p = new Params(this.dialect);
    const tail = build(p);
    const sql = `SELECT ${this.selectList(select)} FROM ${rest}${tail ? ` ${tail}` : ''}`;
    const schema = rowSchema(typesOf(select));
    const rows = await this.connection.query(sql, p.values);
    return rows.map((row) => parseRow(schema, row, label, this.noteUnreadable) as RowOf<S>);
  }

  /** Raw aggregate/scalar query with bound parameters. */
  async raw(build: (p: Params) => string): Promise<Record<string, unknown>[]> {
    const p = new Params(this.dialect);
    const sql = build(p);
    return this.connection.query(sql, p.values);
  }

  async *pages<S extends Selection>(q: PagedSelect<S>): AsyncGenerator<RowOf<S>[]> {
    const schema = rowSchema(typesOf(q.select));
    let after: RowOf<S> | null = null;
    for (;;) {
      const p = new Params(this.dialect);
      const where = q.where ? q.where(p) : [];
      if (after) where.push(this.keysetCondition(q, after, p));
      p.add(this.pageSize);
      const sql = this.dialect.selectPage({
        select: [this.selectList(q.select)],
        from: q.from,
        where,
        orderBy: q.keys.map((k) => q.select[k]!.expr),
        limitParam: p.values.length, // last added: SQLite binds LIMIT ? positionally at the end
      });
      const rows = await this.connection.query(sql, p.values);
      const parsed = rows.map((row) => parseRow(schema, row, q.label, this.noteUnreadable) as RowOf<S>);
      if (parsed.length > 0) yield parsed;
      if (parsed.length < this.pageSize) return;
      after = parsed[parsed.length - 1]!;
    }
  }

  async *rows<S extends Selection>(q: PagedSelect<S>): AsyncGenerator<RowOf<S>> {
    for await (const page of this.pages(q)) yield* page;
  }

  private selectList(select: Selection): string {
    return Object.entries(select)
      .map(
        ([alias, s]) => `${s.type === 'text' ? this.dialect.readText(s.expr) : s.expr} AS ${this.dialect.quote(alias)}`,
      )
      .join(', ');
  }

  /**
   * (k1 > a) OR (k1 = a AND k2 > b) OR …, written out because T-SQL has no row-value comparison;
   * with several keys a leading `k1 >= a` lets the engine seek an index on k1 instead of scanning.
   */
  private keysetCondition<S extends Selection>(q: PagedSelect<S>, after: RowOf<S>, p: Params): string {
    const ors: string[] = [];
    const first = q.keys[0]!;
    const seek =
      q.keys.length > 1 ? `${q.select[first]!.expr} >= ${p.add((after as Record<string, unknown>)[first])} AND ` : '';
    q.keys.forEach((key, i) => {
      const ands = q.keys
        .slice(0, i)
        .map((k) => `${q.select[k]!.expr} = ${p.add((after as Record<string, unknown>)[k])}`);
      ands.push(`${q.select[key]!.expr} > ${p.add((after as Record<string, unknown>)[key])}`);
      ors.push(ands.join(' AND '));
    });
    return `${seek}(${ors.map((c) => `(${c})`).join(' OR ')})`;
  }
}

function typesOf(select: Selection): Record<string, ColumnType> {
  return Object.fromEntries(Object.entries(select).map(([k, s]) => [k, s.type]));
}
