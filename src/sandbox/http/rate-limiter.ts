/**
 * Intercom's per-app limit, enforced in fixed 10-second windows: the limit is the per-window share
 * (10,000/min -> 1,667 per 10 s), `X-RateLimit-Reset` is the epoch second the window ends, and a
 * request over the limit gets 429 without `Retry-After`. The window length can be shortened (whole
 * seconds, as the reset header has) so that tests injecting many 429s do not wait out 10 s each time.
 */
import { systemClock } from '../../model/clock';

const WINDOW_SECONDS = 10;

export interface RateLimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
  limit: number;
}

export class RateLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly nowMs: () => number = () => systemClock.now().getTime(),
    readonly windowSeconds: number = WINDOW_SECONDS,
  ) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
      throw new Error(`rate-limit window must be a whole number of seconds ≥ 1, not ${windowSeconds}`);
  }

  take(): RateLimitVerdict {
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    const start = nowSeconds - (nowSeconds % this.windowSeconds);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    const allowed = this.used < this.limit;
    if (allowed) this.used++;
    return {
      allowed,
      limit: this.limit,
      headers: this.headers(),
    };
  }

  /**
   * Gives back the last request taken in the current window: a request another limit refused (the
   * workspace's) does not use up the app's window, as a refused request never does.
   */
  refund(): void {
    if (this.used > 0) this.used--;
  }

  /** Headers describing the current window without consuming it (used by injected 429s). */
  headers(): Record<string, string> {
    return {
      'X-RateLimit-Limit': String(this.limit),
      'X-RateLimit-Remaining': String(Math.max(0, this.limit - this.used)),
      'X-RateLimit-Reset': String(this.windowStart + this.windowSeconds),
    };
  }
}

export function rateLimitMessage(limit: number, windowSeconds = WINDOW_SECONDS): string {
  return `Exceeded rate limit of ${limit} in ${windowSeconds}_seconds`;
}
