import { IntercomError, NotFoundError, writeAtMostOnce, type IntercomClient } from '../intercom';
import type { CreateOrUpdateCompanyRequest } from '../intercom/schemas/companies';
import type { UpdateContactRequest } from '../intercom/schemas/contacts';
import type { UpdateConversationRequest } from '../intercom/schemas/conversations';
import type { UpdateArticleRequest } from '../intercom/schemas/help-center';
import { AssignBefore, AttachBefore, TagBefore } from './before-image';
import { LedgerWriteError, openLedger, type AppliedWrite, type Ledger, type RunJournal } from '../ledger';
import type { IntercomResource, JsonValue, RunCounts, WriteOp, WriteTarget } from '../model/journal';
import { systemClock } from '../model/clock';
import { errorInfo, stopsTheRun } from './error-info';
import { assertBoundTarget } from './target-binding';
import { EngineUsageError, RunStoppedError } from './errors';
import { ProgressCounter, type ProgressSink } from './progress';
import { ARCHIVE_WAIT_MS, awaitArchives } from './await-archives';
import { messageOf } from '../model/error-message';

/** What undoing one write takes. `covered`: removed with a bigger object; `impossible`: Intercom cannot undo it; `keep`: it existed before the run. */
type Undo =
  | {
      kind: 'call';
      op: WriteOp;
      verb: UndoVerb;
      /** What the call acts on (counted in the plan). */
      resource: IntercomResource;
      description: string;
      run: () => Promise<unknown>;
      /** Part of the change Intercom cannot take back (e.g. an external_id the contact did not have). */
      leftover?: string;
    }
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

interface UndoContext {
  client: IntercomClient;
  /** Objects the target run created, which this rollback deletes or archives (with what hangs on them). */
  deletedConversations: Set<string>;
  deletedContacts: Set<string>;
  archivedCompanies: Set<string>;
  deletedTags: Set<string>;
  /** Contacts found by lookup that predate the run (never deleted). */
  preexistingContacts: Set<string>;
  /** The admin that acts for untagging and reassigning conversations: the token's own. */
  actingAdmin: () => Promise<string>;
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A restore body, and the fields of the before-image Intercom cannot take back. */
interface Restore {
  body: Record<string, unknown>;
  leftover: string[];
}

const CONTACT_FIELDS = ['email', 'external_id', 'name', 'phone', 'avatar', 'owner_id', 'signed_up_at', 'last_seen_at', 'unsubscribed_from_emails'] as const;

/**
 * The fields of a before-image that PUT /contacts takes back. Images of the written fields hold null
 * for what the contact did not have: attributes are cleared, but Intercom cannot clear an email or
 * an external_id. (Older journals kept the whole contact: only its main fields are restored.)
 */
function contactRestore(before: JsonValue | undefined): Restore | undefined {
  if (!isObject(before)) return undefined;
  const whole = before.type === 'contact' && typeof before.id === 'string';
  const fields: readonly string[] = whole ? ['email', 'name', 'phone', 'external_id'] : CONTACT_FIELDS;
  const body: Record<string, unknown> = {};
  const leftover: string[] = [];
  for (const key of fields) {
    if (!(key in before)) continue;
    const value = before[key];
    if (key === 'email' || key === 'external_id') {
      if (typeof value === 'string' && value !== '') body[key] = value;
      else if (!whole) leftover.push(key);
    } else if (value !== undefined) body[key] = value;
  }
  if (isObject(before.custom_attributes)) body.custom_attributes = before.custom_attributes;
  return { body, leftover };
}

/** POST /companies (the upsert by company_id) with the fields as they were; strings it had none of become empty. */
function companyRestore(before: JsonValue | undefined, companyId: string): Restore | undefined {
  if (!isObject(before)) return undefined;
  const body: Record<string, unknown> = { company_id: companyId };
  const leftover: string[] = [];
  for (const [key, value] of Object.entries(before)) {
    if (key === 'custom_attributes') {
      if (isObject(value)) body.custom_attributes = value;
    } else if (['name', 'plan', 'website', 'industry'].includes(key)) body[key] = typeof value === 'string' ? value : '';
    else if (['size', 'monthly_spend', 'remote_created_at'].includes(key)) {
      if (typeof value === 'number') body[key] = value;
      else leftover.push(key);
    }
  }
  return { body, leftover };
}

function conversationRestore(before: JsonValue | undefined): Restore | undefined {
  if (!isObject(before)) return undefined;
  const body: Record<string, unknown> = {};
  if ('title' in before) body.title = typeof before.title === 'string' ? before.title : '';
  if (isObject(before.custom_attributes)) body.custom_attributes = before.custom_attributes;
  return { body, leftover: [] };
}

function articleRestore(before: JsonValue | undefined): Restore | undefined {
  if (!isObject(before)) return undefined;
  const body: Record<string, unknown> = {};
  const leftover: string[] = [];
  for (const [key, value] of Object.entries(before)) {
    if (key === 'title') {
      if (typeof value === 'string' && value !== '') body.title = value;
      else leftover.push(key);
    } else if (key === 'body' || key === 'description') body[key] = typeof value === 'string' ? value : '';
    else if (key === 'state' && (value === 'published' || value === 'draft')) body.state = value;
    else if (key === 'author_id' && value !== null && Number.isInteger(Number(value))) body.author_id = Number(value);
    else if (key === 'parent_id') body.parent_id = value === null ? null : String(value);
  }
  return { body, leftover };
}

const cannotClear = (fields: string[]) => (fields.length ? `Intercom cannot clear ${fields.join(' and ')}: left as the run set ${fields.length === 1 ? 'it' : 'them'}` : undefined);

function undoOf(write: AppliedWrite, ctx: UndoContext): Undo {
  const { intent, outcome } = write;
  const id = outcome.outcome.intercomId;
  const resource = intent.target.resource;
  const onConversation = intent.target.intercomId ?? (resource === 'conversation' ? id : undefined);
  const conversationGone = onConversation !== undefined && ctx.deletedConversations.has(onConversation);
  const { client } = ctx;
  const call = (op: WriteOp, verb: UndoVerb, on: IntercomResource, description: string, run: () => Promise<unknown>, leftover?: string): Undo => ({
    kind: 'call', op, verb, resource: on, description, run, ...(leftover ? { leftover } : {}),
  });
  switch (intent.op) {
    case 'create':
      if (intent.existedBefore) return { kind: 'keep', reason: `${resource} ${id} existed before the run` };
      switch (resource) {
        case 'custom_object_instance': {
          const type = intent.target.customObjectType;
          if (!type) return { kind: 'impossible', reason: `the custom object type of instance ${id} is not in the journal; delete it in Intercom` };
          return call('delete', 'delete', resource, `delete ${type} instance ${id}`, () => client.customObjects.delete(type, id));
        }
        case 'conversation':
          return call('delete', 'delete', resource, `delete conversation ${id}`, () => client.conversations.delete(id));
        case 'contact':
          if (ctx.preexistingContacts.has(id)) return { kind: 'keep', reason: `contact ${id} existed before the run` };
          return call('delete', 'delete', resource, `delete contact ${id}`, () => client.contacts.delete(id));
        case 'company':
          return call('archive', 'archive', resource, `archive company ${id} (Intercom only archives companies)`, () => client.companies.delete(id));
        case 'tag':
          return call('delete', 'delete', resource, `delete tag ${id}`, () => client.tags.delete(id));
        case 'data_attribute':
          return call('archive', 'archive', resource, `archive attribute ${id} (attributes cannot be deleted)`, () => client.dataAttributes.archive(id));
        case 'conversation_attribute':
          return call('archive', 'archive', resource, `archive conversation attribute ${id}`, () => client.dataAttributes.archiveConversationAttribute(id));
        case 'help_center_collection':
          return call('delete', 'delete', resource, `delete collection ${id}`, () => client.helpCenter.deleteCollection(id));
        case 'article':
          return call('delete', 'delete', resource, `delete article ${id}`, () => client.helpCenter.deleteArticle(id));
        default:
          return { kind: 'impossible', reason: `no way to remove a ${resource} through the API` };
      }
    case 'reply':
    case 'note':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return { kind: 'impossible', reason: `Intercom cannot delete a part of conversation ${onConversation} (created by an earlier run): ${intent.target.description}` };
    case 'tag': {
      const before = TagBefore.safeParse(intent.beforeImage);
      if (!before.success) return legacyTagUndo(write, ctx);
      const { object, id: objectId, tagId, tagName } = before.data;
      if (ctx.deletedTags.has(tagId)) return { kind: 'covered', by: `tag ${tagId}` };
      switch (object) {
        case 'contact':
          if (ctx.deletedContacts.has(objectId)) return { kind: 'covered', by: `contact ${objectId}` };
          return call('untag', 'untag', 'contact', `untag contact ${objectId} "${tagName}"`, () => client.tags.untagContact(objectId, tagId));
        case 'company':
          return call('untag', 'untag', 'company', `untag company ${objectId} "${tagName}"`, () => client.tags.tagCompanies(tagName, [objectId], true));
        case 'conversation':
          if (ctx.deletedConversations.has(objectId)) return { kind: 'covered', by: `conversation ${objectId}` };
          return call('untag', 'untag', 'conversation', `untag conversation ${objectId} "${tagName}"`, async () => client.tags.untagConversation(objectId, tagId, await ctx.actingAdmin()));
      }
      break;
    }
    case 'attach': {
      const before = AttachBefore.safeParse(intent.beforeImage);
      if (!before.success) return { kind: 'covered', by: 'the contact (deleted) or the company (archived, contacts detached)' };
      const { contactId, companyId } = before.data;
      if (ctx.deletedContacts.has(contactId)) return { kind: 'covered', by: `contact ${contactId}` };
      if (ctx.archivedCompanies.has(companyId)) return { kind: 'covered', by: `company ${companyId} (archiving detaches its contacts)` };
      return call('detach', 'detach', 'contact', `detach contact ${contactId} from company ${companyId}`, () => client.contacts.detachCompany(contactId, companyId));
    }
    case 'update': {
      const target = intent.target.intercomId ?? id;
      if (resource === 'conversation' && conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      if (resource === 'contact' && ctx.deletedContacts.has(target)) return { kind: 'covered', by: 'the contact' };
      if (resource === 'company' && ctx.archivedCompanies.has(target)) return { kind: 'covered', by: `company ${target} (archived)` };
      if (intent.beforeImage === undefined) {
        if (resource === 'company' || resource === 'article') return { kind: 'covered', by: `${resource} removal, or left as updated (no before-image kept)` };
        return { kind: 'impossible', reason: `no before-image to restore: ${intent.target.description}` };
      }
      const restore =
        resource === 'contact' ? contactRestore(intent.beforeImage)
        : resource === 'company' && intent.lookup.by === 'company_id' ? companyRestore(intent.beforeImage, intent.lookup.value)
        : resource === 'conversation' ? conversationRestore(intent.beforeImage)
        : resource === 'article' ? articleRestore(intent.beforeImage)
        : undefined;
      if (!restore) return { kind: 'impossible', reason: `no way to restore a ${resource} from its before-image: ${intent.target.description}` };
      const leftover = cannotClear(restore.leftover);
      const body = restore.body;
      switch (resource) {
        case 'contact':
          return call('restore', 'restore', resource, `restore contact ${target} as it was before the run`, () => client.contacts.update(target, body as UpdateContactRequest), leftover);
        case 'company':
          return call('restore', 'restore', resource, `restore company ${target} as it was before the run (never archived: it existed before)`, () => client.companies.createOrUpdate(body as CreateOrUpdateCompanyRequest), leftover);
        case 'conversation':
          return call('restore', 'restore', resource, `restore title and attributes of conversation ${target}`, () => client.conversations.update(target, body as UpdateConversationRequest), leftover);
        default:
          return call('restore', 'restore', resource, `restore article ${target} as it was before the run`, () => client.helpCenter.updateArticle(target, body as UpdateArticleRequest), leftover);
      }
    }
    case 'unarchive':
      if (resource === 'data_attribute') {
        const target = intent.target.intercomId ?? id;
        return call('archive', 'archive', resource, `archive attribute ${target} again (it was archived before the run)`, () => client.dataAttributes.archive(target));
      }
      return { kind: 'impossible', reason: `${intent.op} of a ${resource} has no undo` };
    case 'close':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return call('open', 'reopen', 'conversation', `reopen conversation ${onConversation}`, async () => client.conversations.open(onConversation!, await actingAdminOf(write, ctx)));
    case 'open':
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      return call('close', 'close', 'conversation', `close conversation ${onConversation} again`, async () => client.conversations.close(onConversation!, await actingAdminOf(write, ctx)));
    case 'assign': {
      if (conversationGone) return { kind: 'covered', by: `conversation ${onConversation}` };
      const before = AssignBefore.safeParse(intent.beforeImage);
      if (!before.success) return { kind: 'impossible', reason: `the previous assignee of conversation ${onConversation} is not known` };
      const { assignee, previousId } = before.data;
      const back = async () => client.conversations.assign(onConversation!, await ctx.actingAdmin(), { type: assignee, id: previousId });
      if (previousId === '0') return call('assign', 'unassign', 'conversation', `unassign conversation ${onConversation} from its ${assignee} (it had none)`, back);
      return call('assign', 'restore', 'conversation', `assign conversation ${onConversation} back to ${assignee} ${previousId}`, back);
    }
    default:
      break;
  }
  return { kind: 'impossible', reason: `${intent.op} has no undo` };
}

/** Tag writes journaled before before-images were kept: only what deleting the tagged object or the tag covers. */
function legacyTagUndo(write: AppliedWrite, ctx: UndoContext): Undo {
  const tagged = write.intent.target.tagged;
  const tagId = write.intent.target.intercomId ?? write.outcome.outcome.intercomId;
  if (tagged?.object === 'conversation') {
    if (ctx.deletedConversations.has(tagged.id)) return { kind: 'covered', by: `conversation ${tagged.id}` };
    return { kind: 'impossible', reason: 'untagging a conversation needs the admin who tagged it; remove the tag in Intercom' };
  }
  return { kind: 'covered', by: `the tagged object's removal or tag ${tagId}` };
}

/** The typed target fields an undo keeps from the write it reverses (what a resumed rollback needs). */
function typedFieldsOf(write: AppliedWrite): Pick<WriteTarget, 'customObjectType' | 'actingAdminId'> {
  const { customObjectType, actingAdminId } = write.intent.target;
  return { ...(customObjectType ? { customObjectType } : {}), ...(actingAdminId ? { actingAdminId } : {}) };
}

/** Close/open need an acting admin: the one the original write acted as, else the token's own admin. */
async function actingAdminOf(write: AppliedWrite, ctx: UndoContext): Promise<string> {
  return write.intent.target.actingAdminId ?? (await ctx.actingAdmin());
}

async function buildContext(client: IntercomClient, writes: AppliedWrite[]): Promise<UndoContext> {
  let admin: Promise<string> | undefined;
  const ctx: UndoContext = {
    client, deletedConversations: new Set(), deletedContacts: new Set(), archivedCompanies: new Set(), deletedTags: new Set(), preexistingContacts: new Set(),
    actingAdmin: () => (admin ??= client.admins.me().then((me) => String(me.id))),
  };
  for (const w of writes) {
    if (w.intent.op !== 'create' || w.intent.existedBefore) continue;
    const id = w.outcome.outcome.intercomId;
    const resource = w.intent.target.resource;
    if (resource === 'conversation') ctx.deletedConversations.add(id);
    if (resource === 'company') ctx.archivedCompanies.add(id);
    if (resource === 'tag') ctx.deletedTags.add(id);
    if (resource === 'contact') {
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
  // Objects the run found already there (updated, not created) are never deleted or archived.
  for (const w of writes) {
    if (!w.intent.existedBefore) continue;
    const id = w.intent.target.intercomId ?? w.outcome.outcome.intercomId;
    if (w.intent.target.resource === 'contact') {
      ctx.deletedContacts.delete(id);
      ctx.preexistingContacts.add(id);
    }
    if (w.intent.target.resource === 'company') ctx.archivedCompanies.delete(id);
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
export async function rollbackRun(req: { workspaceDir: string; runId: string; client: IntercomClient; progress?: ProgressSink; signal?: AbortSignal; takeOver?: boolean; archiveWaitMs?: number; readSettleMs?: number }): Promise<RollbackResult> {
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
    const failed: RollbackResult['failed'] = [];
    const refused: RollbackPlan['impossible'] = [];
    let undone = 0;
    let alreadyGone = 0;
    const settleWith = { client: req.client, ...(req.readSettleMs !== undefined ? { readSettleMs: req.readSettleMs } : {}) };
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
      if (undo?.kind === 'call') count(undo, await settle(journal, pending.seq, undo, write!.outcome.outcome.intercomId, settleWith), write!.outcome.outcome.intercomId);
      else journal.outcome(pending.seq, { result: 'not-applied', reason: 'nothing to undo on resume' });
    }

    const writes = await journal.writesToUndo();
    const plan = summarize(req.runId, target.meta.kind, writes, ctx);
    progress.phase('rollback', writes.length);
    for (const write of writes) {
      if (req.signal?.aborted) throw new RunStoppedError('the rollback was cancelled');
      const undo = undoOf(write, ctx);
      const base = { objectType: write.intent.objectType, sourceId: write.intent.sourceId, undoes: { runId: req.runId, seq: write.intent.seq, op: write.intent.op } };
      const id = write.outcome.outcome.intercomId;
      if (undo.kind === 'call') {
        const seq = await journal.intent({ ...base, op: undo.op, target: { resource: write.intent.target.resource, intercomId: id, ...typedFieldsOf(write), description: undo.description }, lookup: { by: 'intercom_id', id } });
        const result = await settle(journal, seq, undo, id, settleWith);
        count(undo, result, id);
        // Progress counts what was undone; an object already gone was not (skipped, with why).
        if (result === 'done') progress.record(write.intent.objectType, write.intent.sourceId, 'migrated', undo.description);
        else if (result === 'gone') progress.record(write.intent.objectType, write.intent.sourceId, 'skipped', `already gone: ${undo.description}`);
        else if ('impossible' in result) progress.record(write.intent.objectType, write.intent.sourceId, 'skipped', result.impossible);
        else progress.record(write.intent.objectType, write.intent.sourceId, 'failed', result.error);
      } else if (undo.kind === 'covered') {
        const seq = await journal.intent({ ...base, op: 'delete', target: { resource: write.intent.target.resource, intercomId: id, description: `covered: ${write.intent.target.description} (removed with ${undo.by})` }, lookup: { by: 'intercom_id', id } });
        journal.outcome(seq, { result: 'applied', intercomId: id, relatedIds: { coveredBy: undo.by } });
      } else {
        progress.warn(`${undo.kind === 'keep' ? 'Kept' : 'Cannot undo'}: ${write.intent.target.description}: ${undo.reason}`);
      }
    }
    plan.impossible.push(...refused);
    await journal.flush();
    // A resumed rollback also waits for what its earlier attempts archived: every company the run made.
    const stillArchiving = await waitForArchives(req, interrupted ? new Set([...archived, ...ctx.archivedCompanies]) : archived, progress);
    const meta = await journal.finish(failed.length ? 'failed' : 'completed', failed.length ? `${failed.length} undo call(s) failed` : undefined);
    return { runId: journal.runId, status: meta.status === 'completed' ? 'completed' : 'failed', plan, undone, alreadyGone, failed, stillArchiving, counts: journal.counts() };
  } catch (error) {
    if (journal) {
      const status = req.signal?.aborted ? 'cancelled' : 'failed';
      await journal.flush().catch(() => undefined);
      if (journal.pendingIntents().length === 0 || status !== 'cancelled') await journal.finish(status, messageOf(error)).catch(() => undefined);
    }
    throw error;
  } finally {
    await journal?.close().catch(() => undefined);
    await ledger.close().catch(() => undefined);
  }
}

/** Waits for the companies archived just now to be gone (await-archives.ts), and warns about any that are not. */
async function waitForArchives(req: { client: IntercomClient; signal?: AbortSignal; archiveWaitMs?: number }, archived: Set<string>, progress: ProgressCounter): Promise<string[]> {
  if (archived.size === 0) return [];
  progress.info(`Waiting for Intercom to finish archiving ${archived.size} company(ies): it archives them after accepting the request`);
  const still = await awaitArchives(req.client, archived, { clock: systemClock, timeoutMs: req.archiveWaitMs ?? ARCHIVE_WAIT_MS, ...(req.signal ? { signal: req.signal } : {}) });
  if (still.length > 0) {
    const shown = still.slice(0, 5).join(', ') + (still.length > 5 ? `, and ${still.length - 5} more` : '');
    progress.warn(`Intercom has not yet archived ${still.length} company(ies) (${shown}). Wait until they are gone before migrating again: a company upserted before its archive is carried out is archived with it.`);
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
  journal: RunJournal, seq: number, undo: Extract<Undo, { kind: 'call' }>, id: string, using: { client: IntercomClient; readSettleMs?: number },
): Promise<'done' | 'gone' | { error: string } | { impossible: string }> {
  try {
    // An undo is no create: a 409 on it (a restore clashing with another contact) is a failure, not "already there".
    await writeAtMostOnce(using.client, undo.run, { conflictIsExisting: false, ...(using.readSettleMs !== undefined ? { readSettleMs: using.readSettleMs } : {}) });
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
      return { impossible: `conversation ${id} has reached Intercom's 500 parts and takes no more; left as the run set it` };
    }
    return { error: messageOf(error) };
  }
}
