import { NotFoundError, type IntercomClient } from '../intercom';
import { LedgerWriteError, openLedger, type AppliedWrite, type Ledger, type RunJournal } from '../ledger';
import type { JsonValue, RunCounts, WriteOp } from '../model/journal';
import { systemClock } from '../model/clock';
import { errorInfo, stopsTheRun } from './error-info';
import { assertBoundTarget } from './target-binding';
import { EngineUsageError, RunStoppedError } from './errors';
import { ProgressCounter, type ProgressSink } from './progress';

/** What undoing one write takes. `covered`: removed with a bigger object; `impossible`: Intercom cannot undo it. */
type Undo =
  | { kind: 'call'; op: WriteOp; verb: UndoVerb; description: string; run: () => Promise<unknown> }
  | { kind: 'covered'; by: string }
  | { kind: 'impossible'; reason: string }
  | { kind: 'keep'; reason: string };

export type UndoVerb = 'delete' | 'archive' | 'restore' | 'untag' | 'detach' | 'reopen' | 'close' | 'unassign';

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
  undone: number;
  failed: { description: string; message: string }[];
  counts: RunCounts;
  message?: string;
}

interface UndoContext {
  client: IntercomClient;
  /** Conversations and contacts the target run created and this rollback deletes. */
  deletedConversations: Set<string>;
  deletedContacts: Set<string>;
  /** Contacts found by lookup that predate the run (never deleted). */
  preexistingContacts: Set<string>;
}


/** The fields of a before-image that PUT /contacts takes back. */
function contactRestore(before: JsonValue | undefined): Record<string, unknown> | undefined {
  if (!before || typeof before !== 'object' || Array.isArray(before)) return undefined;
  const b = before as Record<string, JsonValue>;
  const body: Record<string, unknown> = {};
  for (const key of ['email', 'name', 'phone', 'external_id'] as const) if (typeof b[key] === 'string') body[key] = b[key];
  if (b.custom_attributes && typeof b.custom_attributes === 'object' && !Array.isArray(b.custom_attributes)) body.custom_attributes = b.custom_attributes;
  return body;
}

function undoOf(write: AppliedWrite, ctx: UndoContext): Undo {
  const { intent, outcome } = write;
  const id = outcome.outcome.intercomId;
  const resource = intent.target.resource;
  const onConversation = intent.target.intercomId ?? (resource === 'conversation' ? id : undefined);
  const conversationGone = onConversation !== undefined && ctx.deletedConversations.has(onConversation);
  const { client } = ctx;
  switch (intent.op) {
    case 'create':
      switch (resource) {
        case 'conversation':
          if (intent.target.description.startsWith('POST /custom_object_instances/')) {
            const type = intent.target.description.split(' ')[1]!.split('/')[2]!;
            return { kind: 'call', op: 'delete', verb: 'delete', description: `delete ${type} instance ${id}`, run: () => client.customObjects.delete(type, id) };
          }
          return { kind: 'call', op: 'delete', verb: 'delete', description: `delete conversation ${id}`, run: () => client.conversations.delete(id) };
        case 'contact':
          if (ctx.preexistingContacts.has(id)) return { kind: 'keep', reason: `contact ${id} existed before the run` };
          return { kind: 'call', op: 'delete', verb: 'delete', description: `delete contact ${id}`, run: () => client.contacts.delete(id) };
        case 'company':
          return { kind: 'call', op: 'archive', verb: 'archive', description: `archive company ${id} (Intercom only archives companies)`, run: () => client.companies.delete(id) };
        case 'tag':
          return { kind: 'call', op: 'delete', verb: 'delete', description: `delete tag ${id}`, run: () => client.tags.delete(id) };
        case 'data_attribute':
          return { kind: 'call', op: 'archive', verb: 'archive', description: `archive attribute ${id} (attributes cannot be deleted)`, run: () => client.dataAttributes.archive(id) };
        case 'conversation_attribute':
          return { kind: 'call', op: 'archive', verb: 'archive', description: `archive conversation attribute ${id}`, run: () => client.dataAttributes.archiveConversationAttribute(id) };
        case 'help_center_collection':
          return { kind: 'call', op: 'delete', verb: 'delete', description: `delete collection ${id}`, run: () => client.helpCenter.deleteCollection(id) };
        case 'article':
          return { kind: 'call', op: 'delete', verb: 'delete', description: `delete article ${id}`, run: () => client.helpCenter.deleteArticle(id) };
        default:
          return { kind: 'impossible', reason: `no way to remove a ${resource} through the API` };
      }
    case 'reply':
    case 'note':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return { kind: 'impossible', reason: `Intercom cannot delete a part of conversation ${onConversation} (created by an earlier run): ${intent.target.description}` };
    case 'tag': {
      const tagId = intent.target.intercomId ?? id;
      const desc = intent.target.description;
      if (desc.startsWith('tag conversation')) {
        const convId = desc.split(' ')[2]!;
        if (ctx.deletedConversations.has(convId)) return { kind: 'covered', by: `conversation ${convId}` };
        return { kind: 'impossible', reason: 'untagging a conversation needs the admin who tagged it; remove the tag in Intercom' };
      }
      if (desc.startsWith('tag contact')) return { kind: 'covered', by: 'the contact or the tag' };
      return { kind: 'covered', by: `tag ${tagId}` };
    }
    case 'attach':
      return { kind: 'covered', by: 'the contact (deleted) or the company (archived, contacts detached)' };
    case 'update': {
      if (resource === 'conversation' && conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      if (resource === 'contact' && intent.beforeImage !== undefined) {
        const body = contactRestore(intent.beforeImage);
        const target = intent.target.intercomId ?? id;
        if (body && !ctx.deletedContacts.has(target)) return { kind: 'call', op: 'restore', verb: 'restore', description: `restore contact ${target} as it was before the run`, run: () => client.contacts.update(target, body) };
      }
      if (resource === 'contact' && ctx.deletedContacts.has(intent.target.intercomId ?? id)) return { kind: 'covered', by: 'the contact' };
      if (resource === 'company' || resource === 'article') return { kind: 'covered', by: `${resource} removal, or left as updated (no before-image kept)` };
      return { kind: 'impossible', reason: `no before-image to restore: ${intent.target.description}` };
    }
    case 'close':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return { kind: 'call', op: 'open', verb: 'reopen', description: `reopen conversation ${onConversation}`, run: () => client.conversations.open(onConversation!, adminFrom(write)) };
    case 'open':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return { kind: 'call', op: 'close', verb: 'close', description: `close conversation ${onConversation} again`, run: () => client.conversations.close(onConversation!, adminFrom(write)) };
    case 'assign':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return { kind: 'impossible', reason: `the previous assignee of conversation ${onConversation} is not known` };
    default:
      return { kind: 'impossible', reason: `${intent.op} has no undo` };
  }
}

/** Close/open need an acting admin: the one the original write used, read from its description. */
function adminFrom(write: AppliedWrite): string {
  return /admin (\d+)/.exec(write.intent.target.description)?.[1] ?? '0';
}

async function buildContext(client: IntercomClient, writes: AppliedWrite[]): Promise<UndoContext> {
  const ctx: UndoContext = { client, deletedConversations: new Set(), deletedContacts: new Set(), preexistingContacts: new Set() };
  for (const w of writes) {
    if (w.intent.op !== 'create') continue;
    const id = w.outcome.outcome.intercomId;
    if (w.intent.target.resource === 'conversation' && !w.intent.target.description.startsWith('POST /custom_object_instances/')) ctx.deletedConversations.add(id);
    if (w.intent.target.resource === 'contact') {
      // A contact found by lookup may be someone else's (a 409 on the same email): check before deleting.
      if (w.outcome.outcome.resolvedBy === 'lookup' && w.intent.lookup.by === 'external_id') {
        const contact = await client.contacts.get(id).catch((e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e)));
        if (contact && contact.external_id !== w.intent.lookup.value) {
          ctx.preexistingContacts.add(id);
          continue;
        }
      }
      ctx.deletedContacts.add(id);
    }
  }
  // A contact the run found already there (updated, not created) is never deleted.
  for (const w of writes) if (w.intent.existedBefore && w.intent.target.resource === 'contact') {
    const id = w.intent.target.intercomId ?? w.outcome.outcome.intercomId;
    ctx.deletedContacts.delete(id);
    ctx.preexistingContacts.add(id);
  }
  return ctx;
}

function summarize(targetRunId: string, targetKind: string, writes: AppliedWrite[], ctx: UndoContext): RollbackPlan {
  const plan: RollbackPlan = { targetRunId, targetKind, calls: {}, covered: 0, impossible: [], kept: [] };
  for (const w of writes) {
    const undo = undoOf(w, ctx);
    if (undo.kind === 'call') {
      const byResource = (plan.calls[undo.verb] ??= {});
      byResource[w.intent.target.resource] = (byResource[w.intent.target.resource] ?? 0) + 1;
    } else if (undo.kind === 'covered') plan.covered++;
    else if (undo.kind === 'impossible') plan.impossible.push({ description: w.intent.target.description, reason: undo.reason });
    else plan.kept.push({ description: w.intent.target.description, reason: undo.reason });
  }
  return plan;
}

async function targetOf(ledger: Ledger, runId: string) {
  const runs = await ledger.listRuns();
  const target = runs.find((r) => r.meta.id === runId);
  if (!target) throw new EngineUsageError(`no run ${runId} in this workspace (st2ic runs are under migration/runs)`);
  if (target.meta.kind === 'rollback' || target.meta.kind === 'dry-run' || target.meta.kind === 'adopt') throw new EngineUsageError(`run ${runId} is a ${target.meta.kind}: there is nothing to roll back`);
  if (target.locked) throw new EngineUsageError(`run ${runId} is still running; stop it first`);
  return { target, runs };
}

/** What rolling back a run would do, for the confirmation people see before it happens. */
export async function planRollback(workspaceDir: string, runId: string, client: IntercomClient, options: { takeOver?: boolean } = {}): Promise<RollbackPlan> {
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
 * archived, attributes archived: Intercom allows no more), restores before-images of records it
 * updated, and lists what Intercom cannot undo. Itself journaled and resumable: a second call
 * continues where an interrupted one stopped.
 */
export async function rollbackRun(req: { workspaceDir: string; runId: string; client: IntercomClient; progress?: ProgressSink; signal?: AbortSignal; takeOver?: boolean }): Promise<RollbackResult> {
  const progress = new ProgressCounter(req.progress);
  const ledger = await openLedger(req.workspaceDir, { writer: { kind: 'rollback', rollbackOf: req.runId }, takeOver: req.takeOver === true });
  let journal: RunJournal | undefined;
  try {
    const { target, runs } = await targetOf(ledger, req.runId);
    await assertBoundTarget({ workspaceDir: req.workspaceDir, client: req.client, ledger, clock: systemClock, warn: (m) => progress.warn(m) });
    const interrupted = runs.filter((r) => r.meta.kind === 'rollback' && r.meta.rollbackOf === req.runId && r.meta.status !== 'completed' && !r.locked).at(-1);
    journal = interrupted
      ? await ledger.resumeRun(interrupted.meta.id)
      : await ledger.startRun({ kind: 'rollback', rollbackOf: req.runId, mappingHash: target.meta.mappingHash, source: target.meta.source });
    progress.info(`${interrupted ? 'Resuming' : 'Starting'} rollback ${journal.runId} of ${target.meta.kind} run ${req.runId}`);

    const all = await ledger.appliedWrites(req.runId);
    const ctx = await buildContext(req.client, all);
    // An undo interrupted mid-call is simply done again: every undo is idempotent (404 = already gone).
    const bySeq = new Map(all.map((w) => [w.intent.seq, w]));
    for (const pending of journal.pendingIntents()) {
      const write = pending.undoes ? bySeq.get(pending.undoes.seq) : undefined;
      const undo = write ? undoOf(write, ctx) : undefined;
      if (undo?.kind === 'call') await settle(journal, pending.seq, undo, write!.outcome.outcome.intercomId);
      else journal.outcome(pending.seq, { result: 'not-applied', reason: 'nothing to undo on resume' });
    }

    const writes = await journal.writesToUndo();
    const plan = summarize(req.runId, target.meta.kind, writes, ctx);
    progress.phase('rollback', writes.length);
    const failed: RollbackResult['failed'] = [];
    let undone = 0;
    for (const write of writes) {
      if (req.signal?.aborted) throw new RunStoppedError('the rollback was cancelled');
      const undo = undoOf(write, ctx);
      const base = { objectType: write.intent.objectType, sourceId: write.intent.sourceId, undoes: { runId: req.runId, seq: write.intent.seq, op: write.intent.op } };
      const id = write.outcome.outcome.intercomId;
      if (undo.kind === 'call') {
        const seq = await journal.intent({ ...base, op: undo.op, target: { resource: write.intent.target.resource, intercomId: id, description: undo.description }, lookup: { by: 'intercom_id', id } });
        const error = await settle(journal, seq, undo, id);
        if (error) failed.push({ description: undo.description, message: error });
        else undone++;
        progress.record(write.intent.objectType, write.intent.sourceId, error ? 'failed' : 'migrated', error ?? undo.description);
      } else if (undo.kind === 'covered') {
        const seq = await journal.intent({ ...base, op: 'delete', target: { resource: write.intent.target.resource, intercomId: id, description: `covered: ${write.intent.target.description} (removed with ${undo.by})` }, lookup: { by: 'intercom_id', id } });
        journal.outcome(seq, { result: 'applied', intercomId: id, relatedIds: { coveredBy: undo.by } });
      } else {
        progress.warn(`${undo.kind === 'keep' ? 'Kept' : 'Cannot undo'}: ${write.intent.target.description}: ${undo.reason}`);
      }
    }
    await journal.flush();
    const meta = await journal.finish(failed.length ? 'failed' : 'completed', failed.length ? `${failed.length} undo call(s) failed` : undefined);
    return { runId: journal.runId, status: meta.status === 'completed' ? 'completed' : 'failed', plan, undone, failed, counts: journal.counts() };
  } catch (error) {
    if (journal) {
      const status = req.signal?.aborted ? 'cancelled' : 'failed';
      await journal.flush().catch(() => undefined);
      if (journal.pendingIntents().length === 0 || status !== 'cancelled') await journal.finish(status, (error as Error).message).catch(() => undefined);
    }
    throw error;
  } finally {
    await journal?.close().catch(() => undefined);
    await ledger.close().catch(() => undefined);
  }
}

/** Runs one undo call and journals its outcome; a 404 means it is already undone. Returns an error message or undefined. */
async function settle(journal: RunJournal, seq: number, undo: Extract<Undo, { kind: 'call' }>, id: string): Promise<string | undefined> {
  try {
    await undo.run();
    journal.outcome(seq, { result: 'applied', intercomId: id });
    return undefined;
  } catch (error) {
    if (error instanceof NotFoundError) {
      journal.outcome(seq, { result: 'applied', intercomId: id, relatedIds: { note: 'already gone' } });
      return undefined;
    }
    if (error instanceof LedgerWriteError) throw error;
    journal.outcome(seq, { result: 'failed', error: errorInfo(error) });
    if (stopsTheRun(error)) throw new RunStoppedError(`Intercom refused the rollback: ${(error as Error).message}`, error);
    return (error as Error).message;
  }
}
