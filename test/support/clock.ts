import { CLOCK_ENV, fixedClock } from '../../src/model/clock';

/**
 * The instant every test reads as "now". Fixtures that must look recent (a backup, a review stamp)
 * are written relative to it, never as calendar dates, so the suite passes whatever the machine's
 * clock says (checked with faketime a year ahead and behind).
 */
export const TEST_NOW = new Date('2026-11-28T12:00:00Z');
export const testClock = fixedClock(TEST_NOW);
const DAY_MS = 86_400_000;

/** `days` before the pinned now. */
export const daysBefore = (days: number): Date => new Date(TEST_NOW.getTime() - days * DAY_MS);

/** Environment for a CLI the test starts: the same pinned clock. */
export const pinnedClockEnv = { [CLOCK_ENV]: TEST_NOW.toISOString() } as const;
