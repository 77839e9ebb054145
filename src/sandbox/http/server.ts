import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { systemClock } from '../../model/clock';
import { messageOf } from '../../model/error-message';
import type { RequestValidator, ResponseValidator } from '../openapi/types';
import type { Store } from '../state/store';
import type { WorkspaceApps } from './apps';
import { guardControlRequest } from './control-guard';
import { ApiError, errorList } from './errors';
import type { FaultInjector, FaultKind } from './faults';
import { bodyTooLarge, MAX_API_BODY_BYTES, MAX_CONTROL_BODY_BYTES, parseJsonBody } from './json-body';
import { rateLimitMessage } from './rate-limiter';
import { excerpt, type RequestLog } from './request-log';
import type { Reply, Router } from './router';
import { resolveVersion, versionAtLeast, versionNotAvailable } from './version';

export interface PipelineDeps {
  store: Store;
  router: Router<Store>;
  /** Work that falls due with time (queued archives), done before each API request is handled. */
  settleDue: (store: Store) => void;
  /** The workspace's apps (one per token) and their rate limits. */
  apps: WorkspaceApps;
  faults: FaultInjector;
  log: RequestLog;
  validator: () => RequestValidator | undefined;
  /** Checks each JSON answer against the description's response schema; findings go into the log entry. */
  responseValidator?: () => ResponseValidator | undefined;
  auth: { token: string; revoked: boolean };
  /**
   * With a state file: resolves once every change made so far is on disk (undefined when nothing is
   * waiting). Every response waits for it, so none reports or shows a change a crash could lose.
   */
  durable?: () => Promise<void> | undefined;
  /** The /__sandbox control endpoints: no auth, no rate limit, no faults, not logged. */
  control: (method: string, path: string, query: URLSearchParams, body: unknown) => Promise<Reply | undefined>;
}

interface Outcome {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
  raw?: string | Buffer;
}

function errorOutcome(error: ApiError, requestId: string, headers: Record<string, string>): Outcome {
  return {
    status: error.status,
    body: {
      ...errorList(
        [
          {
            code: error.code,
            message: error.message,
            ...(error.extra.field ? { field: String(error.extra.field) } : {}),
          },
        ],
        requestId,
      ),
      ...withoutField(error.extra),
    },
    headers: { ...headers, ...error.headers },
  };
}

function withoutField(extra: Record<string, unknown>): Record<string, unknown> {
  const { field: _field, ...rest } = extra;
  return rest;
}

/** The body as text; past `limit` bytes the rest is drained unread and the request answered 400 (not cut off, so the client hears why). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(bodyTooLarge(limit)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Intercom's edge answers 502 with an HTML page, not an error list. */
const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

function injectedOutcome(
  kind: FaultKind,
  requestId: string,
  headers: Record<string, string>,
  windowSeconds: number,
  limit: number,
): Outcome | undefined {
  switch (kind) {
    case '429':
      return {
        status: 429,
        body: errorList([{ code: 'rate_limit_exceeded', message: rateLimitMessage(limit, windowSeconds) }], requestId),
        headers: { ...headers, 'X-RateLimit-Remaining': '0' },
      };
    case '500':
      return { status: 500, body: errorList([{ code: 'server_error', message: 'Server Error' }], requestId), headers };
    case '502':
      return { status: 502, raw: BAD_GATEWAY_HTML, headers: { ...headers, 'Content-Type': 'text/html' } };
    case '503':
      return {
        status: 503,
        body: errorList(
          [{ code: 'service_unavailable', message: 'Sorry, the API service is temporarily unavailable' }],
          requestId,
        ),
        headers,
      };
    default:
      return undefined;
  }
}

function send(res: ServerResponse, outcome: Outcome, requestId: string): void {
  const headers: Record<string, string> = { 'X-Request-Id': requestId, ...outcome.headers };
  if (outcome.raw !== undefined) {
    res.writeHead(outcome.status, headers).end(outcome.raw);
    return;
  }
  if (outcome.body === undefined) {
    res.writeHead(outcome.status, headers).end();
    return;
  }
  res
    .writeHead(outcome.status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(outcome.body));
}

async function controlOutcome(
  deps: PipelineDeps,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
  requestId: string,
): Promise<Outcome> {
  try {
    guardControlRequest(req, path, deps.auth.token, bearer(req));
    const body = parseJsonBody(await readBody(req, MAX_CONTROL_BODY_BYTES));
    const reply = await deps.control(method, path, query, body);
    if (!reply) return errorOutcome(new ApiError(404, 'not_found', 'Resource Not Found'), requestId, {});
    if (reply.raw)
      return { status: reply.status ?? 200, raw: reply.raw.bytes, headers: { 'Content-Type': reply.raw.contentType } };
    return { status: reply.status ?? 200, body: reply.body, headers: {} };
  } catch (error) {
    if (error instanceof ApiError) return errorOutcome(error, requestId, {});
    throw error;
  }
}

/** Waits until the state is durable; a 500 when it cannot be made so (the log failed). */
async function durability(deps: PipelineDeps, requestId: string): Promise<Outcome | undefined> {
  const pending = deps.durable?.();
  if (!pending) return undefined;
  try {
    await pending;
    return undefined;
  } catch (error) {
    const message = `the sandbox could not make its state durable: ${messageOf(error)}`;
    return { status: 500, body: errorList([{ code: 'server_error', message }], requestId), headers: {} };
  }
}

/** One request through the pipeline: control → auth → version → rate limit → fault → route → validate → handler. */
export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = systemClock.now();
  const started = performance.now();
  const requestId = randomUUID();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  let raw = '';
  let fault: FaultKind | undefined;
  let validationErrors: unknown[] | undefined;
  let outcome: Outcome;
  try {
    if (path === '/__sandbox' || path.startsWith('/__sandbox/')) {
      const controlled = await controlOutcome(deps, req, method, path, url.searchParams, requestId);
      send(res, (await durability(deps, requestId)) ?? controlled, requestId);
      return;
    }
    raw = await readBody(req, MAX_API_BODY_BYTES);
    outcome = await process();
  } catch (error) {
    outcome =
      error instanceof ApiError
        ? errorOutcome(error, requestId, {})
        : { status: 500, body: errorList([{ code: 'server_error', message: String(error) }], requestId), headers: {} };
  }
  // Before the answer, and before a drop: an applied-then-dropped write is as durable as an answered one.
  outcome = (await durability(deps, requestId)) ?? outcome;
  const responseErrors = checkResponse(deps, method, path, fault, outcome);
  deps.log.add({
    method,
    path: url.pathname + url.search,
    status: fault === 'drop' ? 0 : outcome.status,
    time: receivedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    bodyExcerpt: excerpt(raw),
    ...(fault ? { fault } : {}),
    ...(validationErrors ? { validationErrors } : {}),
    ...(responseErrors ? { responseErrors } : {}),
  });
  if (fault === 'drop') {
    // "Applied, then connection dropped": the write happened, the client never hears about it.
    req.socket.destroy();
    return;
  }
  send(res, outcome, requestId);

  async function process(): Promise<Outcome> {
    const token = bearer(req);
    const taken = deps.apps.take(token);
    if (taken.kind === 'foreign' && method === 'GET' && url.pathname === '/me') return foreignMe(deps, requestId);
    if (taken.kind !== 'app') {
      // No rate-limit headers without valid credentials, as Intercom documents.
      return errorOutcome(new ApiError(401, 'unauthorized', 'Access Token Invalid'), requestId, {});
    }
    const { verdict, windowSeconds } = taken;
    const headers = verdict.headers;
    if (!verdict.allowed) {
      return errorOutcome(
        new ApiError(429, 'rate_limit_exceeded', rateLimitMessage(verdict.limit, windowSeconds)),
        requestId,
        headers,
      );
    }
    try {
      const version = resolveVersion(req.headers['intercom-version']);
      fault = deps.faults.decide(method, path);
      if (fault === 'slow') await sleep(deps.faults.slowMs);
      const injected = fault ? injectedOutcome(fault, requestId, headers, windowSeconds, verdict.limit) : undefined;
      if (injected) return injected;
      const body = parseJsonBody(raw);
      const match = deps.router.match(method, path);
      if (!match) throw new ApiError(404, 'not_found', 'Resource Not Found');
      if (match.route.minVersion && !versionAtLeast(version, match.route.minVersion)) throw versionNotAvailable();
      const validator = deps.validator();
      if (validator) {
        const verdictOpenApi = validator.validate({ method, path, query: url.searchParams, body });
        if (!verdictOpenApi.ok) {
          validationErrors = verdictOpenApi.errors;
          return {
            status: 400,
            body: {
              ...errorList(
                [
                  {
                    code: 'bad_request',
                    message: `request does not match the OpenAPI description (${method} ${path})`,
                  },
                ],
                requestId,
              ),
              validation_errors: verdictOpenApi.errors,
            },
            headers,
          };
        }
      }
      deps.settleDue(deps.store);
      const reply = await match.route.handler({
        method,
        path,
        params: match.params,
        query: url.searchParams,
        body,
        version,
        store: deps.store,
      });
      return { status: reply.status ?? 200, body: reply.body, headers };
    } catch (error) {
      if (error instanceof ApiError) return errorOutcome(error, requestId, headers);
      throw error;
    }
  }
}

/** The response's findings against the 2.16 response schema (JSON answers only; a dropped one was never sent). */
function checkResponse(
  deps: PipelineDeps,
  method: string,
  path: string,
  fault: FaultKind | undefined,
  outcome: Outcome,
): unknown[] | undefined {
  const checker = deps.responseValidator?.();
  if (!checker || fault === 'drop' || outcome.raw !== undefined || outcome.body === undefined) return undefined;
  // What the client receives: the JSON text parsed back (undefined fields gone, dates as strings).
  const body: unknown = JSON.parse(JSON.stringify(outcome.body));
  const verdict = checker.validateResponse({ method, path, status: outcome.status, body });
  return verdict.errors.length > 0
    ? [{ operation: verdict.operation, status: outcome.status }, ...verdict.errors]
    : undefined;
}

/** GET /me with a token of another workspace: that workspace's app (its only answer). */
async function foreignMe(deps: PipelineDeps, requestId: string): Promise<Outcome> {
  const match = deps.router.match('GET', '/me');
  if (!match) return errorOutcome(new ApiError(404, 'not_found', 'Resource Not Found'), requestId, {});
  const reply = await match.route.handler({
    method: 'GET',
    path: '/me',
    params: match.params,
    query: new URLSearchParams(),
    body: undefined,
    version: resolveVersion(undefined),
    store: deps.store,
  });
  const me = reply.body as { app?: Record<string, unknown> };
  return {
    status: 200,
    body: {
      ...me,
      app: { ...me.app, id_code: `${String(me.app?.id_code ?? 'app')}-other`, name: 'Another workspace' },
    },
    headers: {},
  };
}
