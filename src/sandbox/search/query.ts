import { badRequest } from '../http/errors';

/**
 * Intercom's search query language (contacts and conversations): `{field, operator, value}` leaves
 * and `{operator: AND|OR, value: [...]}` groups, at most 2 levels of nesting and 15 filters a group.
 * Each field has a type, each type its operators (the tables of 2.16's search docs, `SearchRules`);
 * an operator the field's type does not take, or a value of the wrong type (`"foobar"` for a date),
 * is a 400, as Intercom answers, not an empty result.
 */
const FIELD_OPERATORS = ['=', '!=', 'IN', 'NIN', '<', '<=', '>', '>=', '~', '!~', '^', '$'] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];
export type FieldType = 'string' | 'integer' | 'date' | 'boolean';

export interface SearchField<T> {
  read: (record: T) => unknown;
  type: FieldType;
  /** Narrower operators than the type's (tag_id: only = and !=). */
  operators?: readonly FieldOperator[];
  /** Matched word by word (conversation `source.body`): `=` finds a value that is one of its words. */
  words?: boolean;
}

export interface SearchRules {
  operators: Record<FieldType, readonly FieldOperator[]>;
  /** Contacts: dates match by UTC calendar day (`>` from the next day, `<` before the day). Else exact, `>`/`<` inclusive. */
  dayRoundedDates: boolean;
}

export type Predicate<T> = (record: T) => boolean;

const DAY = 86_400;

export function compileQuery<T>(
  query: unknown,
  fieldFor: (name: string) => SearchField<T> | undefined,
  rules: SearchRules,
  depth = 0,
): Predicate<T> {
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    throw badRequest('parameter_invalid', 'query must be an object');
  const q = query as Record<string, unknown>;
  if (q.operator === 'AND' || q.operator === 'OR') {
    if (depth >= 2) throw badRequest('parameter_invalid', 'A search query can have at most 2 nested filters');
    if (!Array.isArray(q.value) || q.value.length === 0)
      throw badRequest('parameter_invalid', `${q.operator} value must be a non-empty array`);
    if (q.value.length > 15)
      throw badRequest('parameter_invalid', `An ${q.operator} filter can have at most 15 filters`);
    const parts = q.value.map((child) => compileQuery<T>(child, fieldFor, rules, depth + 1));
    return q.operator === 'AND' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (typeof q.field !== 'string') throw badRequest('parameter_invalid', 'field is required for a filter');
  if (!FIELD_OPERATORS.includes(q.operator as FieldOperator))
    throw badRequest('parameter_invalid', `operator '${String(q.operator)}' is not supported`);
  const field = fieldFor(q.field);
  if (!field) throw badRequest('parameter_invalid', `'${q.field}' is not a searchable field`);
  const operator = q.operator as FieldOperator;
  const allowed = field.operators ?? rules.operators[field.type];
  if (!allowed.includes(operator))
    throw badRequest(
      'parameter_invalid',
      `operator '${operator}' is not supported for ${field.type} field '${q.field}'`,
    );
  const many = operator === 'IN' || operator === 'NIN';
  if (many && !Array.isArray(q.value)) throw badRequest('parameter_invalid', `${operator} value must be an array`);
  const expected = (many ? (q.value as unknown[]) : [q.value]).map((v) =>
    typedValue(q.field as string, field.type, operator, v),
  );
  const match = (actual: unknown, op: FieldOperator, value: unknown): boolean =>
    matches(field, rules, actual, op, value);
  return (record) => {
    const actual = field.read(record);
    const values = Array.isArray(actual) ? actual : [actual];
    switch (operator) {
      case '!=':
        return !values.some((v) => match(v, '=', expected[0]));
      case 'NIN':
        return !values.some((v) => expected.some((e) => match(v, '=', e)));
      case '!~':
        return !values.some((v) => match(v, '~', expected[0]));
      case 'IN':
        return values.some((v) => expected.some((e) => match(v, '=', e)));
      default:
        return values.some((v) => match(v, operator, expected[0]));
    }
  };
}

/** The query's value as the field's type; a 400 when it is not one (null only with = and !=). */
function typedValue(field: string, type: FieldType, operator: FieldOperator, value: unknown): unknown {
  if (value === null && (operator === '=' || operator === '!=')) return null;
  const wrong = () => badRequest('parameter_invalid', `'${String(value)}' is not a valid ${type} value for '${field}'`);
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      throw wrong();
    case 'integer':
    case 'date':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      throw wrong();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw wrong();
  }
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
const wordsOf = (text: string): string[] =>
  text
    .replace(/<[^>]*>/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._'-]+/u)
    .filter(Boolean);
const dayStart = (seconds: number): number => Math.floor(seconds / DAY) * DAY;

function matches<T>(
  field: SearchField<T>,
  rules: SearchRules,
  actual: unknown,
  operator: FieldOperator,
  expected: unknown,
): boolean {
  if (operator === '=' && expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  switch (field.type) {
    case 'string': {
      const a = String(actual).toLowerCase();
      const e = String(expected).toLowerCase();
      if (operator === '=') return field.words ? wordsOf(String(actual)).includes(e) : a === e;
      if (operator === '~') return a.includes(e);
      if (operator === '^') return a.startsWith(e);
      if (operator === '$') return a.endsWith(e);
      return false;
    }
    case 'boolean':
      return operator === '=' && actual === expected;
    case 'integer':
    case 'date': {
      const a = Number(actual);
      const e = expected as number;
      if (Number.isNaN(a)) return false;
      if (field.type === 'date' && rules.dayRoundedDates) {
        if (operator === '=') return dayStart(a) === dayStart(e);
        if (operator === '>') return a >= dayStart(e) + DAY;
        if (operator === '<') return a < dayStart(e);
        return false;
      }
      if (operator === '=') return a === e;
      // Conversations document > and < as "greater (or equal)" and "lower (or equal)".
      if (operator === '>') return rules.dayRoundedDates ? a > e : a >= e;
      if (operator === '<') return rules.dayRoundedDates ? a < e : a <= e;
      if (operator === '>=') return a >= e;
      if (operator === '<=') return a <= e;
      return false;
    }
  }
  return norm(actual) === norm(expected);
}

/** 2.16's contact search operators by field type (dates: only =, > and <). */
export const CONTACT_RULES: SearchRules = {
  dayRoundedDates: true,
  operators: {
    string: ['=', '!=', 'IN', 'NIN', '~', '!~', '^', '$'],
    integer: ['=', '!=', 'IN', 'NIN', '>', '<', '>=', '<='],
    date: ['=', '>', '<'],
    boolean: ['=', '!=', 'IN', 'NIN'],
  },
};

/** 2.16's conversation search operators by field type. */
export const CONVERSATION_RULES: SearchRules = {
  dayRoundedDates: false,
  operators: {
    string: ['=', '!=', 'IN', 'NIN', '~', '!~', '^', '$'],
    integer: ['=', '!=', 'IN', 'NIN', '>', '<'],
    date: ['=', '!=', 'IN', 'NIN', '>', '<'],
    boolean: ['=', '!=', 'IN', 'NIN'],
  },
};
