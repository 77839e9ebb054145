import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Clock } from '../model/clock';
import { controlRequest, type ViewKind } from './control';
import { WorkspaceApps } from './http/apps';
import { ApiError, errorList } from './http/errors';
import { FaultInjector } from './http/faults';
import { type LoggedRequest, RequestLog } from './http/request-log';
import { Router } from './http/router';
import { handleRequest } from './http/server';
import { loadOpenApiValidator, type OpenApiValidator } from './openapi/validator';
import { renderConversation } from './resources/conversation-render';
import { renderCompany, renderContact } from './resources/render';
import { renderTicket } from './resources/ticket-render';
import { registerRoutes, settleDue } from './routes';
import { DurableState } from './state/durable-state';
import { FileStore } from './state/file-store';
import { DEFAULT_SEED, readSeedFile, stateFromSeed } from './state/seed';
import { Store } from './state/store';
import type { SandboxState } from './state/types';

export type { LoggedRequest } from './http/request-log';
export type { SandboxState } from './state/types';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Keep the state here and reload it on start. Every change is appended to a write-ahead log beside
   * it (`<stateFile>.wal`) and synced before the response, then compacted into this file.
   */
  stateFile?: string;
  /** With stateFile: compact the log once it holds this many bytes (default 16 MiB, or the state file's size when larger). */
  compactAfterBytes?: number;
  /** JSON seed: workspace, admins, teams, help centers, custom object types, segments. */
  seedFile?: string;
  /** Requests allowed per rate-limit window (default 1667 = 10,000 a minute with 10-second windows). */
  rateLimitPer10s?: number;
  /**
   * Length of a rate-limit window in whole seconds (default 10, as Intercom's). A shorter one makes a
   * 429 cheaper to wait out, for tests that inject many; the client must then use a matching
   * `windowMs` and a rollover guard well under a second.
   */
  rateLimitWindowSeconds?: number;
  /** Fault spec, e.g. `429:0.02,500:0.02,drop:0.01,seed=7` or `script:faults.json`. */
  faults?: string;
  /** How long a created contact/conversation stays invisible to search (default 3 s; Intercom documents up to minutes). */
  searchLagMs?: number;
  /** How long an accepted company DELETE takes to archive the company (default 2 s; Intercom archives asynchronously). */
  archiveLagMs?: number;
  /** The bearer token the sandbox accepts (default 'sandbox-token'): its first app's, and the control endpoints'. */
  token?: string;
  /** The access tokens of the workspace's apps (default: `token` alone); `token`, when given too, is the first. */
  tokens?: string[];
  /** Tokens of another workspace: GET /me names that workspace; every other request is refused (401). */
  foreignTokens?: string[];
  /** Requests per app per window (default `rateLimitPer10s`, else 1667). */
  appLimitPer10s?: number;
  /** Requests per window across all apps (default 4167 = 25,000 a minute, or the app limit when higher). */
  workspaceLimitPer10s?: number;
  /** Intercom's 2.16 OpenAPI description; requests are validated against it when present. */
  openapiPath?: string;
  /**
   * The sandbox's time (default the system clock): rate-limit windows and the timestamps it stamps.
   * Tests pin it so that a window never rolls over in the middle of what they count.
   */
  clock?: Clock;
  /**
   * Check every JSON answer against the description's response schema for its operation and status,
   * and record the findings (outside `openapi/response-relaxations.ts`) as `responseErrors` in the
   * request log. Answers are never changed. Default: on whenever a description is loaded.
   */
  validateResponses?: boolean;
}

export interface RunningSandbox {
  url: string;
  token: string;
  /** Every app's token, the first being `token`. */
  tokens: string[];
  port: number;
  state(): SandboxState;
  requests(): LoggedRequest[];
  setFaults(spec: string): void;
  /**
   * Intercom stops accepting a token (the first one by default): 401 from then on; the other apps'
   * tokens keep working. A token that is not one of the workspace's apps is an error.
   */
  revokeToken(token?: string): void;
  setToken(t: string): void;
  close(): Promise<void>;
}

/** Lags by default, so every test meets an index and an archive queue that trail the writes, as Intercom's do. */
export const DEFAULT_SEARCH_LAG_MS = 3000;
const DEFAULT_ARCHIVE_LAG_MS = 2000;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = options.seedFile ? readSeedFile(options.seedFile) : DEFAULT_SEED;
  const durable: DurableState | undefined = options.stateFile
    ? DurableState.open(
        options.stateFile,
        () => stateFromSeed(seed),
        () => store.state,
        {
          compactAfterBytes: options.compactAfterBytes,
          warn: (message) => process.stderr.write(`${message}\n`),
        },
      )
    : undefined;
  const clock = options.clock;
  const store: Store = new Store(
    durable?.recovered.state ?? stateFromSeed(seed),
    {
      searchLagMs: options.searchLagMs ?? DEFAULT_SEARCH_LAG_MS,
      archiveLagMs: options.archiveLagMs ?? DEFAULT_ARCHIVE_LAG_MS,
      onChange: (path) => durable?.changed(path),
      ...(clock ? { nowMs: () => clock.now().getTime() } : {}),
    },
    FileStore.besideState(options.stateFile),
  );
  const router = new Router<Store>();
  registerRoutes(router);
  const first = options.token ?? options.tokens?.[0] ?? 'sandbox-token';
  const appLimitPer10s = options.appLimitPer10s ?? options.rateLimitPer10s ?? 1667;
  const workspaceLimitPer10s = options.workspaceLimitPer10s ?? Math.max(4167, appLimitPer10s);
  const appTokens = [first, ...(options.tokens ?? []).filter((t) => t !== first)];
  checkApps(appTokens, options.foreignTokens ?? [], appLimitPer10s, workspaceLimitPer10s);
  const apps = new WorkspaceApps(
    appTokens,
    new Set(options.foreignTokens ?? []),
    {
      appLimitPer10s,
      workspaceLimitPer10s,
      ...(options.rateLimitWindowSeconds !== undefined ? { windowSeconds: options.rateLimitWindowSeconds } : {}),
    },
    () => store.nowMs(),
  );
  const faults = new FaultInjector(options.faults);
  const log = new RequestLog();
  const auth = { token: first, revoked: false };
  // An explicit path must exist; the environment variable is a hint (CI sets it when the file is there).
  const fromEnv = options.openapiPath === undefined ? process.env.INTERCOM_OPENAPI : undefined;
  const openapiPath = options.openapiPath ?? (fromEnv && existsSync(fromEnv) ? fromEnv : undefined);
  let validator: OpenApiValidator | undefined;
  try {
    if (openapiPath) validator = await loadOpenApiValidator(openapiPath);
  } catch (error) {
    await durable?.close(); // nothing changed yet; releases the log
    throw error;
  }

  const surface = {
    state: () => store.state,
    requests: () => log.list(),
    reset: () => {
      // Counters survive a reset so an id handed out before it never comes back for another record.
      const next = stateFromSeed(seed);
      next.counters = store.state.counters;
      store.replaceState(next);
      log.clear();
    },
    setFaults: (spec: string) => faults.set(spec),
    addSegment: (name: string, tagIds: string[]) => {
      const segment = { id: store.nextNumericId('segment'), name, tag_ids: tagIds };
      store.state.segments.push(segment);
      store.changed('segments');
      return segment;
    },
    setPlanRestricted: (restricted: boolean) => {
      store.state.planRestricted = restricted;
      store.changed('planRestricted');
    },
    revoke: (which: { token: string } | { index: number }): number | undefined => {
      const token = 'token' in which ? which.token : apps.tokens[which.index];
      if (token === undefined || !apps.has(token)) return undefined;
      revoke(token);
      return apps.tokens.indexOf(token);
    },
    file: (n: number) => store.files.get(n),
    view: (kind: ViewKind, id: string): unknown => {
      const own = <T>(records: Record<string, T>): T | undefined =>
        Object.hasOwn(records, id) ? records[id] : undefined;
      const { conversations, contacts, companies, tickets } = store.state;
      if (kind === 'conversations') return own(conversations) && renderConversation(store, own(conversations)!);
      if (kind === 'tickets') return own(tickets) && renderTicket(store, own(tickets)!);
      if (kind === 'contacts') return own(contacts) && renderContact(store, own(contacts)!);
      return own(companies) && renderCompany(store, own(companies)!);
    },
  };

  function revoke(token: string): void {
    apps.revoke(token);
    if (token === auth.token) auth.revoked = true;
  }

  const server = createServer((req, res) => {
    handleRequest(
      {
        store,
        router,
        settleDue,
        apps,
        faults,
        log,
        auth,
        validator: () => validator,
        responseValidator: () => (options.validateResponses === false ? undefined : validator),
        durable: durable && (() => durable.barrier()),
        control: (method, path, _query, body) => controlRequest(surface, method, path, body),
      },
      req,
      res,
    ).catch((error: unknown) => {
      const status = error instanceof ApiError ? error.status : 500;
      const body =
        error instanceof ApiError
          ? errorList([{ code: error.code, message: error.message }])
          : errorList([{ code: 'server_error', message: String(error) }]);
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await durable?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  store.publicUrl = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    get token() {
      return auth.token;
    },
    get tokens() {
      return apps.tokens;
    },
    port,
    state: () => structuredClone(store.state),
    requests: () => log.list(),
    setFaults: (spec) => faults.set(spec),
    revokeToken: (token) => {
      const which = token ?? auth.token;
      if (!apps.has(which)) throw new Error("revokeToken: not one of the sandbox workspace's app tokens");
      revoke(which);
    },
    setToken: (t) => {
      apps.replaceFirst(t);
      auth.token = t;
      auth.revoked = false;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await durable?.close();
    },
  };
}

/** Tokens and limits that cannot describe a workspace are refused before anything starts. */
function checkApps(
  tokens: readonly string[],
  foreign: readonly string[],
  appLimit: number,
  workspaceLimit: number,
): void {
  if (tokens.some((t) => t.trim() === '' || /\s/.test(t)))
    throw new Error('an access token cannot be empty or hold spaces');
  if (new Set(tokens).size !== tokens.length)
    throw new Error('each app needs its own access token: a token is listed twice');
  if (foreign.some((t) => t.trim() === '' || /\s/.test(t)))
    throw new Error('a foreign token cannot be empty or hold spaces');
  const both = foreign.find((t) => tokens.includes(t));
  if (both !== undefined)
    throw new Error(`token ${tokens.indexOf(both) + 1} of the workspace is also given as another workspace's`);
  for (const [name, value] of [
    ['app limit', appLimit],
    ['workspace limit', workspaceLimit],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`the ${name} must be a non-negative whole number of requests per window (got ${value})`);
  }
}
