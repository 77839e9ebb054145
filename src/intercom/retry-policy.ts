/**
 * Which failures are retried, and how long to wait, so that a retry can never duplicate a write.
 *
 * - 429: the request was rejected, never applied. Any method waits for the window reset (the rate
 *   limiter holds the retry until then) and tries again.
 * - Connection refused / DNS failure: nothing reached Intercom. Any method is retried with backoff.
 * - 5xx, 408, timeouts, ECONNRESET / socket hang up: the request may have been applied.
 *   GET, PUT and DELETE are safe to repeat and are retried with exponential backoff and jitter.
 *   POSTs that are idempotent by nature (upserts keyed on a caller id, applying a tag, attaching a
 *   company, archiving) say so in their request spec and are retried the same way. Any other POST
 *   is never replayed: the call fails with OutcomeUnknownError and a lookup (resolve-unknown.ts).
 * - 404 on a request naming a contact this client created moments ago: Intercom says "there can be a
 *   short delay between when a contact is created and when a contact becomes available … a 404 Not
 *   Found error will be returned in this case" (NOTES §3.6). A 404 means not applied, so it is
 *   retried after `freshContactDelaysMs` (0.5 + 1 + 2 + 4 + 8 = 15.5 s in all by default).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RetryOptions {
  /** Attempts for retryable 5xx / network failures, first one included. Default 5. */
  maxAttempts?: number;
  /** First backoff step. Default 500 ms, doubled each attempt. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /** 429s tolerated for one call before RateLimitedError. Default 20. */
  maxThrottledRetries?: number;
  /** Waits before re-sending after a 404 on a just-created contact. */
  freshContactDelaysMs?: readonly number[];
  /** A contact counts as "just created" for this long. Default 120 s. */
  freshContactWindowMs?: number;
  random?: () => number;
}

export interface ResolvedRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxThrottledRetries: number;
  freshContactDelaysMs: readonly number[];
  freshContactWindowMs: number;
  random: () => number;
}

export function resolveRetryOptions(o: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: o.maxAttempts ?? 5,
    baseDelayMs: o.baseDelayMs ?? 500,
    maxDelayMs: o.maxDelayMs ?? 30_000,
    maxThrottledRetries: o.maxThrottledRetries ?? 20,
    freshContactDelaysMs: o.freshContactDelaysMs ?? [500, 1_000, 2_000, 4_000, 8_000],
    freshContactWindowMs: o.freshContactWindowMs ?? 120_000,
    random: o.random ?? Math.random,
  };
}

/** How a single attempt ended, reduced to what the policy needs. */
export type AttemptFailure =
  { type: 'status'; status: number } | { type: 'network'; code: string; reachedServer: boolean };

/** Network error codes that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export function networkFailure(code: string | undefined): AttemptFailure {
  const c = code ?? 'UNKNOWN';
  return { type: 'network', code: c, reachedServer: !NOT_SENT_CODES.has(c) };
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  /** Not retryable by status: map the status to its typed error. */
  | { action: 'fail' }
  /** Retryable but attempts are used up. */
  | { action: 'exhausted'; reason: string }
  /** A non-idempotent write may have been applied. */
  | { action: 'unknown'; reason: string };

export interface AttemptContext {
  method: HttpMethod;
  /** True for GET/PUT/DELETE and for POSTs declared idempotent by nature. */
  replaySafe: boolean;
  /** Failed attempts so far for 5xx/network reasons (this one included). */
  failedAttempts: number;
  /** 429s so far for this call (this one included). */
  throttled: number;
  /** 404 retries already made because the named contact was created moments ago. */
  freshContactRetries: number;
  /** The request names a contact this client created within the fresh window. */
  namesFreshContact: boolean;
}

export function backoffDelay(failedAttempts: number, o: ResolvedRetryOptions): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  // "Equal jitter": at least half the step, so retries of many calls spread out without collapsing to 0.
  return Math.round(ceiling / 2 + (o.random() * ceiling) / 2);
}

function reasonOf(f: AttemptFailure): string {
  return f.type === 'status' ? `HTTP ${f.status}` : f.code;
}

export function decideRetry(failure: AttemptFailure, ctx: AttemptContext, o: ResolvedRetryOptions): RetryDecision {
  if (failure.type === 'status' && failure.status === 429) {
    if (ctx.throttled > o.maxThrottledRetries) return { action: 'exhausted', reason: 'HTTP 429' };
    // The limiter holds the retry until the reset; no extra delay here.
    return { action: 'retry', delayMs: 0, reason: 'HTTP 429' };
  }
  if (failure.type === 'status' && failure.status === 404 && ctx.namesFreshContact) {
    const delay = o.freshContactDelaysMs[ctx.freshContactRetries];
    if (delay !== undefined)
      return { action: 'retry', delayMs: delay, reason: 'HTTP 404 on a contact created moments ago' };
    return { action: 'fail' };
  }
  const applied = failure.type === 'network' ? failure.reachedServer : failure.status >= 500 || failure.status === 408;
  const transient = failure.type === 'network' || failure.status >= 500 || failure.status === 408;
  if (!transient) return { action: 'fail' };
  if (applied && !ctx.replaySafe) return { action: 'unknown', reason: reasonOf(failure) };
  if (ctx.failedAttempts >= o.maxAttempts) return { action: 'exhausted', reason: reasonOf(failure) };
  return { action: 'retry', delayMs: backoffDelay(ctx.failedAttempts, o), reason: reasonOf(failure) };
}
