import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FaultInjector, parseFaultSpec } from '../../src/sandbox/http/faults';
import { RateLimiter } from '../../src/sandbox/http/rate-limiter';

test('rate limiter: fixed 10 s windows; the reset header is the window end; a new window restores the quota', () => {
  let now = 1_700_000_003_500;
  const limiter = new RateLimiter(2, () => now);
  const a = limiter.take();
  const b = limiter.take();
  const c = limiter.take();
  assert.deepEqual([a.allowed, b.allowed, c.allowed], [true, true, false]);
  assert.equal(a.headers['X-RateLimit-Reset'], '1700000010');
  assert.equal(b.headers['X-RateLimit-Remaining'], '0');
  now = 1_700_000_010_000;
  const d = limiter.take();
  assert.equal(d.allowed, true);
  assert.equal(d.headers['X-RateLimit-Reset'], '1700000020');
  assert.equal(d.headers['X-RateLimit-Remaining'], '1');
});

test('rate limiter: a shorter window (whole seconds) moves the reset and restores the quota as often', () => {
  let now = 1_700_000_003_500;
  const limiter = new RateLimiter(1, () => now, 1);
  const [a, b] = [limiter.take(), limiter.take()];
  assert.deepEqual([a.allowed, b.allowed], [true, false]);
  assert.equal(a.headers['X-RateLimit-Reset'], '1700000004');
  now = 1_700_000_004_000;
  assert.equal(limiter.take().allowed, true);
  assert.throws(() => new RateLimiter(1, () => now, 0.5), /whole number of seconds/);
});

test('fault injector: the same seed gives the same faults; probabilities are validated', () => {
  const sequence = (spec: string) => {
    const injector = new FaultInjector(spec);
    return Array.from({ length: 200 }, () => injector.decide('POST', '/contacts') ?? '-').join(',');
  };
  const spec = '429:0.1,500:0.1,502:0.1,503:0.1,slow:0.1,drop:0.1,seed=42';
  assert.equal(sequence(spec), sequence(spec));
  assert.notEqual(sequence(spec), sequence(spec.replace('seed=42', 'seed=43')));
  for (const kind of ['429', '500', '502', '503', 'slow', 'drop'])
    assert.ok(sequence(spec).split(',').includes(kind), kind);
  assert.throws(() => parseFaultSpec('500:2'));
  assert.throws(() => parseFaultSpec('teapot:0.1'));
  assert.throws(() => parseFaultSpec('500:0.6,502:0.6'));
});
