import { ApiError, badRequest } from '../http/errors';
import type { Store } from '../state/store';

export type Body = Record<string, unknown>;

/** A JSON request body as an object (an absent body is `{}`). */
export function bodyObject(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('bad_request', 'Request body must be a JSON object');
  return body as Body;
}

function typeError(field: string, expected: string): ApiError {
  return new ApiError(400, 'parameter_invalid', `${field} must be ${expected}`, {}, {});
}

export function optString(body: Body, field: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw withField(typeError(field, 'a string'), field);
  return value;
}

/** Ids Intercom accepts as numbers or strings (admin_id: 991267696 works like "991267696"). */
export function optId(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string') throw withField(typeError(field, 'a string'), field);
  return value;
}

export function requireId(body: Body, field: string): string {
  const value = optId(body, field);
  if (value === undefined || value === '') throw withField(new ApiError(400, 'parameter_not_found', `${field} is a required parameter.`), field);
  return value;
}

export function requireString(body: Body, field: string): string {
  const value = optString(body, field);
  if (value === undefined || value === null || value === '') {
    throw withField(new ApiError(400, 'parameter_not_found', `${field} is a required parameter.`), field);
  }
  return value;
}

export function optInt(body: Body, field: string): number | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw withField(typeError(field, 'an integer'), field);
  return value;
}

export function optBool(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw withField(typeError(field, 'a boolean'), field);
  return value;
}

export function withField(error: ApiError, field: string): ApiError {
  return new ApiError(error.status, error.code, error.message, { ...error.extra, field }, error.headers);
}

/** Refuses keys Intercom does not know, with its wording ("bad 'test' parameter"). */
export function rejectUnknownKeys(body: Body, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw badRequest('bad_request', `bad '${key}' parameter`);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function checkEmail(email: string | null | undefined): void {
  if (email && !EMAIL.test(email)) throw withField(new ApiError(400, 'parameter_invalid', `Email '${email}' is not a valid email address`), 'email');
}

/** Cursor pagination (contacts, conversations, search): an opaque `starting_after` holding an offset. */
export function cursorPage<T>(items: T[], perPageRaw: unknown, startingAfter: unknown, defaultPerPage: number, maxPerPage = 150) {
  const perPage = clampPerPage(perPageRaw, defaultPerPage, maxPerPage);
  const offset = typeof startingAfter === 'string' && startingAfter !== '' ? decodeCursor(startingAfter) : 0;
  const data = items.slice(offset, offset + perPage);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.floor(offset / perPage) + 1;
  const next = offset + perPage < items.length ? { per_page: perPage, starting_after: encodeCursor(offset + perPage) } : undefined;
  return { data, total_count: items.length, pages: { type: 'pages', page, per_page: perPage, total_pages: totalPages, ...(next ? { next } : {}) } };
}

function clampPerPage(raw: unknown, fallback: number, max: number): number {
  const n = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isInteger(n) || n < 1) return fallback;
  if (n > max) throw badRequest('parameter_invalid', `per_page must be less than or equal to ${max}`);
  return n;
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw badRequest('parameter_invalid', 'starting_after is invalid');
}

/** Page-number pagination (companies): `pages.next` is a URL string, as Intercom's `pages_link`. */
export function numberedPage<T>(items: T[], path: string, pageRaw: string | null, perPageRaw: string | null, defaultPerPage: number) {
  const perPage = clampPerPage(perPageRaw ?? undefined, defaultPerPage, 60);
  const page = Math.max(1, Number(pageRaw ?? '1') || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const data = items.slice((page - 1) * perPage, page * perPage);
  const next = page < totalPages ? `https://api.intercom.io${path}?page=${page + 1}&per_page=${perPage}` : null;
  return { data, total_count: items.length, pages: { type: 'pages', next, page, per_page: perPage, total_pages: totalPages } };
}

export function adminExists(store: Store, id: string): boolean {
  return store.state.admins.some((a) => a.id === id);
}
