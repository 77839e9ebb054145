import { RateLimiter, type RateLimitVerdict } from './rate-limiter';

/**
 * The workspace's apps, one per access token, and Intercom's two limits: each app's own window
 * (10,000 a minute: 1,667 per 10 s) and the workspace's across its apps (25,000 a minute: 4,167 per
 * 10 s). Headers always describe the app's window, the only one Intercom reports; when the workspace
 * is the one spent, the 429 says remaining 0 and the workspace window's reset (Intercom documents no
 * headers of its own for it) and the refused request uses up nothing of its app's window. Tokens of
 * another workspace only answer GET /me, with that workspace.
 */
export interface AppLimits {
  appLimitPer10s: number;
  workspaceLimitPer10s: number;
  windowSeconds?: number;
}

interface App {
  limiter: RateLimiter;
  revoked: boolean;
}

export type AppVerdict =
  { kind: 'unknown' } | { kind: 'foreign' } | { kind: 'app'; verdict: RateLimitVerdict; windowSeconds: number };

export class WorkspaceApps {
  private readonly apps = new Map<string, App>();
  private readonly workspace: RateLimiter;

  constructor(
    tokens: readonly string[],
    private readonly foreign: ReadonlySet<string>,
    private readonly limits: AppLimits,
    private readonly nowMs: () => number,
  ) {
    this.workspace = new RateLimiter(limits.workspaceLimitPer10s, nowMs, limits.windowSeconds);
    for (const token of tokens) this.add(token);
  }

  get tokens(): string[] {
    return [...this.apps.keys()];
  }

  add(token: string): void {
    this.apps.set(token, {
      limiter: new RateLimiter(this.limits.appLimitPer10s, this.nowMs, this.limits.windowSeconds),
      revoked: false,
    });
  }

  /** Replaces the first app's token (the sandbox's own, which the control endpoints also take). */
  replaceFirst(token: string): void {
    const [first, ...rest] = [...this.apps.entries()];
    this.apps.clear();
    this.apps.set(token, {
      limiter: first?.[1].limiter ?? new RateLimiter(this.limits.appLimitPer10s, this.nowMs, this.limits.windowSeconds),
      revoked: false,
    });
    for (const [t, app] of rest) if (t !== token) this.apps.set(t, app);
  }

  /** Whether a token is one of this workspace's apps (revoked or not). */
  has(token: string): boolean {
    return this.apps.has(token);
  }

  revoke(token: string): boolean {
    const app = this.apps.get(token);
    if (!app) return false;
    app.revoked = true;
    return true;
  }

  /** Counts one request against its app and the workspace. */
  take(token: string | undefined): AppVerdict {
    if (token === undefined) return { kind: 'unknown' };
    if (this.foreign.has(token)) return { kind: 'foreign' };
    const app = this.apps.get(token);
    if (!app || app.revoked) return { kind: 'unknown' };
    const own = app.limiter.take();
    if (!own.allowed) return { kind: 'app', verdict: own, windowSeconds: app.limiter.windowSeconds };
    const shared = this.workspace.take();
    if (shared.allowed) return { kind: 'app', verdict: own, windowSeconds: app.limiter.windowSeconds };
    // Refused by the workspace: the request uses up nothing of its app's window.
    app.limiter.refund();
    return {
      kind: 'app',
      windowSeconds: this.workspace.windowSeconds,
      verdict: {
        allowed: false,
        limit: own.limit,
        headers: {
          ...app.limiter.headers(),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': shared.headers['X-RateLimit-Reset']!,
        },
      },
    };
  }

  /** Headers of a token's app window without counting (for injected 429s). */
  headersOf(token: string): Record<string, string> {
    return this.apps.get(token)?.limiter.headers() ?? {};
  }
}
