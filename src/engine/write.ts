import { createHash } from 'node:crypto';

import {
  IntercomError,
  InvalidRequestError,
  type OutcomeLookup,
  OutcomeUndecidedError,
  OutcomeUnknownError,
  type Resolution,
  type ResolveOptions,
  resolvePatiently,
  writeAtMostOnce,
} from '../intercom';
import { messageOf } from '../model/error-message';
import {
  type IntentEntry,
  type JsonValue,
  type LookupKey,
  RECORD_CREATING_OPS,
  type WriteOp,
  type WriteTarget,
} from '../model/journal';
import type { ObjectType } from '../model/object-types';
import type { RunContext } from './context';
import { errorInfo, stopsTheRun } from './error-info';
import { RecordError, RunStoppedError } from './errors';
import { parkDuring } from './slots';

export interface WriteSpec<T> {
  op: WriteOp;
  objectType: ObjectType;
  sourceId: string;
  target: WriteTarget;
  /** What the journal keeps to find the write again after a crash. */
  lookup: LookupKey;
  /** What the client needs to find it now (non-idempotent creates); absent for idempotent writes. */
  clientLookup?: OutcomeLookup;
  beforeImage?: JsonValue;
  existedBefore?: boolean;
  send: () => Promise<T>;
  idOf: (value: T) => string;
}

export interface WriteResult<T> {
  id: string;
  /** The response, when this attempt sent the write and got one. */
  value: T | undefined;
  resolvedBy: 'response' | 'lookup' | 'journal' | 'dry-run';
}

/**
 * What earlier attempts of this run already did: applied writes (skipped on resume) and intents
 * without outcome (looked up before any retry). Keyed by op, record and target description, which
 * the phases build deterministically.
 */
export class WriteMemory {
  private readonly applied = new Map<string, string>();
  private readonly pending = new Map<string, IntentEntry>();

  static key(op: WriteOp, objectType: ObjectType, sourceId: string, description: string): string {
    return `${op}|${objectType}|${sourceId}|${description}`;
  }

  rememberApplied(intent: Pick<IntentEntry, 'op' | 'objectType' | 'sourceId' | 'target'>, intercomId: string): void {
    this.applied.set(
      WriteMemory.key(intent.op, intent.objectType, intent.sourceId, intent.target.description),
      intercomId,
    );
  }

  rememberPending(intent: IntentEntry): void {
    this.pending.set(WriteMemory.key(intent.op, intent.objectType, intent.sourceId, intent.target.description), intent);
  }

  appliedId(key: string): string | undefined {
    return this.applied.get(key);
  }

  takePending(key: string): IntentEntry | undefined {
    const intent = this.pending.get(key);
    this.pending.delete(key);
    return intent;
  }

  /** Pending intents no phase came back to (the source record vanished): resolved at the end of the run. */
  leftoverPending(): IntentEntry[] {
    return [...this.pending.values()];
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export { DEFAULT_SEARCH_SETTLE_MS } from '../intercom';

/** How long a lookup keeps looking before it concludes "not applied" (the client's defaults unless the run says). */
function settleOptions(ctx: RunContext): ResolveOptions {
  const { searchSettleMs, readSettleMs } = ctx.options;
  return {
    ...(searchSettleMs !== undefined ? { searchSettleMs } : {}),
    ...(readSettleMs !== undefined ? { readSettleMs } : {}),
    // Between lookups the record parks: its slot goes to the next record (slots.ts).
    sleep: (ms) => parkDuring(new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
}

/**
 * One write to Intercom, journaled: intent (fsynced) before, outcome after. A write an earlier
 * attempt applied is not sent again; one whose outcome was lost is looked up before it is retried;
 * a POST whose response is lost now is resolved by lookup (client.writeAtMostOnce), never replayed blindly.
 */
export async function journaledWrite<T>(ctx: RunContext, spec: WriteSpec<T>): Promise<WriteResult<T>> {
  if (ctx.options.dryRun) {
    const id = `dry-run:${spec.objectType}:${spec.sourceId}`;
    // As the ledger's index maps an applied create to its record, so later phases find it.
    if (RECORD_CREATING_OPS.includes(spec.op)) ctx.dryRunIds?.set(spec.objectType, spec.sourceId, id);
    return { id, value: undefined, resolvedBy: 'dry-run' };
  }
  if (ctx.signal.aborted) throw new RunStoppedError('the run was cancelled');
  const key = WriteMemory.key(spec.op, spec.objectType, spec.sourceId, spec.target.description);
  const done = ctx.memory.appliedId(key);
  if (done !== undefined) return { id: done, value: undefined, resolvedBy: 'journal' };

  const pending = ctx.memory.takePending(key);
  if (pending) {
    const settle = settleOptions(ctx);
    let resolution: Resolution;
    try {
      resolution = spec.clientLookup
        ? await resolvePatiently(ctx.client, spec.clientLookup, settle)
        : { applied: false };
    } catch (error) {
      // The lookup could not decide: the intent stays pending for the next lookup, nothing is resent.
      ctx.memory.rememberPending(pending);
      if (stopsTheRun(error)) throw new RunStoppedError(`Intercom refused the run: ${messageOf(error)}`, error);
      throw new RecordError(
        `${spec.target.description}: outcome of an interrupted write still unknown (${messageOf(error)})`,
        'outcome_unknown',
      );
    }
    if (resolution.applied) {
      ctx.journal.outcome(pending.seq, { result: 'applied', intercomId: resolution.id, resolvedBy: 'lookup' });
      ctx.memory.rememberApplied(pending, resolution.id);
      return { id: resolution.id, value: undefined, resolvedBy: 'lookup' };
    }
    ctx.journal.outcome(pending.seq, {
      result: 'not-applied',
      reason: spec.clientLookup ? 'lookup found nothing after the interruption' : 'idempotent write: sent again',
    });
  }

  // An interrupted update may have been applied: the object read now can already be the updated one.
  // The before-image the interrupted intent captured is the true one, and stays the one rollback restores.
  const beforeImage = pending?.beforeImage ?? spec.beforeImage;
  const seq = await ctx.journal.intent({
    op: spec.op,
    objectType: spec.objectType,
    sourceId: spec.sourceId,
    target: spec.target,
    lookup: spec.lookup,
    ...(spec.existedBefore !== undefined ? { existedBefore: spec.existedBefore } : {}),
    ...(beforeImage !== undefined ? { beforeImage } : {}),
  });
  try {
    const settle = settleOptions(ctx);
    const result = await writeAtMostOnce(ctx.client, spec.send, settle);
    const id = result.outcome === 'created' ? spec.idOf(result.value) : result.id;
    ctx.journal.outcome(seq, {
      result: 'applied',
      intercomId: id,
      resolvedBy: result.outcome === 'created' ? 'response' : 'lookup',
    });
    ctx.memory.rememberApplied(spec, id);
    return {
      id,
      value: result.outcome === 'created' ? result.value : undefined,
      resolvedBy: result.outcome === 'created' ? 'response' : 'lookup',
    };
  } catch (error) {
    if (!refusedForSure(error)) {
      // It may have been applied: the intent stays pending (no outcome is a guess), the run ends
      // failed, and a lookup decides it before anything is sent again (this run's end, or the next run).
      const intent = ctx.journal.pendingIntents().find((i) => i.seq === seq);
      if (intent) ctx.memory.rememberPending(intent);
      const cause = error instanceof OutcomeUndecidedError ? (error.lookupError ?? error) : error;
      if (stopsTheRun(cause)) throw new RunStoppedError(`Intercom refused the run: ${messageOf(cause)}`, cause);
      throw new RecordError(`${spec.target.description}: ${messageOf(error)}`, 'outcome_unknown');
    }
    ctx.journal.outcome(seq, { result: 'failed', error: errorInfo(error) });
    if (stopsTheRun(error)) throw new RunStoppedError(`Intercom refused the run: ${messageOf(error)}`, error);
    throw error;
  }
}

/**
 * Errors that prove Intercom did not apply the write: it answered with a refusal (4xx other than a
 * timeout), or the client never sent it. Anything else (5xx, a lost connection, an unreadable 2xx,
 * a failed lookup, a bug after the response) leaves the outcome unknown.
 */
function refusedForSure(error: unknown): boolean {
  if (error instanceof RecordError || error instanceof InvalidRequestError) return true;
  if (error instanceof OutcomeUndecidedError || error instanceof OutcomeUnknownError) return false;
  if (!(error instanceof IntercomError) || error.status === undefined) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 408;
}
