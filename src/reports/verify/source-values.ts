import type { FieldMapping } from '../../model/mapping';

/**
 * What a mapped source value should read as in Intercom, derived from the source value and the
 * mapping file's declared target (its configuration, not its code): text stays the same text, dates
 * are the same second, numbers and checkboxes the same value. Deliberately written apart from
 * src/mapping/transforms.ts, so a conversion bug there shows here as a difference.
 */
export type Expected =
  | { kind: 'value'; value: string | number | boolean }
  /** Nothing to compare: the source is empty, or the value cannot be predicted without the transforms' own rules. */
  | { kind: 'unchecked' };

const UNCHECKED: Expected = { kind: 'unchecked' };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text as a reader sees it: control characters carry nothing (the rule: removed, the rest kept). */
const visibleText = (text: string): string => text.replace(CONTROL, '').toWellFormed();

/** Seconds since 1970 of a source date (the readers give UTC ISO-8601), or of a typed date value. */
export function secondsOf(value: string): number | null {
  const s = value.trim();
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const ms = us
    ? Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]))
    : Date.parse(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 'on', 'checked', 'x']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'off', 'unchecked']);

/** A source text read as a value of `dataType` (the type of the Intercom field it went to). */
export function typed(
  text: string,
  dataType: 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | 'email' | 'text',
): Expected {
  switch (dataType) {
    case 'integer':
    case 'float': {
      const n = Number(text.trim().replace(/,/g, ''));
      return text.trim() !== '' && Number.isFinite(n) ? { kind: 'value', value: n } : UNCHECKED;
    }
    case 'boolean': {
      const w = text.trim().toLowerCase();
      return TRUE.has(w) ? { kind: 'value', value: true } : FALSE.has(w) ? { kind: 'value', value: false } : UNCHECKED;
    }
    case 'datetime': {
      const s = secondsOf(text);
      return s === null ? UNCHECKED : { kind: 'value', value: s };
    }
    default:
      return { kind: 'value', value: visibleText(text) };
  }
}

/**
 * The value Intercom should hold for one mapped field. `dataType` is the target's type (attributes
 * declare it; standard fields are typed by the caller). A value map is configuration, so it applies;
 * converting HTML to text is a transform whose exact output is the transforms' own business, so such
 * a field is compared by its words elsewhere, not here.
 */
export function expectedFor(mapping: FieldMapping, raw: unknown, dataType: Parameters<typeof typed>[1]): Expected {
  const value = raw === null || raw === undefined || raw === '' ? (mapping.default ?? null) : raw;
  if (value === null || value === undefined) return UNCHECKED;
  if (typeof value === 'number' || typeof value === 'boolean')
    return dataType === 'datetime' && typeof value === 'number'
      ? { kind: 'value', value: Math.floor(value > 1e11 ? value / 1000 : value) }
      : { kind: 'value', value };
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  if (text.trim() === '') return UNCHECKED;
  if (mapping.transform.kind === 'html-to-text') return UNCHECKED;
  if (mapping.transform.kind === 'value-map') {
    const values = mapping.transform.values ?? {};
    const mapped = Object.hasOwn(values, text) ? values[text] : mapping.transform.fallback;
    return mapped === null || mapped === undefined ? UNCHECKED : typed(String(mapped), dataType);
  }
  return typed(text, dataType);
}

/** Intercom's value read back, as comparable as the expected one. */
export function sameValue(expected: string | number | boolean, actual: unknown, dataType: string): boolean {
  if (actual === null || actual === undefined) return false;
  if (typeof expected === 'number') return Number(actual) === expected;
  if (typeof expected === 'boolean') return actual === expected || String(actual) === String(expected);
  if (dataType === 'email') return String(actual).trim().toLowerCase() === expected.trim().toLowerCase();
  return String(actual) === expected;
}

export const shown = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '(empty)'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
