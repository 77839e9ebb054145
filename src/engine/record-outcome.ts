import { LedgerWriteError } from '../ledger';
import { stableStringify } from '../mapping/review';
import type { RecordState } from '../model/journal';
import type { ObjectType } from '../model/object-types';
import type { RunContext } from './context';
import { errorInfo } from './error-info';
import { RunStoppedError } from './errors';

/**
 * Journals how a source record ended, and tells whoever drives the run (so live counts equal the
 * ledger's). A delta journals only what changed: a record whose state equals the ledger's latest
 * entry for it is left out, so a delta run lists exactly the changes.
 */
export function journalRecord(ctx: RunContext, objectType: ObjectType, sourceId: string, state: RecordState): boolean {
  if (ctx.kind === 'delta') {
    const previous = ctx.ledger.recordState(objectType, sourceId)?.result;
    if (previous && stableStringify(previous) === stableStringify(state)) return false;
  }
  ctx.journal.record({ objectType, sourceId, ...state });
  if (state.state === 'migrated') ctx.dryRunIds?.set(objectType, sourceId, state.intercomId);
  const detail =
    state.state === 'migrated'
      ? state.intercomId
      : state.state === 'skipped'
        ? state.reason
        : `${state.error.field ? `${state.error.field}: ` : ''}${state.error.message}`;
  ctx.progress.record(objectType, sourceId, state.state, detail);
  return true;
}

/**
 * Runs the migration of one source record and journals how it ended: migrated, skipped with a
 * reason, or failed with the error naming the field. Errors that stop the whole run propagate.
 * `undefined` means the record needed nothing this run (delta: unchanged).
 */

export async function migrateRecord(
  ctx: RunContext,
  objectType: ObjectType,
  sourceId: string,
  work: () => Promise<RecordState | undefined>,
): Promise<RecordState | undefined> {
  let state: RecordState | undefined;
  try {
    state = await work();
  } catch (error) {
    if (error instanceof RunStoppedError || error instanceof LedgerWriteError) throw error;
    state = { state: 'failed', error: errorInfo(error) };
  }
  if (state !== undefined) journalRecord(ctx, objectType, sourceId, state);
  return state;
}

/**
 * The records that travel inside a failed one (a ticket's messages, comments and files; a chat's
 * lines) fail with it when they are not in Intercom and not yet accounted for in this run: every
 * source record ends migrated, skipped or failed. They go with their parent when it is asked again.
 */
export function failWithParent(
  ctx: RunContext,
  children: readonly { objectType: ObjectType; sourceId: string }[],
  parent: string,
  failed: RecordState | undefined,
): void {
  if (failed?.state !== 'failed') return;
  const error = { ...failed.error, message: `${parent} failed: ${failed.error.message}` };
  for (const { objectType, sourceId } of children) {
    const known = ctx.ledger.recordState(objectType, sourceId);
    if (known && (known.runId === ctx.runId || known.result.state !== 'failed')) continue;
    journalRecord(ctx, objectType, sourceId, { state: 'failed', error });
  }
}
