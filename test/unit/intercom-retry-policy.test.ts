import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseConflictId } from '../../src/intercom/errors';
import { redact } from '../../src/intercom/logger';
import { nextPageOf } from '../../src/intercom/pagination';
import { normalizeBody } from '../../src/intercom/resolve-unknown';
import type { AttemptContext } from '../../src/intercom/retry-policy';
import { backoffDelay, decideRetry, networkFailure, resolveRetryOptions } from '../../src/intercom/retry-policy';

const o = resolveRetryOptions({ random: () => 0.5 });
const ctx = (over: Partial<AttemptContext>): AttemptContext => ({
  method: 'POST',
  replaySafe: false,
  failedAttempts: 1,
  throttled: 0,
  freshContactRetries: 0,
  namesFreshContact: false,
  ...over,
});

test('a non-idempotent POST is never replayed once it may have reached Intercom', () => {
  for (const failure of [
    { type: 'status' as const, status: 500 },
    { type: 'status' as const, status: 503 },
    { type: 'status' as const, status: 408 },
    networkFailure('ECONNRESET'),
    networkFailure('ETIMEDOUT'),
  ]) {
    assert.equal(decideRetry(failure, ctx({}), o).action, 'unknown', JSON.stringify(failure));
  }
});

test('a POST that never left (connection refused) and any 429 are retried', () => {
  assert.equal(decideRetry(networkFailure('ECONNREFUSED'), ctx({}), o).action, 'retry');
  assert.equal(decideRetry({ type: 'status', status: 429 }, ctx({ throttled: 1 }), o).action, 'retry');
  assert.equal(decideRetry({ type: 'status', status: 429 }, ctx({ throttled: 21 }), o).action, 'exhausted');
});

test('GET/PUT/DELETE and idempotent POSTs retry 5xx with backoff until attempts run out', () => {
  assert.deepEqual(decideRetry({ type: 'status', status: 502 }, ctx({ method: 'GET', replaySafe: true }), o), {
    action: 'retry',
    delayMs: 375,
    reason: 'HTTP 502',
  });
  assert.equal(
    decideRetry({ type: 'status', status: 500 }, ctx({ method: 'POST', replaySafe: true, failedAttempts: 5 }), o)
      .action,
    'exhausted',
  );
  assert.equal(
    decideRetry({ type: 'status', status: 400 }, ctx({ method: 'GET', replaySafe: true }), o).action,
    'fail',
  );
});

test('backoff doubles, stays within [half, full] of its step and is capped', () => {
  const lo = resolveRetryOptions({ random: () => 0 });
  const hi = resolveRetryOptions({ random: () => 0.999999 });
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelay(n, lo)),
    [250, 500, 1000],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelay(n, hi)),
    [500, 1000, 2000],
  );
  assert.equal(backoffDelay(20, hi), 30_000);
});

test('a 404 is retried only for a contact created moments ago, a bounded number of times', () => {
  const notFound = { type: 'status' as const, status: 404 };
  assert.equal(decideRetry(notFound, ctx({ namesFreshContact: false }), o).action, 'fail');
  assert.deepEqual(decideRetry(notFound, ctx({ namesFreshContact: true }), o), {
    action: 'retry',
    delayMs: 500,
    reason: 'HTTP 404 on a contact created moments ago',
  });
  assert.equal(decideRetry(notFound, ctx({ namesFreshContact: true, freshContactRetries: 5 }), o).action, 'fail');
});

test('small helpers: 409 id, redaction, paging, body normalisation', () => {
  assert.equal(
    parseConflictId('A contact matching those details already exists with id=6762f0dd1bb69f9f2193bb83'),
    '6762f0dd1bb69f9f2193bb83',
  );
  assert.equal(parseConflictId('Conflict'), undefined);
  assert.equal(redact('Authorization: Bearer abcd1234efgh', ['abcd1234efgh']), 'Authorization: Bearer [redacted]');
  assert.deepEqual(nextPageOf({ type: 'pages', next: { starting_after: 'c2' } }), { starting_after: 'c2' });
  assert.deepEqual(
    nextPageOf({ type: 'pages', page: 1, total_pages: 3, next: 'https://api.intercom.io/companies?page=2' }),
    { page: 2 },
  );
  assert.equal(nextPageOf({ type: 'pages', page: 3, total_pages: 3, next: null }), undefined);
  assert.equal(normalizeBody('<p>Printer &amp; <b>fire</b></p>\n'), 'Printer & fire');
});
