import { convert } from 'html-to-text';

import { impossibleDateParts } from '../model/calendar';
import type { Transform } from '../model/mapping';

export type MappedValue = string | number | boolean | null;

export interface TransformResult {
  value: MappedValue;
  /** Set when the value was cut to fit: the whole value, for a note or the report. */
  overflow?: { original: string; length: number; maxLength: number };
  error?: string;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'on', 'checked', 'x']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'off', 'unchecked', '']);

function htmlToText(html: string): string {
  return convert(html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] }).trim();
}

/** Source values arrive as strings, numbers, booleans or ISO dates; this turns one into what the target takes. */
export function applyTransform(raw: unknown, transform: Transform): TransformResult {
  if (raw === null || raw === undefined) return { value: null };
  const text = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw.join(', ') : String(raw);
  let value: MappedValue;
  switch (transform.kind) {
    case 'none':
      value = typeof raw === 'number' || typeof raw === 'boolean' ? raw : text;
      break;
    case 'string':
      value = text;
      break;
    case 'html-to-text':
      value = htmlToText(text);
      break;
    case 'checkbox-to-boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) value = true;
      else if (FALSE_WORDS.has(word)) value = false;
      else return { value: null, error: `"${clip(text)}" is not a checkbox value (expected true/false, yes/no, 1/0)` };
      break;
    }
    case 'date-to-datetime': {
      const seconds = toUnixSeconds(raw);
      if (seconds === null) return { value: null, error: `"${clip(text)}" is not a date` };
      value = seconds;
      break;
    }
    case 'integer-to-number': {
      const n = Number(text.trim().replace(/,/g, ''));
      if (text.trim() === '' || !Number.isFinite(n)) return { value: null, error: `"${clip(text)}" is not a number` };
      value = n;
      break;
    }
    case 'value-map': {
      const values = transform.values ?? {};
      if (Object.hasOwn(values, text)) value = values[text] ?? null;
      else if (transform.fallback !== undefined) value = transform.fallback;
      else return { value: null, error: `"${clip(text)}" has no entry in the value map` };
      break;
    }
  }
  if (typeof value === 'string' && transform.maxLength !== undefined && value.length > transform.maxLength) {
    const overflow = { original: value, length: value.length, maxLength: transform.maxLength };
    if (transform.overflow === 'fail') {
      return {
        value: null,
        overflow,
        error: `value is ${value.length} characters, over the limit of ${transform.maxLength}`,
      };
    }
    return { value: cutAt(value, transform.maxLength), overflow };
  }
  return { value };
}

/** Unix seconds from an ISO string, a 'YYYY-MM-DD[ HH:MM[:SS]]' string, a Date or seconds/milliseconds. */
export function toUnixSeconds(raw: unknown): number | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : Math.floor(raw.getTime() / 1000);
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.floor(raw > 1e11 ? raw / 1000 : raw) : null;
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const s = raw.trim();
  const isoish = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s);
  let ms: number;
  if (isoish) {
    const [y, mo, d, h, mi, sec] = (s.match(/\d+/g) ?? []).map(Number);
    if (impossibleDateParts(y!, mo!, d!, h ?? 0, mi ?? 0, sec ?? 0)) return null;
    const withT = s.replace(' ', 'T');
    ms = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(withT) || withT.length === 10 ? withT : `${withT}Z`);
  } else if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(s)) {
    // SmarterTrack shows US-style dates in its UI; values typed into date fields follow it.
    const [m, d, y] = s.split('/').map(Number) as [number, number, number];
    if (impossibleDateParts(y, m, d)) return null;
    ms = Date.UTC(y, m - 1, d);
  } else {
    return null;
  }
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** Cuts at a code-point boundary so a surrogate pair is never split. */
function cutAt(value: string, max: number): string {
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
