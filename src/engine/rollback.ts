import { type IntercomClient, IntercomError, NotFoundError, writeAtMostOnce } from '../intercom';
import { type AppliedWrite, type Ledger, LedgerWriteError, openLedger, type RunJournal } from '../ledger';
import { systemClock } from '../model/clock';
import { messageOf } from '../model/error-message';
import type { RunCounts, WriteTarget } from '../model/journal';
import { conversationSourceKey, SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';
import { ARCHIVE_WAIT_MS, awaitArchives } from './await-archives';
import { errorInfo, stopsTheRun } from './error-info';
import { EngineUsageError, RunStoppedError } from './errors';
import { ProgressCounter, type ProgressSink } from './progress';
import { assertBoundTarget } from './target-binding';
import { type Undo, type UndoContext, undoOf, type UndoVerb } from './undo';

export interface RollbackPlan {
  targetRunId: string;
  targetKind: string;
  /** verb → Intercom resource → count. */
  calls: Partial<Record<UndoVerb, Record<string, number>>>;
  covered: number;
  impossible: { description: string; reason: string }[];
  kept: { description: string; reason: string }[];
}

export interface RollbackResult {
  runId: string;
  status: 'completed' | 'failed' | 'cancelled';
  plan: RollbackPlan;
  /** Undo calls that changed Intercom. */
  undone: number;
  /** Undo calls whose object was already gone (404: deleted or untagged by someone else, or by an earlier attempt). */
  alreadyGone: number;
  failed: { description: string; message: string }[];
  /** Companies whose archive Intercom accepted but had not carried out when the rollback stopped waiting. */
  stillArchiving: string[];
  counts: RunCounts;
  message?: string;
}

/** The typed target fields an undo keeps from the write it reverses (what a resumed rollback needs). */
function typedFieldsOf(write: AppliedWrite): Pick<WriteTarget, 'customObjectType' | 'actingAdminId'> {
  const { customObjectType, actingAdminId } = write.intent.target;
  return { ...(customObjectType ? { customObjectType } : {}), ...(actingAdminId ? { actingAdminId } : {}) };
}

const unlessGone = <T>(read: Promise<T>): Promise<T | undefined> =>
  read.catch((e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e)));

/**
 * Whether the object a create's outcome names is the run's own. One found by lookup may be someone
 * else's: a contact with the same email (a 409), a ticket of the same contact, type and created_at.
 * Each is the run's only if it carries the run's key (external_id, the ticket's source key attribute).
 */
async function createdByTheRun(client: IntercomClient, w: AppliedWrite): Promise<boolean> {
  if (w.outcome.outcome.resolvedBy !== 'lookup') return true;
  const id = w.outcome.outcome.intercomId;
  const { target, lookup, objectType, sourceId } = w.intent;
  if (target.resource === 'contact' && lookup.by === 'external_id') {
    const contact = await unlessGone(client.contacts.get(id));
    return !contact || contact.external_id === lookup.value;
  }
  if (target.resource === 'ticket' && objectType === 'tickets') {
    const ticket = await unlessGone(client.tickets.get(id));
    const key = ticket?.ticket_attributes?.[SOURCE_KEY_ATTRIBUTE];
    return !ticket || key === conversationSourceKey('tickets', sourceId);
  }
  return true;
}

async function buildContext(client: IntercomClient, writes: AppliedWrite[]): Promise<UndoContext> {
  let admin: Promise<string> | undefined;
  const ctx: UndoContext = {
    client,
    deletedConversations: new Set(),
    deletedTickets: new Set(),
    deletedContacts: new Set(),
    archivedCompanies: new Set(),
    deletedTags: new Set(),
    preexistingContacts: new Set(),
    actingAdmin: () => (admin ??= client.admins.me().then((me) => String(me.id))),
  };
  for (const w of writes) {
    if (w.intent.op !== 'create' || w.intent.existedBefore) continue;
    const id = w.outcome.outcome.intercomId;
    const resource = w.intent.target.resource;
    if (resource === 'conversation') ctx.deletedConversations.add(id);
    if (resource === 'company') ctx.archivedCompanies.add(id);
    if (resource === 'tag') ctx.deletedTags.add(id);
    if (resource === 'contact' || resource === 'ticket') {
      // Found by lookup, it may be someone else's: checked before it is deleted.
      if (!(await createdByTheRun(client, w))) {
        if (resource === 'contact') ctx.preexistingContacts.add(id);
        continue;
      }
      (resource === 'contact' ? ctx.deletedContacts : ctx.deletedTickets).add(id);
    }
  }
  // Objects the run found already there (updated, not created) are never deleted or archived.
  for (const w of writes) {
    if (!w.intent.existedBefore) continue;
    const id = w.intent.target.intercomId ?? w.outcome.outcome.intercomId;
    if (w.intent.target.resource === 'contact') {
      ctx.deletedContacts.delete(id);
      ctx.preexistingContacts.add(id);
    }
    if (w.intent.target.resource === 'company') ctx.archivedCompanies.delete(id);
    if (w.intent.target.resource === 'ticket') ctx.deletedTickets.delete(id);
  }
  return ctx;
}

function summarize(targetRunId: string, targetKind: string, writes: AppliedWrite[], ctx: UndoContext): RollbackPlan {
  const plan: RollbackPlan = { targetRunId, targetKind, calls: {}, covered: 0, impossible: [], kept: [] };
  for (const w of writes) {
    const undo = undoOf(w, ctx);
    if (undo.kind === 'call') {
      const byResource = (plan.calls[undo.verb] ??= {});
      byResource[undo.resource] = (byResource[undo.resource] ?? 0) + 1;
      if (undo.leftover) plan.impossible.push({ description: undo.description, reason: undo.leftover });
    } else if (undo.kind === 'covered') plan.covered++;
    else if (undo.kind === 'impossible')
      plan.impossible.push({ description: w.intent.target.description, reason: undo.reason });
    else plan.kept.push({ description: w.intent.target.description, reason: undo.reason });
  }
  return plan;
}

async function targetOf(ledger: Ledger, runId: string) {
  const runs = await ledger.listRuns();
  const target = runs.find((r) => r.meta.id === runId);
  if (!target) throw new EngineUsageError(`no run ${runId} in this workspace (st2ic runs are under migration/runs)`);
  if (target.meta.kind === 'rollback' || target.meta.kind === 'dry-run' || target.meta.kind === 'adopt')
    throw new EngineUsageError(`run ${runId} is a ${target.meta.kind}: there is nothing to roll back`);
  if (target.locked) throw new EngineUsageError(`run ${runId} is still running; stop it first`);
  return { target, runs };
}

/** What rolling back a run would do, for the confirmation people see before it happens. */
export async function planRollback(
  workspaceDir: string,
  runId: string,
  client: IntercomClient,
  options: { takeOver?: boolean } = {},
): Promise<RollbackPlan> {
  const ledger = await openLedger(workspaceDir, { takeOver: options.takeOver === true });
  try {
    const { target } = await targetOf(ledger, runId);
    const writes = await ledger.writesToUndo(runId);
    return summarize(runId, target.meta.kind, writes, await buildContext(client, writes));
  } finally {
    await ledger.close();
  }
}

/**
 * Rolls back a run from its ledger, newest write first: deletes what it created (companies are
 * archived, attributes archived: Intercom allows no more; Intercom tickets are deleted for good, and
 * only those the run created), restores before-images of records it
 * updated, and lists what Intercom cannot undo. Itself journaled and resumable: a second call
 * continues where an interrupted one stopped.
 */
export async function rollbackRun(req: {
  workspaceDir: string;
  runId: string;
  client: IntercomClient;
  progress?: ProgressSink;
  signal?: AbortSignal;
  takeOver?: boolean;
  archiveWaitMs?: number;
  readSettleMs?: number;
}): Promise<RollbackResult> {
  const progress = new ProgressCounter(req.progress);
  const ledger = await openLedger(req.workspaceDir, {
    writer: { kind: 'rollback', rollbackOf: req.runId },
    takeOver: req.takeOver === true,
  });
  let journal: RunJournal | undefined;
  try {
    const { target, runs } = await targetOf(ledger, req.runId);
    await assertBoundTarget({
      workspaceDir: req.workspaceDir,
      client: req.client,
      ledger,
      clock: systemClock,
      warn: (m) => progress.warn(m),
    });
    const interrupted = runs
      .filter(
        (r) =>
          r.meta.kind === 'rollback' && r.meta.rollbackOf === req.runId && r.meta.status !== 'completed' && !r.locked,
      )
      .at(-1);
    journal = interrupted
      ? await ledger.resumeRun(interrupted.meta.id)
      : await ledger.startRun({
          kind: 'rollback',
          rollbackOf: req.runId,
          mappingHash: target.meta.mappingHash,
          source: target.meta.source,
        });
    progress.info(
      `${interrupted ? 'Resuming' : 'Starting'} rollback ${journal.runId} of ${target.meta.kind} run ${req.runId}`,
    );

    const all = await ledger.appliedWrites(req.runId);
    const ctx = await buildContext(req.client, all);
    // An undo interrupted mid-call is simply done again: every undo is idempotent (404 = already gone).
    const bySeq = new Map(all.map((w) => [w.intent.seq, w]));
    const failed: RollbackResult['failed'] = [];
    const refused: RollbackPlan['impossible'] = [];
    let undone = 0;
    let alreadyGone = 0;
    const settleWith = {
      client: req.client,
      ...(req.readSettleMs !== undefined ? { readSettleMs: req.readSettleMs } : {}),
    };
    const archived = new Set<string>();
    const count = (undo: Extract<Undo, { kind: 'call' }>, result: Awaited<ReturnType<typeof settle>>, id: string) => {
      if (result === 'done' && undo.verb === 'archive' && undo.resource === 'company') archived.add(id);
      if (result === 'done') undone++;
      else if (result === 'gone') alreadyGone++;
      else if ('impossible' in result) {
        refused.push({ description: undo.description, reason: result.impossible });
        progress.warn(`Cannot undo: ${undo.description}: ${result.impossible}`);
      } else failed.push({ description: undo.description, message: result.error });
    };
    for (const pending of journal.pendingIntents()) {
      const write = pending.undoes ? bySeq.get(pending.undoes.seq) : undefined;
      const undo = write ? undoOf(write, ctx) : undefined;
      if (undo?.kind === 'call')
        count(
          undo,
          await settle(journal, pending.seq, undo, write!.outcome.outcome.intercomId, settleWith),
          write!.outcome.outcome.intercomId,
        );
      else journal.outcome(pending.seq, { result: 'not-applied', reason: 'nothing to undo on resume' });
    }

    const writes = await journal.writesToUndo();
    const plan = summarize(req.runId, target.meta.kind, writes, ctx);
    progress.phase('rollback', writes.length);
    for (const write of writes) {
      if (req.signal?.aborted) throw new RunStoppedError('the rollback was cancelled');
      const undo = undoOf(write, ctx);
      const base = {
        objectType: write.intent.objectType,
        sourceId: write.intent.sourceId,
        undoes: { runId: req.runId, seq: write.intent.seq, op: write.intent.op },
      };
      const id = write.outcome.outcome.intercomId;
      if (undo.kind === 'call') {
        const seq = await journal.intent({
          ...base,
          op: undo.op,
          target: {
            resource: write.intent.target.resource,
            intercomId: id,
            ...typedFieldsOf(write),
            description: undo.description,
          },
          lookup: { by: 'intercom_id', id },
        });
        const result = await settle(journal, seq, undo, id, settleWith);
        count(undo, result, id);
        // Progress counts what was undone; an object already gone was not (skipped, with why).
        if (result === 'done')
          progress.record(write.intent.objectType, write.intent.sourceId, 'migrated', undo.description);
        else if (result === 'gone')
          progress.record(
            write.intent.objectType,
            write.intent.sourceId,
            'skipped',
            `already gone: ${undo.description}`,
          );
        else if ('impossible' in result)
          progress.record(write.intent.objectType, write.intent.sourceId, 'skipped', result.impossible);
        else progress.record(write.intent.objectType, write.intent.sourceId, 'failed', result.error);
      } else if (undo.kind === 'covered') {
        const seq = await journal.intent({
          ...base,
          op: 'delete',
          target: {
            resource: write.intent.target.resource,
            intercomId: id,
            description: `covered: ${write.intent.target.description} (removed with ${undo.by})`,
          },
          lookup: { by: 'intercom_id', id },
        });
        journal.outcome(seq, { result: 'applied', intercomId: id, relatedIds: { coveredBy: undo.by } });
      } else {
        progress.warn(
          `${undo.kind === 'keep' ? 'Kept' : 'Cannot undo'}: ${write.intent.target.description}: ${undo.reason}`,
        );
      }
    }
    plan.impossible.push(...refused);
    await journal.flush();
    // A resumed rollback also waits for what its earlier attempts archived: every company the run made.
    const stillArchiving = await waitForArchives(
      req,
      interrupted ? new Set([...archived, ...ctx.archivedCompanies]) : archived,
      progress,
    );
    const meta = await journal.finish(
      failed.length ? 'failed' : 'completed',
      failed.length ? `${failed.length} undo call(s) failed` : undefined,
    );
    return {
      runId: journal.runId,
      status: meta.status === 'completed' ? 'completed' : 'failed',
      plan,
      undone,
      alreadyGone,
      failed,
      stillArchiving,
      counts: journal.counts(),
    };
  } catch (error) {
    if (journal) {
      const status = req.signal?.aborted ? 'cancelled' : 'failed';
      await journal.flush().catch(() => undefined);
      if (journal.pendingIntents().length === 0 || status !== 'cancelled')
        await journal.finish(status, messageOf(error)).catch(() => undefined);
    }
    throw error;
  } finally {
    await journal?.close().catch(() => undefined);
    await ledger.close().catch(() => undefined);
  }
}

/** Waits for the companies archived just now to be gone (await-archives.ts), and warns about any that are not. */
async function waitForArchives(
  req: { client: IntercomClient; signal?: AbortSignal; archiveWaitMs?: number },
  archived: Set<string>,
  progress: ProgressCounter,
): Promise<string[]> {
  if (archived.size === 0) return [];
  progress.info(
    `Waiting for Intercom to finish archiving ${archived.size} company(ies): it archives them after accepting the request`,
  );
  const still = await awaitArchives(req.client, archived, {
    clock: systemClock,
    timeoutMs: req.archiveWaitMs ?? ARCHIVE_WAIT_MS,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  if (still.length > 0) {
    const shown = still.slice(0, 5).join(', ') + (still.length > 5 ? `, and ${still.length - 5} more` : '');
    progress.warn(
      `Intercom has not yet archived ${still.length} company(ies) (${shown}). Wait until they are gone before migrating again: a company upserted before its archive is carried out is archived with it.`,
    );
  }
  return still;
}

/**
 * Runs one undo call and journals its outcome. A 404 means the object is already gone (removed by
 * someone else, or by an earlier attempt of this rollback): nothing left to undo, and said so.
 * An undo whose outcome is unknown (a conversation part: assign, open, close) is decided by reading
 * the conversation and sent again only if it did not take (writeAtMostOnce), rather than left
 * failed for the next attempt of the whole rollback.
 */
async function settle(
  journal: RunJournal,
  seq: number,
  undo: Extract<Undo, { kind: 'call' }>,
  id: string,
  using: { client: IntercomClient; readSettleMs?: number },
): Promise<'done' | 'gone' | { error: string } | { impossible: string }> {
  try {
    // An undo is no create: a 409 on it (a restore clashing with another contact) is a failure, not "already there".
    await writeAtMostOnce(using.client, undo.run, {
      conflictIsExisting: false,
      ...(using.readSettleMs !== undefined ? { readSettleMs: using.readSettleMs } : {}),
    });
    journal.outcome(seq, { result: 'applied', intercomId: id });
    return 'done';
  } catch (error) {
    if (error instanceof NotFoundError) {
      journal.outcome(seq, { result: 'applied', intercomId: id, relatedIds: { note: 'already gone' } });
      return 'gone';
    }
    if (error instanceof LedgerWriteError) throw error;
    journal.outcome(seq, { result: 'failed', error: errorInfo(error) });
    if (stopsTheRun(error)) throw new RunStoppedError(`Intercom refused the rollback: ${messageOf(error)}`, error);
    // Assign, open and close add a part: a conversation at Intercom's part cap never takes one, so
    // asking again cannot help. Reported as what Intercom cannot undo, not as a failure to retry.
    if (error instanceof IntercomError && error.code === 'conversation_part_limit_reached') {
      return {
        impossible: `conversation ${id} has reached Intercom's 500 parts and takes no more; left as the run set it`,
      };
    }
    return { error: messageOf(error) };
  }
}
