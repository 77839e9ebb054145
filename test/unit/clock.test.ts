import assert from 'node:assert/strict';
import { test } from 'node:test';

import { clockFromEnvironment, fixedClock, systemClock, unixSeconds } from '../../src/model/clock';

test('ST2IC_NOW pins the clock; unset or blank means the system clock', () => {
  const pinned = clockFromEnvironment({ ST2IC_NOW: '2026-11-28T12:00:00Z' });
  assert.equal(pinned.now().toISOString(), '2026-11-28T12:00:00.000Z');
  assert.equal(pinned.now().toISOString(), '2026-11-28T12:00:00.000Z', 'a pinned clock does not move');
  assert.equal(
    clockFromEnvironment({ ST2IC_NOW: '2026-11-28T13:30:00+01:30' }).now().toISOString(),
    '2026-11-28T12:00:00.000Z',
  );
  assert.equal(clockFromEnvironment({}), systemClock);
  assert.equal(clockFromEnvironment({ ST2IC_NOW: '  ' }), systemClock);
});

test('a value that is not an ISO date-time with an offset is refused, naming the variable and the value', () => {
  for (const bad of [
    'tomorrow',
    '2026-11-28',
    '2026-11-28T12:00:00',
    '1764331200',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-11-28T25:00:00Z',
  ]) {
    assert.throws(
      () => clockFromEnvironment({ ST2IC_NOW: bad }),
      (e: unknown) => e instanceof RangeError && e.message.includes(`ST2IC_NOW="${bad}"`),
      bad,
    );
  }
});

test('fixedClock and unixSeconds', () => {
  const clock = fixedClock('2024-02-29T23:59:59.900Z');
  assert.equal(unixSeconds(clock), 1_709_251_199);
  assert.throws(() => fixedClock('not a date'), RangeError);
});
