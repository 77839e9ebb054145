import { badRequest } from '../http/errors';

/**
 * A record's place in a listing's order: compared element by element (numbers as numbers, strings
 * as strings). A listing is sorted by it, and it ends with the record's id, so no two records share one.
 */
export type Position = readonly (string | number)[];

export function comparePositions(a: Position, b: Position): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** How a listing is ordered: each record's position, and how positions compare (ascending by default). */
export interface ListOrder<T> {
  position: (item: T) => Position;
  compare?: (a: Position, b: Position) => number;
}

/** The items sorted by the order (a copy). */
export function sortedBy<T>(items: readonly T[], order: ListOrder<T>): T[] {
  const compare = order.compare ?? comparePositions;
  return items
    .map((item) => ({ item, at: order.position(item) }))
    .sort((a, b) => compare(a.at, b.at))
    .map((x) => x.item);
}

/** A numeric-string id as a number (so "9" sorts before "10"); other ids stay strings. */
export const idKey = (id: string): string | number => (/^\d{1,15}$/.test(id) ? Number(id) : id);

/**
 * Cursor pagination (contacts, conversations, search). `starting_after` points at the last record
 * served (its position, not an offset), as Intercom's cursors do: records created, updated or
 * deleted while a client pages through neither shift the rest into a skip nor back into a repeat.
 * `items` must be sorted by `position`.
 */
export function cursorPage<T>(
  items: readonly T[],
  order: ListOrder<T>,
  perPageRaw: unknown,
  startingAfter: unknown,
  defaultPerPage: number,
  maxPerPage = 150,
) {
  const { position } = order;
  const perPage = clampPerPage(perPageRaw, defaultPerPage, maxPerPage);
  const after = typeof startingAfter === 'string' && startingAfter !== '' ? decodeCursor(startingAfter) : undefined;
  const start = after === undefined ? 0 : firstAfter(items, order, after);
  const data = items.slice(start, start + perPage);
  const last = data[data.length - 1];
  const more = start + perPage < items.length && last !== undefined;
  const next = more ? { per_page: perPage, starting_after: encodeCursor(position(last)) } : undefined;
  const page = Math.floor(start / perPage) + 1;
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  return {
    data,
    total_count: items.length,
    pages: { type: 'pages', page, per_page: perPage, total_pages: totalPages, ...(next ? { next } : {}) },
  };
}

/** Index of the first item placed after `after` (binary search: items are sorted by position). */
function firstAfter<T>(items: readonly T[], order: ListOrder<T>, after: Position): number {
  const compare = order.compare ?? comparePositions;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(order.position(items[mid]!), after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clampPerPage(raw: unknown, fallback: number, max: number): number {
  const n = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isInteger(n) || n < 1) return fallback;
  if (n > max) throw badRequest('parameter_invalid', `per_page must be less than or equal to ${max}`);
  return n;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    if (Array.isArray(parsed.p) && parsed.p.every((v) => typeof v === 'string' || typeof v === 'number'))
      return parsed.p as Position;
  } catch {
    // fall through
  }
  throw badRequest('parameter_invalid', 'starting_after is invalid');
}

/**
 * Page-number pagination (companies, articles, collections, a contact's companies). `pages.next` is
 * what 2.16's `cursor_pages` declares, a `starting_after_paging` object (with the next page number,
 * which is how these lists page), or null on the last page; a page past the end is empty. With
 * `link` (for the one list whose schema is `pages_link`, a contact's companies) `next` is that URL.
 */
export function numberedPage<T>(
  items: readonly T[],
  pageRaw: string | null,
  perPageRaw: string | null,
  defaultPerPage: number,
  maxPerPage = 60,
  link?: string,
) {
  const perPage = clampPerPage(perPageRaw ?? undefined, defaultPerPage, maxPerPage);
  const page = Math.max(1, Number(pageRaw ?? '1') || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const data = items.slice((page - 1) * perPage, page * perPage);
  const more = page < totalPages;
  const next = !more
    ? null
    : link
      ? `https://api.intercom.io${link}?page=${page + 1}&per_page=${perPage}`
      : { page: page + 1, per_page: perPage, starting_after: null };
  return {
    data,
    total_count: items.length,
    pages: { type: 'pages', next, page, per_page: perPage, total_pages: totalPages },
  };
}
