import { badRequest } from '../http/errors';

/**
 * Intercom's search query language (contacts and conversations): `{field, operator, value}` leaves
 * and `{operator: AND|OR, value: [...]}` groups, at most 2 levels of nesting and 15 filters a group.
 * Dates (Unix seconds) match `=` by calendar day (UTC here), as 2.16 matches by day.
 */
const FIELD_OPERATORS = ['=', '!=', 'IN', 'NIN', '<', '<=', '>', '>=', '~', '!~', '^', '$'] as const;
type FieldOperator = (typeof FIELD_OPERATORS)[number];


export type Predicate<T> = (record: T) => boolean;

export function compileQuery<T>(query: unknown, fieldFor: (name: string) => ((record: T) => unknown) | undefined, dateFields: ReadonlySet<string>, depth = 0): Predicate<T> {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) throw badRequest('parameter_invalid', 'query must be an object');
  const q = query as Record<string, unknown>;
  if (q.operator === 'AND' || q.operator === 'OR') {
    if (depth >= 2) throw badRequest('parameter_invalid', 'A search query can have at most 2 nested filters');
    if (!Array.isArray(q.value) || q.value.length === 0) throw badRequest('parameter_invalid', `${q.operator} value must be a non-empty array`);
    if (q.value.length > 15) throw badRequest('parameter_invalid', `An ${q.operator} filter can have at most 15 filters`);
    const parts = q.value.map((child) => compileQuery<T>(child, fieldFor, dateFields, depth + 1));
    return q.operator === 'AND' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (typeof q.field !== 'string') throw badRequest('parameter_invalid', 'field is required for a filter');
  if (!FIELD_OPERATORS.includes(q.operator as FieldOperator)) throw badRequest('parameter_invalid', `operator '${String(q.operator)}' is not supported`);
  const read = fieldFor(q.field);
  if (!read) throw badRequest('parameter_invalid', `'${q.field}' is not a searchable field`);
  const operator = q.operator as FieldOperator;
  const isDate = dateFields.has(q.field);
  if (isDate && ['!=', '<=', '>=', 'IN', 'NIN'].includes(operator)) {
    throw badRequest('parameter_invalid', `operator '${operator}' is not supported for date field '${q.field}'`);
  }
  if ((operator === 'IN' || operator === 'NIN') && !Array.isArray(q.value)) throw badRequest('parameter_invalid', `${operator} value must be an array`);
  const expected = q.value;
  return (record) => {
    const actual = read(record);
    const values = Array.isArray(actual) ? actual : [actual];
    if (operator === '!=' || operator === 'NIN' || operator === '!~') {
      const positive = operator === '!=' ? '=' : operator === 'NIN' ? 'IN' : '~';
      return !values.some((v) => matches(v, positive, expected, isDate));
    }
    return values.some((v) => matches(v, operator, expected, isDate));
  };
}

function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function sameDay(a: number, b: number): boolean {
  return Math.floor(a / 86400) === Math.floor(b / 86400);
}

function matches(actual: unknown, operator: FieldOperator, expected: unknown, isDate: boolean): boolean {
  switch (operator) {
    case '=':
      if (expected === null) return actual === null || actual === undefined;
      if (isDate && typeof actual === 'number') return sameDay(actual, Number(expected));
      return norm(actual) === norm(expected) || (typeof actual === 'number' && String(actual) === String(expected));
    case 'IN':
      return (expected as unknown[]).some((e) => matches(actual, '=', e, isDate));
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (actual === null || actual === undefined) return false;
      const a = Number(actual);
      const e = Number(expected);
      if (Number.isNaN(a) || Number.isNaN(e)) return false;
      return operator === '<' ? a < e : operator === '>' ? a > e : operator === '<=' ? a <= e : a >= e;
    }
    case '~':
      return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
    case '^':
      return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().startsWith(expected.toLowerCase());
    case '$':
      return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().endsWith(expected.toLowerCase());
    default:
      return false;
  }
}
