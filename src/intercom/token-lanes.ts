import { systemClock } from '../model/clock';
import type { Permit, RateLimiterOptions, RateLimiterStats } from './rate-limiter';
import { RateLimiter, ROLLOVER_GUARD_MS } from './rate-limiter';

/**
 * Several access tokens (private apps) of one Intercom workspace, used together.
 *
 * Intercom limits each app to 10,000 requests a minute and each workspace to 25,000 across its apps,
 * both in 10-second windows. Each token gets a lane: its own RateLimiter, paced by the headers its
 * own responses carry. All lanes together are paced under the workspace's ceiling, which no header
 * reports, so it is configured (25,000 a minute by default). A token Intercom refuses (401) while
 * others remain is dropped and its request sent again on another lane (a 401 applied nothing).
 */

/** Intercom's ceiling for all apps of a workspace, per minute. */
const WORKSPACE_LIMIT_PER_MINUTE = 25_000;

export interface Lane {
  /** 1-based, as the user listed the tokens: errors name a token by it, never by its value. */
  readonly number: number;
  readonly token: string;
  readonly limiter: RateLimiter;
  /** Why it was dropped, once it was. */
  dropped?: string;
}

/** Intercom's window, and the time on each side of its reset the lanes keep free (rate-limiter.ts). */
const WINDOW_MS = 10_000;
const GUARD_MS = ROLLOVER_GUARD_MS;

/**
 * Spaces sends evenly under a per-window ceiling (2 % kept in reserve). Each caller reserves the next
 * free instant, so concurrent callers never share one; an idle pacer lends nothing to a later burst.
 *
 * Once a response has named a window's reset, the ceiling keeps the same free time around each reset
 * as the lanes do, and spreads the window's budget over the 8 s left. Spread over the whole 10 s, as
 * before any reset is known, it lost the 2 s the lanes sit out in every window: three tokens ran at
 * 0.76 of the workspace's limit. Any 10-s span, aligned with Intercom's windows or not, holds exactly
 * 2 s of free time, so it never holds more than the budget.
 */
export class WorkspaceCeiling {
  private nextAt = Number.NEGATIVE_INFINITY;
  private readonly perWindow: number;
  /** A reset instant (wall-clock ms) Intercom reported; every window boundary is a multiple of 10 s from it. */
  private boundaryMs: number | undefined;

  constructor(
    perMinute: number,
    /** Wall-clock milliseconds: resets are Unix times. */
    private readonly now: () => number = () => systemClock.now().getTime(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    const perWindow = perMinute / 6;
    this.perWindow = Math.max(1, perWindow - Math.max(1, Math.ceil(perWindow * 0.02)));
  }

  /** A response's reset (Unix seconds): from then on, windows are known. */
  observeReset(resetSeconds: number): void {
    this.boundaryMs ??= resetSeconds * 1000;
  }

  async wait(): Promise<void> {
    const now = this.now();
    const aligned = this.boundaryMs !== undefined;
    const interval = (aligned ? WINDOW_MS - 2 * GUARD_MS : WINDOW_MS) / this.perWindow;
    let at = Math.max(now, this.nextAt + interval);
    if (aligned) at = this.outsideGuards(at);
    this.nextAt = at;
    if (at - now >= 1) await this.sleep(at - now);
  }

  /** The instant itself, or the end of the free time around a reset when it falls inside. */
  private outsideGuards(at: number): number {
    const phase = (((at - this.boundaryMs!) % WINDOW_MS) + WINDOW_MS) % WINDOW_MS;
    if (phase < GUARD_MS) return at + (GUARD_MS - phase);
    if (phase > WINDOW_MS - GUARD_MS) return at + (WINDOW_MS - phase) + GUARD_MS;
    return at;
  }
}

export class TokenLanes {
  private lanes: Lane[];
  private readonly ceiling: WorkspaceCeiling;
  private readonly listeners = new Set<(message: string) => void>();
  private turn = 0;

  constructor(
    tokens: readonly string[],
    private readonly limiterOptions: RateLimiterOptions | RateLimiter | undefined,
    workspacePerMinute = WORKSPACE_LIMIT_PER_MINUTE,
  ) {
    this.lanes = TokenLanes.build(tokens, limiterOptions);
    this.ceiling = new WorkspaceCeiling(workspacePerMinute);
  }

  private static build(tokens: readonly string[], options: RateLimiterOptions | RateLimiter | undefined): Lane[] {
    const unique = [...new Set(tokens.map((t) => t.trim()).filter((t) => t !== ''))];
    if (unique.length === 0) throw new Error('no Intercom access token');
    // A limiter given whole (tests pace one token by hand) serves a single lane only.
    if (options instanceof RateLimiter && unique.length > 1)
      throw new Error('one RateLimiter instance cannot pace several tokens');
    return unique.map((token, i) => ({
      number: i + 1,
      token,
      limiter: options instanceof RateLimiter ? options : new RateLimiter(options),
    }));
  }

  /** Every token, dropped ones included (all are redacted from messages). */
  tokens(): string[] {
    return this.lanes.map((l) => l.token);
  }

  get count(): number {
    return this.lanes.length;
  }

  /** Requests in flight at most, over the lanes in use. */
  get slots(): number {
    return this.live().reduce((t, l) => t + l.limiter.slots, 0);
  }

  /** Lanes still in use. */
  live(): Lane[] {
    return this.lanes.filter((l) => l.dropped === undefined);
  }

  /** Replaces every token (the user entered new ones). */
  replace(tokens: readonly string[]): void {
    this.lanes = TokenLanes.build(tokens, this.limiterOptions);
  }

  /** A response named its window's reset: the workspace ceiling keeps to Intercom's windows. */
  observeReset(resetSeconds: number): void {
    this.ceiling.observeReset(resetSeconds);
  }

  /** Hears each token dropped during a run (the run says it as a warning). */
  onDrop(listener: (message: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The least busy live lane (or the one asked for), then its permit and a slot under the ceiling. */
  async acquire(laneNumber?: number): Promise<{ lane: Lane; permit: Permit }> {
    const lane = laneNumber !== undefined ? this.lanes.find((l) => l.number === laneNumber) : this.pick();
    if (lane === undefined) throw new Error(`no Intercom token number ${laneNumber}`);
    const permit = await lane.limiter.acquire();
    await this.ceiling.wait();
    return { lane, permit };
  }

  private pick(): Lane {
    const live = this.live();
    // Every token refused: the last one stays in use so the request ends with Intercom's own 401.
    if (live.length === 0) return this.lanes[this.lanes.length - 1]!;
    let best: Lane | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let i = 0; i < live.length; i++) {
      const lane = live[(this.turn + i) % live.length]!;
      const s = lane.limiter.stats();
      const load = s.inFlight + s.queued;
      if (load < bestLoad) {
        best = lane;
        bestLoad = load;
      }
    }
    this.turn++;
    return best!;
  }

  /**
   * Intercom refused this lane's token (401). True when the request can go again on another lane:
   * the lane is dropped (said to the listeners) while at least one other remains.
   */
  dropRefused(lane: Lane, reason: string): boolean {
    const others = this.live().filter((l) => l !== lane);
    if (others.length === 0) return false;
    if (lane.dropped === undefined) {
      lane.dropped = reason;
      const message = `Intercom refused access token ${lane.number} of ${this.lanes.length} (${reason}): it is no longer used; the run goes on with ${others.length} token(s)`;
      for (const listener of this.listeners) listener(message);
    }
    return true;
  }

  /** All lanes' figures added up (the limit and what is left: of the lanes in use). */
  stats(): RateLimiterStats {
    const all = this.lanes.map((l) => ({ lane: l, s: l.limiter.stats() }));
    const live = all.filter((x) => x.lane.dropped === undefined);
    const sum = (pick: (s: RateLimiterStats) => number) => all.reduce((t, x) => t + pick(x.s), 0);
    const known = live.filter((x) => x.s.limit !== undefined);
    return {
      sent: sum((s) => s.sent),
      completed: sum((s) => s.completed),
      throttled: sum((s) => s.throttled),
      inFlight: sum((s) => s.inFlight),
      queued: sum((s) => s.queued),
      limit: known.length ? known.reduce((t, x) => t + (x.s.limit ?? 0), 0) : undefined,
      remaining: known.length ? known.reduce((t, x) => t + (x.s.remaining ?? 0), 0) : undefined,
      sentInLastWindow: sum((s) => s.sentInLastWindow),
      currentRatePerSecond: sum((s) => s.currentRatePerSecond),
    };
  }
}
