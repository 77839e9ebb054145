/**
 * Redaction for the AI proposer: personal values are replaced by a description of their shape
 * ("email address (domain hidden)", "text, 40–120 characters, 2 lines") before anything leaves the
 * machine. Field names and drop-down options are configuration and are kept, unless an option itself
 * looks personal. Pure functions: no I/O, same input → same output.
 */

const EMAIL = /[^\s@<>()[\],;:"']+@[^\s@<>()[\],;:"']+\.[^\s@<>()[\],;:"'.]{2,}/u;
const URL_WITH_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]*@/iu;
const URL = /^(?:https?|ftp):\/\/\S+$|^www\.\S+\.\S+$/iu;
const NAME_WORD = /^(?=.{2})\p{Lu}[\p{Ll}\p{M}]*(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*\.?$/u;
const PHONE_CHARS = /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?$/iu;
const INTEGER = /^[+-]?\d+$/u;
const DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?\.\d+$|^[+-]?\d{1,3}(?:,\d{3})+$/u;
const VERSION = /^v?\d+(?:\.\d+){1,3}$/iu;
const CODE = /^[\p{L}\d]+(?:[-_./:#][\p{L}\d]+)+$/u;
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'checked', 'unchecked']);

export function isEmail(value: string): boolean {
  return new RegExp(`^${EMAIL.source}$`, 'u').test(value.trim());
}

function containsEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function hasUrlCredentials(value: string): boolean {
  return URL_WITH_CREDENTIALS.test(value);
}

function isUrl(value: string): boolean {
  return URL.test(value.trim());
}

/** Digits of a phone-looking value (7–15 digits, phone punctuation only), or null. */
export function phoneDigits(value: string): number | null {
  const v = value.trim();
  if (!PHONE_CHARS.test(v) || !/[\s().\-+/]/u.test(v)) return null;
  const digits = v.replace(/(?:x|ext\.?)\s*\d+$/iu, '').replace(/\D/gu, '').length;
  return digits >= 7 && digits <= 15 ? digits : null;
}

export function isPhone(value: string): boolean {
  return phoneDigits(value) !== null;
}

/** Two to four capitalised words in a row ("Ada Lovelace", "Mary-Jane O'Neil"). */
export function looksLikePersonName(value: string): boolean {
  const words = value.trim().split(/\s+/u);
  if (words.length < 2 || words.length > 4) return false;
  return words.every((w) => NAME_WORD.test(w));
}

/** Whether a text holds a capitalised word pair anywhere (a name inside a sentence). */
export function containsNamePair(value: string): boolean {
  const words = value.split(/[\s,;:!?()"]+/u).filter(Boolean);
  for (let i = 0; i + 1 < words.length; i++)
    if (NAME_WORD.test(words[i] as string) && NAME_WORD.test(words[i + 1] as string)) return true;
  return false;
}

const LENGTH_BUCKETS: readonly [number, number][] = [
  [1, 10],
  [10, 40],
  [40, 120],
  [120, 255],
  [255, 1000],
  [1000, 5000],
];

function lengthBucket(length: number): string {
  for (const [lo, hi] of LENGTH_BUCKETS) if (length <= hi) return `${lo}–${hi} characters`;
  return 'over 5000 characters';
}

/** "2024-03-05T10:00:00Z" → "YYYY-MM-DDTHH:MM:SSZ"; null when the value is not a date. */
export function dateFormatOf(value: string): string | null {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:([ T])(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/u.exec(v);
  if (m) {
    let f = 'YYYY-MM-DD';
    if (m[4])
      f += `${m[4]}HH:MM${m[7] ? ':SS' : ''}${m[8] ? '.fff' : ''}${m[9] ? (m[9] === 'Z' ? 'Z' : '±HH:MM') : ''}`;
    return f;
  }
  const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?$/iu.exec(v);
  if (us)
    return `${us[1]!.length === 1 ? 'M' : 'MM'}/${us[2]!.length === 1 ? 'D' : 'DD'}/YYYY${v.includes(':') ? ' time' : ''}`;
  return null;
}

export interface ValueContext {
  /** The field holds personal data (source type `personal`): never sent, whatever its shape. */
  personal?: boolean;
  /** The field holds free text (text areas, HTML, text boxes): described, never sent. */
  freeText?: boolean;
}

/**
 * A description of a value's shape that tells a model what the field holds without revealing it.
 * Used for every sample value when redaction is on.
 */
export function describeValue(raw: unknown, context: ValueContext = {}): string {
  if (raw === null || raw === undefined) return 'empty';
  if (typeof raw === 'boolean') return 'boolean';
  if (typeof raw === 'number')
    return Number.isInteger(raw) ? `integer ${digitRange(String(Math.abs(raw)).length)}` : 'decimal number';
  if (Array.isArray(raw)) return `list of ${raw.length} item${raw.length === 1 ? '' : 's'}`;
  const value = String(raw);
  const v = value.trim();
  if (v === '') return 'empty';
  if (hasUrlCredentials(v)) return 'URL with credentials (hidden)';
  if (isEmail(v)) return 'email address (domain hidden)';
  const date = dateFormatOf(v);
  if (date) return `date (${date})`;
  if (INTEGER.test(v)) return `integer ${digitRange(v.replace(/^[+-]/u, '').length)}`;
  if (DECIMAL.test(v)) return 'decimal number';
  const phone = phoneDigits(v);
  if (phone !== null) return `phone number, ${phone} digits`;
  if (BOOLEAN_WORDS.has(v.toLowerCase())) return 'boolean word (true/false, yes/no)';
  if (VERSION.test(v)) return `version number, ${v.replace(/^v/iu, '').split('.').length} parts`;
  if (CODE.test(v) && /\d/u.test(v) && /\p{L}/u.test(v)) return `code (pattern ${codeMask(v)})`;
  if (isUrl(v)) return `URL (${/^https:/iu.test(v) ? 'https' : /^http:/iu.test(v) ? 'http' : 'web'}, address hidden)`;
  if (/<[a-z][\s\S]*>/iu.test(v)) return `HTML, ${lengthBucket(v.length)}`;
  const words = v.split(/\s+/u).length;
  if (looksLikePersonName(v)) return `${context.personal ? 'person name' : 'name'}, ${words} words`;
  if (context.personal && words === 1 && /^\p{L}/u.test(v)) return 'name or word, 1 word';
  const lines = value.split(/\r\n|\r|\n/u).length;
  const extras = [
    containsEmail(v) ? 'contains an email address' : '',
    isMostlyUpper(v) ? 'mostly capitals' : '',
  ].filter(Boolean);
  return `text, ${lengthBucket(v.length)}, ${lines} line${lines === 1 ? '' : 's'}${words > 1 ? `, ${wordRange(words)}` : ''}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}

/** "670-27AFBFBC-0001" → "999-99AAAAAA-9999": the structure of an identifier without its value. */
export function codeMask(value: string): string {
  return value
    .replace(/\d/gu, '9')
    .replace(/\p{Lu}/gu, 'A')
    .replace(/\p{Ll}/gu, 'a');
}

function isMostlyUpper(v: string): boolean {
  const letters = v.replace(/[^\p{L}]/gu, '');
  return letters.length >= 4 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.8;
}

function digitRange(digits: number): string {
  if (digits <= 5) return '1–5 digits';
  if (digits <= 9) return '6–9 digits';
  return '10 or more digits';
}

function wordRange(words: number): string {
  if (words <= 3) return '2–3 words';
  if (words <= 10) return '4–10 words';
  return 'over 10 words';
}

/**
 * Whether a value may be sent as it is with redaction on: a short categorical token of a field that is
 * neither personal nor free text ("Open", "High", "ticket", "en-US"), with nothing personal in it.
 */
export function isSafeToken(value: string, context: ValueContext = {}): boolean {
  if (context.personal || context.freeText) return false;
  const v = value.trim();
  if (v === '' || v.length > 40 || v.split(/\s+/u).length > 3) return false;
  if (!/^[\p{L}\p{N} ._&()/-]+$/u.test(v)) return false;
  // Digits make identifiers (ticket numbers, account numbers): their shape is enough.
  if (/\d/u.test(v)) return false;
  return !(isEmail(v) || isPhone(v) || looksLikePersonName(v) || containsNamePair(v) || hasUrlCredentials(v));
}

/**
 * A drop-down option as it may be sent: options are configuration, so they go as they are, unless
 * one looks like an email, a phone number, a person's name or carries credentials.
 */
export function redactOption(option: string): string {
  const v = option.trim();
  if (hasUrlCredentials(v) || containsEmail(v) || isPhone(v) || looksLikePersonName(v) || containsNamePair(v))
    return `(option hidden: ${describeValue(v)})`;
  return option;
}

export interface ShapeCount {
  /** The value (safe tokens and drop-down options) or a description of its shape. */
  shape: string;
  count: number;
}

export interface SampleOptions extends ValueContext {
  /** Redaction on (the default): values become shapes. Off: values are sent, cut to `maxLength`. */
  redact: boolean;
  /** Values of a drop-down field that are one of these options are sent as the option (itself redacted by redactOption). */
  options?: readonly string[];
  maxLength?: number;
}

/** Sample values summarised as distinct shapes (or values) with counts, in order of first appearance. */
export function summariseSamples(values: readonly unknown[], options: SampleOptions): ShapeCount[] {
  const counts = new Map<string, number>();
  const maxLength = options.maxLength ?? 120;
  for (const raw of values) {
    let shape: string;
    if (!options.redact) {
      const text = raw === null || raw === undefined ? 'empty' : typeof raw === 'string' ? raw : JSON.stringify(raw);
      shape = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
    } else if (typeof raw === 'string' && options.options?.includes(raw)) {
      shape = redactOption(raw);
    } else if (typeof raw === 'string' && isSafeToken(raw, options)) {
      shape = raw.trim();
    } else {
      shape = describeValue(raw, options);
    }
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts].map(([shape, count]) => ({ shape, count }));
}

/**
 * Removes a secret (and anything shaped like an API key) from a text meant for logs or warnings.
 * Servers echo keys back in error messages ("Incorrect API key provided: sk-…").
 */
export function scrubSecret(text: string, secret?: string | null): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[key hidden]');
  return out
    .replace(/\b(?:sk|rk|pk)-[A-Za-z0-9_*-]{6,}/gu, '[key hidden]')
    .replace(/\bBearer\s+\S+/giu, 'Bearer [key hidden]');
}
