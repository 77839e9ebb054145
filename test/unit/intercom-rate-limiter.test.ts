import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

import type { Permit } from '../../src/intercom/rate-limiter';
import { RateLimiter } from '../../src/intercom/rate-limiter';

// Simulated time: the limiter's timers and clock run on node:test's mock timers, so these tests
// assert counts in simulated windows, never wall-clock durations.
const T0 = 1_700_000_000_000; // a multiple of 10 s, like Intercom's window boundaries

function withFakeTime(run: () => Promise<void>): () => Promise<void> {
  return async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
    try {
      await run();
    } finally {
      mock.timers.reset();
    }
  };
}

/** Advances simulated time in small steps, letting promise callbacks run between steps. */
async function advance(ms: number, step = 5): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(step);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test(
  'until the first headers arrive only one request is in flight',
  withFakeTime(async () => {
    const limiter = new RateLimiter({ concurrency: 10 });
    const granted: Permit[] = [];
    for (let i = 0; i < 3; i++) void limiter.acquire().then((p) => granted.push(p));
    await flush();
    assert.equal(granted.length, 1);
    granted[0]?.release({ headers: { limit: 100, remaining: 99, reset: T0 / 1000 + 10 }, status: 200 });
    await advance(1_000);
    assert.equal(granted.length, 3);
  }),
);

test(
  'after a 429 nothing is sent until the reported reset',
  withFakeTime(async () => {
    const limiter = new RateLimiter({ concurrency: 5, rolloverGuardMs: 500 });
    const first = await limiter.acquire();
    first.release({ headers: { limit: 50, remaining: 0, reset: T0 / 1000 + 4 }, status: 429 });
    let granted = 0;
    for (let i = 0; i < 3; i++) void limiter.acquire().then(() => (granted += 1));
    await advance(4_400);
    assert.equal(granted, 0, 'no request before reset + guard');
    await advance(1_000);
    assert.ok(granted >= 1, 'requests resume after the reset');
    assert.equal(limiter.stats().throttled, 1);
  }),
);

/**
 * A server with fixed 10-second windows (like Intercom), `latencyMs` per request, counting each
 * request when it arrives (half the latency after it was sent). Returns per-window counts and 429s.
 */
async function simulate(options: {
  limit: number;
  seconds: number;
  concurrency: number;
  latencyMs: number;
  /** Server windows start this long after each 10-second mark; the reset header is rounded. */
  offsetMs?: number;
  rounding?: 'floor' | 'ceil';
}): Promise<{
  perWindow: Map<number, number>;
  throttledByWindow: Map<number, number>;
  maxSameInstant: number;
}> {
  const limiter = new RateLimiter({ concurrency: options.concurrency });
  const perWindow = new Map<number, number>();
  const throttledByWindow = new Map<number, number>();
  const sendsAt = new Map<number, number>();
  const end = T0 + options.seconds * 1000;
  let running = true;
  const worker = async (): Promise<void> => {
    while (running) {
      const permit = await limiter.acquire();
      const sentAt = Date.now();
      sendsAt.set(sentAt, (sendsAt.get(sentAt) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, options.latencyMs / 2));
      const arrival = Date.now();
      const offset = options.offsetMs ?? 0;
      const window = Math.floor((arrival - offset) / 10_000);
      const used = (perWindow.get(window) ?? 0) + 1;
      perWindow.set(window, used);
      const over = used > options.limit;
      if (over) throttledByWindow.set(window, (throttledByWindow.get(window) ?? 0) + 1);
      const headers = {
        limit: options.limit,
        remaining: Math.max(0, options.limit - used),
        reset: Math[options.rounding ?? 'floor'](((window + 1) * 10_000 + offset) / 1000),
      };
      await new Promise((r) => setTimeout(r, options.latencyMs / 2));
      permit.release({ headers, status: over ? 429 : 200 });
    }
  };
  const workers = Array.from({ length: options.concurrency * 2 }, () => worker());
  await advance(end - T0, 5);
  running = false;
  await advance(30_000, 50);
  await Promise.all(workers);
  return { perWindow, throttledByWindow, maxSameInstant: Math.max(...sendsAt.values()) };
}

test(
  'steady state sits just under the limit: no 429 after the first window, ≥ 95 % of the budget used',
  withFakeTime(async () => {
    const limit = 100;
    const { perWindow, throttledByWindow, maxSameInstant } = await simulate({
      limit,
      seconds: 60,
      concurrency: 10,
      latencyMs: 40,
    });
    const firstWindow = Math.floor(T0 / 10_000);
    const after = [...throttledByWindow.entries()].filter(([w]) => w > firstWindow);
    assert.deepEqual(after, [], 'no 429 after the first window');
    // Full windows strictly inside the run (the first can start with a probe; the last is cut short).
    const full = [...perWindow.entries()].filter(([w]) => w > firstWindow && w < firstWindow + 5);
    assert.equal(full.length, 4);
    for (const [w, count] of full) {
      assert.ok(count <= limit, `window ${w}: ${count} > ${limit}`);
      assert.ok(count >= 0.95 * limit, `window ${w}: only ${count} of ${limit}`);
    }
    assert.equal(maxSameInstant, 1, 'in-flight requests never burst at the same instant');
  }),
);

test(
  'a small limit with high concurrency is paced, not burst',
  withFakeTime(async () => {
    const limit = 12;
    const { perWindow, throttledByWindow } = await simulate({ limit, seconds: 40, concurrency: 10, latencyMs: 200 });
    const firstWindow = Math.floor(T0 / 10_000);
    assert.equal([...throttledByWindow.keys()].filter((w) => w > firstWindow).length, 0);
    for (const [w, count] of perWindow)
      if (w > firstWindow && w < firstWindow + 3) assert.ok(count >= 10 && count <= limit, `window ${w}: ${count}`);
  }),
);

for (const rounding of ['floor', 'ceil'] as const) {
  test(
    `windows off the second boundary with the reset rounded (${rounding}) still stay under the limit`,
    withFakeTime(async () => {
      const limit = 100;
      const { perWindow, throttledByWindow } = await simulate({
        limit,
        seconds: 60,
        concurrency: 10,
        latencyMs: 40,
        offsetMs: 500,
        rounding,
      });
      const firstWindow = Math.floor((T0 - 500) / 10_000) + 1;
      assert.deepEqual(
        [...throttledByWindow.entries()].filter(([w]) => w > firstWindow),
        [],
      );
      const full = [...perWindow.entries()].filter(([w]) => w > firstWindow && w < firstWindow + 5);
      for (const [w, count] of full) assert.ok(count >= 0.95 * limit && count <= limit, `window ${w}: ${count}`);
    }),
  );
}
