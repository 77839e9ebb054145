/**
 * SmarterTrack stores UTC dates (columns named …UTC). Engines hand them over as text
 * ('YYYY-MM-DD HH:MM:SS[.fff]', ISO 8601), Date objects (mssql) or numbers; this turns any of them
 * into a UTC ISO string. Text without a zone is read as UTC, never as local time.
 */
import { impossibleDateParts } from '../model/calendar';

const TEXT_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const UNIX_EPOCH_TICKS = 621355968000000000n; // .NET ticks at 1970-01-01

export function parseUtcDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') return fromNumber(Number(value), value);
  if (typeof value === 'number') return Number.isFinite(value) ? fromNumber(value, null) : null;
  if (typeof value !== 'string') throw new Error(`not a date: ${typeof value}`);
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text), /^\d+$/.test(text) ? BigInt(text) : null);
  const m = TEXT_DATE.exec(text);
  if (!m) throw new Error(`not a date: ${JSON.stringify(value)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const wrong = impossibleDateParts(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (wrong) throw new Error(`not a date: ${JSON.stringify(value)} does not exist (${wrong}); never rolled over`);
  const ms = Number((frac + '000').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(t);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${JSON.stringify(value)}`);
  return date.toISOString();
}

/** Numbers: Julian day (SQLite julianday()), Unix seconds, Unix milliseconds or .NET ticks, by magnitude. */
function fromNumber(n: number, exact: bigint | null): string {
  let ms: number;
  if (n > 1e16) ms = Number(((exact ?? BigInt(Math.round(n))) - UNIX_EPOCH_TICKS) / 10_000n);
  else if (n >= 1e11) ms = n;
  else if (n > 1_000_000 && n < 3_000_000) ms = (n - 2440587.5) * 86_400_000;
  else ms = n * 1000;
  const date = new Date(Math.round(ms));
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${n}`);
  return date.toISOString();
}
