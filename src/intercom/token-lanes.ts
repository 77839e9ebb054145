import type { Permit, RateLimiterOptions, RateLimiterStats } from './rate-limiter';
import { RateLimiter } from './rate-limiter';

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
export const WORKSPACE_LIMIT_PER_MINUTE = 25_000;

export interface Lane {
  /** 1-based, as the user listed the tokens: errors name a token by it, never by its value. */
  readonly number: number;
  readonly token: string;
  readonly limiter: RateLimiter;
  /** Why it was dropped, once it was. */
  dropped?: string;
}

/**
 * Spaces sends evenly under a per-window ceiling (2 % kept in reserve). Each caller reserves the next
 * free instant, so concurrent callers never share one; an idle pacer lends nothing to a later burst.
 */
export class WorkspaceCeiling {
  private nextAt = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(
    perMinute: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    const perWindow = perMinute / 6;
    this.intervalMs = 10_000 / Math.max(1, perWindow - Math.max(1, Math.ceil(perWindow * 0.02)));
  }

  async wait(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt + this.intervalMs);
    this.nextAt = at;
    if (at - now >= 1) await this.sleep(at - now);
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
    if (options instanceof RateLimiter && unique.length > 1) throw new Error('one RateLimiter instance cannot pace several tokens');
    return unique.map((token, i) => ({ number: i + 1, token, limiter: options instanceof RateLimiter ? options : new RateLimiter(options) }));
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
