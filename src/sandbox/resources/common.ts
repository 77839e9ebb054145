import { ApiError, badRequest } from '../http/errors';

export type Body = Record<string, unknown>;

/** A JSON request body as an object (an absent body is `{}`). */
export function bodyObject(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest('bad_request', 'Request body must be a JSON object');
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
  if (value === undefined || value === '')
    throw withField(new ApiError(400, 'parameter_not_found', `${field} is a required parameter.`), field);
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
  if (email && !EMAIL.test(email))
    throw withField(new ApiError(400, 'parameter_invalid', `Email '${email}' is not a valid email address`), 'email');
}
