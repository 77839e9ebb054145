/**
 * Bounded concurrency plus pacing driven by Intercom's rate-limit headers.
 *
 * Intercom counts requests in fixed 10-second windows and reports, on every authenticated response,
 * `X-RateLimit-Limit` (per window), `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix seconds).
 * It sends no Retry-After. The limiter:
 * - sends one request at a time until the first headers arrive (the limit is unknown before that);
 * - spreads the remaining budget of the window evenly over the time left until its reset, keeping a
 *   small reserve, so the steady state sits just under the limit and never bursts at a window start;
 * - counts requests still in flight against the budget (the server may already have counted them);
 * - treats the reset instant as known to ±1 s only (it is an epoch in whole seconds, rounded one way
 *   or the other): spends a window's budget before reset − guard and starts the next after
 *   reset + guard, so requests near the boundary are never counted in the wrong window;
 * - after a 429, sends nothing until the reported reset.
 */

import { systemClock } from '../model/clock';

/** Time kept free on each side of a window's reset (its instant is known to ±1 s). */
export const ROLLOVER_GUARD_MS = 1_000;

/** Largest burst allowed to make up for late timers, in milliseconds of schedule. */
const CATCH_UP_MS = 20;

export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
}

export interface RateLimiterOptions {
  /** Requests in flight at most. Default 10. */
  concurrency?: number;
  /** Length of Intercom's window. Default 10,000 ms. */
  windowMs?: number;
  /** Requests per window left unused as a safety margin. Default max(1, 2 % of the limit). */
  reserve?: (limit: number) => number;
  /** Uncertainty of the reset instant, kept free on both sides of it. Default 1,000 ms. */
  rolloverGuardMs?: number;
  now?: () => number;
}

export interface RateLimiterStats {
  /** Requests handed a permit. */
  sent: number;
  /** Responses (or failures) reported back. */
  completed: number;
  /** 429 responses seen. */
  throttled: number;
  inFlight: number;
  queued: number;
  /** Per-window limit from the last headers (undefined before the first response). */
  limit: number | undefined;
  /** Our estimate of what is left in the current window. */
  remaining: number | undefined;
  /** Requests sent during the last window length (a sliding count). */
  sentInLastWindow: number;
  /** sentInLastWindow as requests per second. */
  currentRatePerSecond: number;
}

export interface Permit {
  /** Report how the request ended; `headers` when the response carried them. */
  release(outcome: { headers?: RateLimitHeaders | undefined; status?: number | undefined }): void;
}

export class RateLimiter {
  private readonly concurrency: number;
  private readonly windowMs: number;
  private readonly reserveFor: (limit: number) => number;
  private readonly guardMs: number;
  private readonly now: () => number;

  private inFlight = 0;
  private limit: number | undefined;
  /** Reset instant (ms) of the window we are spending. */
  private resetAtMs: number | undefined;
  /** Last reset instant the server reported; tells a new server window from a stale response. */
  private serverResetMs = 0;
  private remaining = 0;
  /** Scheduled time of the last slot handed out (see pump). */
  private lastSlotAt = Number.NEGATIVE_INFINITY;
  private blockedUntil = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly recentSends: number[] = [];
  private sent = 0;
  private completed = 0;
  private throttled = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 10);
    this.windowMs = options.windowMs ?? 10_000;
    this.reserveFor = options.reserve ?? ((limit) => Math.max(1, Math.ceil(limit * 0.02)));
    this.guardMs = options.rolloverGuardMs ?? ROLLOVER_GUARD_MS;
    this.now = options.now ?? (() => systemClock.now().getTime());
  }

  /** Requests this limiter lets be in flight at once. */
  get slots(): number {
    return this.concurrency;
  }

  acquire(): Promise<Permit> {
    return new Promise<Permit>((resolve) => {
      this.waiters.push(() => resolve(this.makePermit()));
      this.pump();
    });
  }

  stats(): RateLimiterStats {
    const now = this.now();
    this.trimRecent(now);
    return {
      sent: this.sent,
      completed: this.completed,
      throttled: this.throttled,
      inFlight: this.inFlight,
      queued: this.waiters.length,
      limit: this.limit,
      remaining: this.limit === undefined ? undefined : this.remaining,
      sentInLastWindow: this.recentSends.length,
      currentRatePerSecond: (this.recentSends.length * 1000) / this.windowMs,
    };
  }

  private makePermit(): Permit {
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.onRelease(outcome.headers, outcome.status);
      },
    };
  }

  private onRelease(headers: RateLimitHeaders | undefined, status: number | undefined): void {
    this.inFlight -= 1;
    this.completed += 1;
    const now = this.now();
    if (headers !== undefined) {
      const resetMs = headers.reset * 1000;
      if (resetMs > this.serverResetMs) {
        // First response of a server window we had not seen yet.
        this.serverResetMs = resetMs;
        this.resetAtMs = resetMs;
        this.limit = headers.limit;
        this.remaining = headers.remaining;
      } else if (resetMs === this.serverResetMs) {
        // Responses can arrive out of order; within a window the count only goes down.
        this.limit = headers.limit;
        this.remaining = Math.min(this.remaining, headers.remaining);
      }
      // Older reset: a stale response from a previous window; it tells us nothing new.
    } else if (this.limit !== undefined) {
      // No headers (connection lost, proxy error): assume the server counted it.
      this.remaining = Math.max(0, this.remaining - 1);
    }
    if (status === 429) {
      this.throttled += 1;
      this.remaining = 0;
      if (headers === undefined || headers.reset * 1000 <= now) {
        // A 429 without a usable reset: hold everything for one window.
        this.blockedUntil = Math.max(this.blockedUntil, now + this.windowMs);
      }
    }
    this.pump();
  }

  private dispatch(now: number): void {
    const next = this.waiters.shift();
    if (next === undefined) return;
    this.inFlight += 1;
    this.sent += 1;
    this.recentSends.push(now);
    this.trimRecent(now);
    next();
  }

  private trimRecent(now: number): void {
    while (this.recentSends.length > 0 && (this.recentSends[0] ?? 0) <= now - this.windowMs) this.recentSends.shift();
  }

  private pump(): void {
    for (;;) {
      if (this.waiters.length === 0 || this.inFlight >= this.concurrency) return;
      const now = this.now();
      if (now < this.blockedUntil) return this.wakeAt(this.blockedUntil);
      if (this.limit === undefined || this.resetAtMs === undefined) {
        // Limit unknown: probe with a single request.
        if (this.inFlight > 0) return;
        this.dispatch(now);
        continue;
      }
      // The reset epoch has 1-second resolution: the true boundary may lie up to a guard either side.
      // Spend a window's budget before (reset − guard); start on the next one after (reset + guard).
      if (now >= this.resetAtMs - this.guardMs) {
        const freshAt = this.resetAtMs + this.guardMs;
        if (now < freshAt) return this.wakeAt(freshAt);
        // Assume the next window began; the first response in it corrects the estimate.
        while (this.resetAtMs - this.guardMs <= now) this.resetAtMs += this.windowMs;
        this.remaining = this.limit;
      }
      const budget = this.remaining - this.inFlight - this.reserveFor(this.limit);
      if (budget <= 0) return this.wakeAt(this.resetAtMs + this.guardMs);
      const interval = (this.resetAtMs - this.guardMs - now) / budget;
      const sendAt = this.lastSlotAt + interval;
      if (now < sendAt) return this.wakeAt(sendAt);
      // Slots follow a schedule, not the timer: when timers fire late (they have 1 ms resolution
      // and a busy loop delays them) the schedule catches up, by at most CATCH_UP_MS of sends.
      this.lastSlotAt = Math.max(sendAt, now - CATCH_UP_MS);
      this.dispatch(now);
    }
  }

  private wakeAt(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, Math.ceil(at - this.now())),
    );
  }
}

/** Reads the three headers; undefined when any is missing or not a number. */
export function readRateLimitHeaders(headers: Record<string, unknown>): RateLimitHeaders | undefined {
  const num = (name: string): number | undefined => {
    const raw = headers[name] ?? headers[name.toLowerCase()];
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  const limit = num('x-ratelimit-limit');
  const remaining = num('x-ratelimit-remaining');
  const reset = num('x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return { limit, remaining, reset };
}
