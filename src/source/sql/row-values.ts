import { z } from 'zod';

import { messageOf } from '../../model/error-message';
import { parseUtcDate } from '../dates';
import { SourceError } from '../errors';
import type { ColumnType } from './schema-spec';

/**
 * Row parsing at the driver boundary: each column type has a zod schema that accepts what the
 * engines hand over (SQLite: numbers, bigints, text; SQL Server: booleans and Dates) and yields one
 * JS type, or null.
 */
// Each transform checks the driver's value itself (cheaper than a union schema per column, which
// doubled the cost of a row); anything unexpected becomes a zod issue.
const raw = z.unknown();

const intValue = raw.transform((v, ctx): number | null => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n =
    typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v.trim()) : typeof v === 'number' ? v : NaN;
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: `expected an integer, got ${String(v).slice(0, 40)}` });
    return z.NEVER;
  }
  return n;
});

const boolValue = raw.transform((v, ctx): boolean | null => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === '1' || t === 'true') return true;
    if (t === '0' || t === 'false') return false;
  }
  ctx.addIssue({ code: 'custom', message: `expected a boolean, got ${String(v).slice(0, 40)}` });
  return z.NEVER;
});

const textValue = raw.transform((v, ctx): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v instanceof Date) return v.toISOString();
  ctx.addIssue({ code: 'custom', message: 'expected text' });
  return z.NEVER;
});

const dateValue = raw.transform((v, ctx): string | null => {
  if (!(
    v === null ||
    v === undefined ||
    typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    v instanceof Date
  )) {
    ctx.addIssue({ code: 'custom', message: 'expected a date' });
    return z.NEVER;
  }
  try {
    return parseUtcDate(v);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: messageOf(error) });
    return z.NEVER;
  }
});

const columnSchemas = { int: intValue, bool: boolValue, text: textValue, date: dateValue } as const;

type Out<T extends ColumnType> = z.output<(typeof columnSchemas)[T]>;
export type TypedRow<C extends Record<string, ColumnType>> = { [K in keyof C]: Out<C[K]> };

/** A zod schema for a row whose aliases and types are given. */
export function rowSchema<C extends Record<string, ColumnType>>(columns: C): z.ZodType<TypedRow<C>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [alias, type] of Object.entries(columns)) shape[alias] = columnSchemas[type];
  return z.object(shape) as unknown as z.ZodType<TypedRow<C>>;
}

export class RowError extends SourceError {
  override readonly name = 'RowError';
}

/**
 * Parses one row. A date that cannot be read (free text typed into a date column) is read as no
 * date and reported through `onUnreadable`, so one bad value does not stop a whole migration; any
 * other mismatch is a RowError.
 */
export function parseRow<C extends Record<string, ColumnType>>(
  schema: z.ZodType<TypedRow<C>>,
  row: unknown,
  where: string,
  onUnreadable?: (message: string) => void,
): TypedRow<C> {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  // The first selected column is the record's id in every reader query: name it so the row can be found.
  const id = row && typeof row === 'object' ? Object.entries(row as Record<string, unknown>)[0] : undefined;
  const record = id ? ` (row ${id[0]} = ${String(id[1])})` : '';
  const issues = result.error.issues;
  if (
    onUnreadable &&
    row &&
    typeof row === 'object' &&
    issues.every((i) => i.path.length === 1 && i.message.startsWith('not a date'))
  ) {
    const cleared = { ...(row as Record<string, unknown>) };
    for (const i of issues) cleared[String(i.path[0])] = null;
    const retry = schema.safeParse(cleared);
    if (retry.success) {
      for (const i of issues)
        onUnreadable(`${where}${record}: column ${String(i.path[0])}: ${i.message}; read as no date`);
      return retry.data;
    }
  }
  const issue = issues[0];
  throw new RowError(`${where}${record}: column ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
}
