/**
 * The one place the product reads the calendar. Every rule that compares a date with "now" (backup
 * age, dates in the future, report stamps, review stamps, search windows) takes a Clock, so tests pin
 * it and a report can be reproduced. Durations use performance.now(), which no calendar moves.
 * eslint forbids `Date.now()` and `new Date()` everywhere else under src/.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always reads `at` (tests, reproducible reports). */
export function fixedClock(at: Date | string): Clock {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Not a date: ${String(at)}`);
  return { now: () => new Date(ms) };
}

/** Seconds since 1970 on `clock`, as Intercom stamps them. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}

export const CLOCK_ENV = 'ST2IC_NOW';

/**
 * The clock of a CLI or extension process: the system clock, or the instant `ST2IC_NOW` names (an ISO
 * 8601 date-time with its offset), so that a scope or reconciliation report can be produced "as of" a
 * given moment and tests that drive the CLI pin it. A value that is not such a date is refused.
 */
export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): Clock {
  const value = env[CLOCK_ENV]?.trim();
  if (!value) return systemClock;
  const parts = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  const day = parts ? new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))) : null;
  // The calendar date must exist as written (no 2026-02-30 rolled into March).
  const real =
    day !== null &&
    parts !== null &&
    day.getUTCMonth() + 1 === Number(parts[2]) &&
    day.getUTCDate() === Number(parts[3]);
  if (!real || !Number.isFinite(Date.parse(value))) {
    throw new RangeError(
      `${CLOCK_ENV}="${value}" is not an ISO 8601 date-time with an offset, such as 2026-11-28T12:00:00Z`,
    );
  }
  return fixedClock(value);
}
