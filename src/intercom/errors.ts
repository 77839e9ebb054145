import type { OutcomeLookup } from './outcome';
import { describeLookup } from './outcome';

/** Intercom's error envelope, reduced to what callers act on. */
export interface IntercomErrorDetail {
  code: string;
  message?: string;
  field?: string;
}

export interface IntercomErrorInit {
  /** The request in words, e.g. `POST /contacts (external_id=123)`. Never holds credentials. */
  request: string;
  status?: number;
  requestId?: string | null;
  errors?: IntercomErrorDetail[];
}

/**
 * Base of every error the client throws. It holds only plain data: no axios config, request or
 * response objects (they carry the Authorization header), and no `cause` chain to one.
 */
export class IntercomError extends Error {
  readonly request: string;
  readonly status: number | undefined;
  readonly requestId: string | null | undefined;
  readonly errors: IntercomErrorDetail[];

  constructor(summary: string, init: IntercomErrorInit) {
    super(`${init.request}: ${summary}`);
    this.name = new.target.name;
    this.request = init.request;
    this.status = init.status;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
  }

  /** First error code in Intercom's envelope, if any. */
  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

function firstMessage(init: IntercomErrorInit, fallback: string): string {
  const e = init.errors?.[0];
  if (e === undefined) return fallback;
  return `${e.code}${e.message !== undefined ? ` ${e.message}` : ''}`;
}

/** 401: token missing, invalid, revoked or expired. Retrying will not help. */
export class AuthError extends IntercomError {
  constructor(init: IntercomErrorInit) {
    super(`authentication failed (${firstMessage(init, 'unauthorized')})`, init);
  }
}

/** 403: the workspace's plan or the token's scopes do not allow this call (`api_plan_restricted`, …). */
export class PlanRestrictedError extends IntercomError {
  constructor(init: IntercomErrorInit) {
    super(`not allowed for this workspace or token (${firstMessage(init, 'forbidden')})`, init);
  }
}

/** 400/422: Intercom rejected the payload. `field` and `code` say what to fix. */
export class ValidationError extends IntercomError {
  readonly field: string | undefined;
  constructor(init: IntercomErrorInit) {
    super(`rejected (${firstMessage(init, 'invalid request')})`, init);
    this.field = init.errors?.find((e) => e.field !== undefined)?.field;
  }
}

export class NotFoundError extends IntercomError {
  constructor(init: IntercomErrorInit) {
    super(`not found (${firstMessage(init, 'not_found')})`, init);
  }
}

/**
 * 409: a contact with the same external_id or email already exists. Intercom names it only in the
 * message ("… already exists with id=<id>"), so the id is parsed from there.
 */
export class ConflictError extends IntercomError {
  readonly existingId: string | undefined;
  readonly archived: boolean;
  constructor(init: IntercomErrorInit) {
    super(`conflict (${firstMessage(init, 'conflict')})`, init);
    const message = init.errors?.map((e) => e.message ?? '').join(' ') ?? '';
    this.existingId = parseConflictId(message);
    this.archived = /\barchived\b/i.test(message);
  }
}

export function parseConflictId(message: string): string | undefined {
  return /\bid=([A-Za-z0-9_-]+)/.exec(message)?.[1];
}

/** 429 kept coming after waiting for every reset we were allowed to wait for. */
export class RateLimitedError extends IntercomError {
  constructor(init: IntercomErrorInit & { attempts: number }) {
    super(`still rate limited after ${init.attempts} attempts`, init);
  }
}

/** 5xx (or a lost connection) on a call that is safe to retry, after the retries ran out. */
export class ServerError extends IntercomError {
  constructor(init: IntercomErrorInit & { attempts: number; reason: string }) {
    super(`failed after ${init.attempts} attempts (${init.reason})`, init);
  }
}

/** A response we could not read: not JSON, or not the documented shape. */
export class ResponseShapeError extends IntercomError {
  readonly issues: string;
  constructor(init: IntercomErrorInit & { issues: string }) {
    super(`unexpected response shape: ${init.issues}`, init);
    this.issues = init.issues;
  }
}

/**
 * A write that is not idempotent was sent but its outcome is unknown (timeout, reset connection, 5xx):
 * it may or may not have been applied. It is never replayed blindly; `lookup` says how to find out
 * (see resolve-unknown.ts).
 */
export class OutcomeUnknownError extends IntercomError {
  readonly lookup: OutcomeLookup;
  readonly reason: string;
  constructor(init: IntercomErrorInit & { lookup: OutcomeLookup; reason: string }) {
    super(`outcome unknown (${init.reason}); resolve by looking up ${describeLookup(init.lookup)}`, init);
    this.lookup = init.lookup;
    this.reason = init.reason;
  }
}

/**
 * Search is demonstrably behind: objects created after an unknown write still do not show, so its
 * absence from search proves nothing yet. The outcome stays undecided; a later lookup decides it.
 */
export class SearchBehindError extends IntercomError {
  constructor(init: IntercomErrorInit & { waitedMs: number }) {
    super(
      `Intercom's search still lags behind writes made after this one (waited ${Math.round(init.waitedMs / 1000)} s); looked up again later`,
      init,
    );
  }
}

/**
 * A write whose outcome stayed unknown after every lookup this attempt could make: the lookup itself
 * failed (network, 5xx, throttling) or the write kept ending without an answer. It may have been
 * applied. The caller keeps its journal intent pending, so nothing is sent again before a later lookup
 * decides it.
 */
export class OutcomeUndecidedError extends IntercomError {
  readonly lookup: OutcomeLookup;
  /** The lookup's own error (an IntercomError: plain data), when the lookup failed. */
  readonly lookupError: IntercomError | undefined;
  constructor(init: IntercomErrorInit & { lookup: OutcomeLookup; why: string; lookupError?: IntercomError }) {
    super(
      `outcome still unknown (${init.why}); the write may have been applied and is looked up again before anything is resent`,
      init,
    );
    this.lookup = init.lookup;
    this.lookupError = init.lookupError;
  }
}

/** The client refused to send a request that does not match Intercom's request schema. */
export class InvalidRequestError extends IntercomError {
  readonly issues: string;
  constructor(init: IntercomErrorInit & { issues: string }) {
    super(`request does not match the 2.16 schema: ${init.issues}`, init);
    this.issues = init.issues;
  }
}

/** A connection-level failure (refused, reset, timeout) on a call that could not be retried further. */
export class NetworkError extends IntercomError {
  readonly networkCode: string;
  constructor(init: IntercomErrorInit & { networkCode: string; attempts: number }) {
    super(`network failure ${init.networkCode} after ${init.attempts} attempts`, init);
    this.networkCode = init.networkCode;
  }
}
