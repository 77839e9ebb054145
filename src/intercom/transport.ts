import type { AxiosInstance } from 'axios';
import axios from 'axios';
import type { z } from 'zod';

import { zodIssues } from '../model/zod-issues';
import type { IntercomError, IntercomErrorDetail, IntercomErrorInit } from './errors';
import {
  AuthError,
  ConflictError,
  NetworkError,
  NotFoundError,
  OutcomeUnknownError,
  PlanRestrictedError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  ValidationError,
} from './errors';
import type { IntercomLogger } from './logger';
import { redact, redactingLogger, silentLogger } from './logger';
import type { OutcomeLookup } from './outcome';
import type { RateLimiter, RateLimiterOptions, RateLimitHeaders } from './rate-limiter';
import { readRateLimitHeaders } from './rate-limiter';
import type { AttemptFailure, HttpMethod, ResolvedRetryOptions, RetryOptions } from './retry-policy';
import { decideRetry, networkFailure, resolveRetryOptions } from './retry-policy';
import { ErrorEnvelope } from './schemas/common';
import { SearchWitnesses } from './search-witnesses';
import { TokenLanes } from './token-lanes';

export type Region = 'US' | 'EU' | 'AU';

/** Regional hosts (NOTES §2). api.intercom.io routes to the right region but naming it avoids a hop. */
export const REGION_BASE_URLS: Record<Region, string> = {
  US: 'https://api.intercom.io',
  EU: 'https://api.eu.intercom.io',
  AU: 'https://api.au.intercom.io',
};

/** Every request pins this version; the schemas in ./schemas describe it. */
const INTERCOM_API_VERSION = '2.16';

export interface TransportOptions {
  /** One access token, or several of the same workspace's apps used together (token-lanes.ts). */
  token: string | readonly string[];
  /** The workspace's ceiling across its apps, requests per minute (default 25,000). */
  workspaceLimitPerMinute?: number;
  region?: Region;
  /** Overrides the regional host (a local sandbox, a proxy). */
  baseUrl?: string;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** A limiter to share between clients of the same app, or options for a private one. */
  rateLimiter?: RateLimiter | RateLimiterOptions;
  retry?: RetryOptions;
  logger?: IntercomLogger;
  sleep?: (ms: number) => Promise<void>;
}

/** How a POST may be retried when its outcome is unknown. */
type PostReplay =
  /** Repeating it cannot create a second object (an upsert on a caller key, applying a tag, …). */
  | { idempotent: string }
  /** Repeating it could duplicate: never replayed; this lookup decides whether it was applied. */
  | { lookup: OutcomeLookup };

export interface RequestSpec<T> {
  method: HttpMethod;
  /** Path with ids already URL-encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  response: z.ZodType<T>;
  /** What identifies the record, for messages: `external_id=123`. */
  label?: string;
  /** Required for POST. */
  replay?: PostReplay;
  /** Send with this token (1-based) only, as when each token is checked: a 401 is not passed on to another. */
  lane?: number;
  /** The contact id this request names, so a 404 right after creating it is retried briefly. */
  contactId?: string;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Transport {
  readonly lanes: TokenLanes;
  /** The API base URL every request goes to (a region's host or the one given). */
  readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private readonly retry: ResolvedRetryOptions;
  private readonly log: IntercomLogger;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Contacts this client created, by id → creation time, to recognise a fresh-contact 404. */
  private readonly freshContacts = new Map<string, number>();
  /** Objects this client created, to tell when search has caught up (search-witnesses.ts). */
  readonly witnesses = new SearchWitnesses();

  constructor(options: TransportOptions) {
    this.lanes = new TokenLanes(
      typeof options.token === 'string' ? [options.token] : options.token,
      options.rateLimiter,
      options.workspaceLimitPerMinute,
    );
    this.retry = resolveRetryOptions(options.retry);
    this.log = redactingLogger(options.logger ?? silentLogger, () => this.lanes.tokens());
    this.sleep = options.sleep ?? defaultSleep;
    this.baseUrl = options.baseUrl ?? REGION_BASE_URLS[options.region ?? 'US'];
    this.http = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 30_000,
      // A redirect could carry the token to another host; Intercom does not redirect API calls.
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      headers: { Accept: 'application/json', 'Intercom-Version': INTERCOM_API_VERSION },
    });
  }

  /** Rotates the tokens (e.g. after the user re-enters them); later requests use the new ones. */
  setToken(token: string | readonly string[]): void {
    this.lanes.replace(typeof token === 'string' ? [token] : token);
  }

  /** Remember a contact this client just created (see RetryOptions.freshContactWindowMs). */
  noteContactCreated(id: string): void {
    const now = performance.now();
    this.freshContacts.set(id, now);
    if (this.freshContacts.size > 10_000) {
      for (const [key, at] of this.freshContacts) {
        if (now - at > this.retry.freshContactWindowMs) this.freshContacts.delete(key);
      }
    }
  }

  /** A contact this client deleted: a 404 on it is final. */
  forgetContact(id: string): void {
    this.freshContacts.delete(id);
  }

  private isFresh(contactId: string | undefined): boolean {
    if (contactId === undefined) return false;
    const at = this.freshContacts.get(contactId);
    return at !== undefined && performance.now() - at < this.retry.freshContactWindowMs;
  }

  describe(spec: Pick<RequestSpec<unknown>, 'method' | 'path' | 'label'>): string {
    return redact(
      `${spec.method} ${spec.path}${spec.label !== undefined ? ` (${spec.label})` : ''}`,
      this.lanes.tokens(),
    );
  }

  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const request = this.describe(spec);
    if (spec.method === 'POST' && spec.replay === undefined) {
      throw new Error(`${request}: a POST must declare whether it is idempotent or how to look it up`);
    }
    const replaySafe = spec.method !== 'POST' || (spec.replay !== undefined && 'idempotent' in spec.replay);
    let failedAttempts = 0;
    let throttled = 0;
    let freshContactRetries = 0;
    for (;;) {
      const { lane, permit } = await this.lanes.acquire(spec.lane);
      // Queued on a token dropped meanwhile: sent on another instead (nothing went out).
      if (lane.dropped !== undefined && spec.lane === undefined && this.lanes.live().length > 0) {
        permit.release({ status: 0 });
        continue;
      }
      const started = performance.now();
      let failure: AttemptFailure | undefined;
      let status: number | undefined;
      let headers: RateLimitHeaders | undefined;
      let text = '';
      try {
        const res = await this.http.request<string>({
          method: spec.method,
          url: spec.path,
          params: spec.query,
          data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          headers: {
            Authorization: `Bearer ${lane.token}`,
            ...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        });
        status = res.status;
        headers = readRateLimitHeaders(res.headers as Record<string, unknown>);
        text = typeof res.data === 'string' ? res.data : '';
        permit.release({ headers, status });
        if (headers) this.lanes.observeReset(headers.reset);
      } catch (err) {
        permit.release({});
        const code = axios.isAxiosError(err) ? (err.code ?? 'ERR_NETWORK') : 'ERR_UNKNOWN';
        // axios reports its own timeout as ECONNABORTED; name it for what it is.
        const networkCode = code === 'ECONNABORTED' ? 'ETIMEDOUT' : code;
        failure = networkFailure(networkCode);
        this.log.debug('intercom request failed', {
          request,
          code: networkCode,
          ms: Math.round(performance.now() - started),
        });
      }
      if (status !== undefined) {
        this.log.debug('intercom request', {
          request,
          status,
          ms: Math.round(performance.now() - started),
          remaining: headers?.remaining,
        });
        if (status >= 200 && status < 300) return this.parse(spec, request, status, text);
        failure = { type: 'status', status };
      }
      if (failure === undefined) throw new Error(`${request}: unreachable (no response and no error)`);
      // One token of several refused: it is dropped and the request (applied nowhere) goes on another.
      if (status === 401 && spec.lane === undefined && this.lanes.dropRefused(lane, '401')) continue;
      if (failure.type === 'status' && failure.status === 429) throttled += 1;
      else if (failure.type === 'network' || failure.status >= 500 || failure.status === 408) failedAttempts += 1;
      const decision = decideRetry(
        failure,
        {
          method: spec.method,
          replaySafe,
          failedAttempts,
          throttled,
          freshContactRetries,
          namesFreshContact: this.isFresh(spec.contactId),
        },
        this.retry,
      );
      const init = this.errorInit(request, status, text);
      if (decision.action === 'retry') {
        if (failure.type === 'status' && failure.status === 404) freshContactRetries += 1;
        this.log.warn('intercom request retried', { request, reason: decision.reason, delayMs: decision.delayMs });
        if (decision.delayMs > 0) await this.sleep(decision.delayMs);
        continue;
      }
      if (decision.action === 'unknown') {
        const lookup = spec.replay !== undefined && 'lookup' in spec.replay ? spec.replay.lookup : undefined;
        if (lookup === undefined) throw new Error(`${request}: unreachable (a non-idempotent POST without lookup)`);
        const error = new OutcomeUnknownError({ ...init, lookup, reason: decision.reason });
        this.log.warn('intercom write outcome unknown', { request, reason: decision.reason });
        throw error;
      }
      if (decision.action === 'exhausted') {
        if (failure.type === 'status' && failure.status === 429)
          throw new RateLimitedError({ ...init, attempts: throttled });
        if (failure.type === 'network')
          throw new NetworkError({ ...init, networkCode: failure.code, attempts: failedAttempts });
        throw new ServerError({ ...init, attempts: failedAttempts, reason: decision.reason });
      }
      throw this.statusError(init, status ?? 0);
    }
  }

  private parse<T>(spec: RequestSpec<T>, request: string, status: number, text: string): T {
    let json: unknown;
    if (text.trim() === '') json = undefined;
    else {
      try {
        json = JSON.parse(text);
      } catch {
        throw new ResponseShapeError({ request, status, issues: 'body is not JSON' });
      }
    }
    const parsed = spec.response.safeParse(json);
    if (!parsed.success) {
      throw new ResponseShapeError({
        request,
        status,
        issues: redact(zodIssues(parsed.error, 5), this.lanes.tokens()),
      });
    }
    return parsed.data;
  }

  private errorInit(request: string, status: number | undefined, text: string): IntercomErrorInit {
    const init: IntercomErrorInit = { request, status };
    if (text === '') return init;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return init;
    }
    const env = ErrorEnvelope.safeParse(json);
    if (!env.success) return init;
    const secrets = this.lanes.tokens();
    init.requestId = env.data.request_id ?? null;
    init.errors = env.data.errors.map((e): IntercomErrorDetail => ({
      code: redact(e.code, secrets),
      ...(e.message != null ? { message: redact(e.message, secrets) } : {}),
      ...(e.field != null ? { field: redact(e.field, secrets) } : {}),
    }));
    return init;
  }

  private statusError(init: IntercomErrorInit, status: number): IntercomError {
    // Plan errors are recognised by code whatever the status.
    if (init.errors?.some((e) => e.code === 'api_plan_restricted')) return new PlanRestrictedError(init);
    if (status === 401) return new AuthError(init);
    if (status === 403) return new PlanRestrictedError(init);
    if (status === 404 || status === 410) return new NotFoundError(init);
    if (status === 409) return new ConflictError(init);
    if (status === 400 || status === 422) return new ValidationError(init);
    return new ValidationError(init);
  }
}
