import { type Conversation, type ConversationPart, normalizeBody, type OutcomeLookup } from '../../intercom';
import { textToHtml, withHeading } from '../../mapping/body-html';
import { systemClock, unixSeconds } from '../../model/clock';
import { FOLDED_TRANSCRIPT_MARKER, MAX_CONVERSATION_PARTS } from '../../model/intercom-limits';
import type { CutValue, LookupKey, OpenerKind, RecordState } from '../../model/journal';
import type { ObjectType } from '../../model/object-types';
import { type Attachment, attachmentSourceId, isAttachmentSourceId } from '../../model/source';
import { conversationSourceKey, SOURCE_KEY_ATTRIBUTE } from '../../model/source-keys';
import { type AttachmentFile, MAX_FILES_PER_PART, readAttachment } from '../attachments';
import { type AssignBefore, fieldsBefore, tagIdsOf } from '../before-image';
import type { RunContext } from '../context';
import { errorInfo } from '../error-info';
import { RecordError } from '../errors';
import { fingerprint } from '../fingerprint';
import { journalRecord, migrateRecord } from '../record-outcome';
import { journaledWrite, sha256 } from '../write';
import { applyTag } from './tags';

/** One part of a conversation to write, in source order. */
export interface PlannedPart {
  objectType: ObjectType;
  sourceId: string;
  kind: 'contact' | 'admin' | 'note';
  /** Admin parts and notes: who wrote it. */
  adminId?: string;
  body: string;
  createdAt: number;
  attachments: Attachment[];
  /** Source items carried inside this part (folded past Intercom's part cap): journaled with it. */
  folds?: { objectType: ObjectType; sourceId: string }[];
}

/** A whole source conversation (ticket, chat or call) as Intercom will hold it. */
export interface PlannedConversation {
  objectType: 'tickets' | 'liveChats' | 'callLogs';
  sourceId: string;
  /** For messages: "ticket 123-ABC". */
  label: string;
  contactId: string;
  /** The first customer message opens the conversation; the rest follow as parts. */
  opener: PlannedPart;
  parts: PlannedPart[];
  title: string | null;
  attributes: Record<string, string | number | boolean | null>;
  tags: string[];
  teamId: string | null;
  adminAssigneeId: string | null;
  state: 'open' | 'closed' | 'snoozed';
  /** Admin that performs assignment, closing and tagging. */
  actingAdminId: string;
  /** Journaled with the conversation's record: values cut to a limit, and an opener that is not a customer message. */
  extras?: { cut?: CutValue[]; opener?: OpenerKind };
}

function recordExtras(plan: PlannedConversation): { cut?: CutValue[]; opener?: OpenerKind } {
  return {
    ...(plan.extras?.cut?.length ? { cut: plan.extras.cut } : {}),
    ...(plan.extras?.opener ? { opener: plan.extras.opener } : {}),
  };
}

/** Parts kept free for assignment and closing. */
const RESERVED_PARTS = 4;

export interface ConversationPrint {
  state: string;
  team: string | null;
  admin: string | null;
  content: string;
  /** Digests of title + attributes and of the tags, so a delta re-sends only what changed (absent in older prints). */
  details?: string;
  tags?: string;
}

export function parsePrint(value: string | undefined): ConversationPrint | undefined {
  if (!value) return undefined;
  const [state, team, admin, content, details, tags] = value.split('|');
  if (state === undefined || content === undefined) return undefined;
  return {
    state,
    team: team || null,
    admin: admin || null,
    content,
    ...(details ? { details } : {}),
    ...(tags ? { tags } : {}),
  };
}

function detailsPrint(plan: PlannedConversation): string {
  return fingerprint({ title: plan.title, attributes: plan.attributes });
}

export function tagsPrint(plan: Pick<PlannedConversation, 'tags'>): string {
  return fingerprint([...plan.tags].sort());
}

function printOf(plan: PlannedConversation): string {
  const content = fingerprint({
    title: plan.title,
    attributes: plan.attributes,
    tags: plan.tags,
    parts: plan.parts.map((p) => `${p.objectType}:${p.sourceId}`),
  });
  return `${plan.state}|${plan.teamId ?? ''}|${plan.adminAssigneeId ?? ''}|${content}|${detailsPrint(plan)}|${tagsPrint(plan)}`;
}

/**
 * Folds the parts Intercom cannot hold (over its 500-part cap) into one final note, so the
 * transcript is complete even when the conversation is not.
 */
export function capParts(parts: PlannedPart[], attachmentNotes: number, actingAdminId: string): PlannedPart[] {
  const room = MAX_CONVERSATION_PARTS - 1 - RESERVED_PARTS - attachmentNotes;
  if (parts.length <= room) return parts;
  const kept = parts.slice(0, room - 1);
  const folded = parts.slice(room - 1);
  const first = folded[0]!;
  const transcript = folded
    .map((p) =>
      withHeading(
        `[${new Date(p.createdAt * 1000).toISOString()} · ${p.kind === 'contact' ? 'customer' : p.kind === 'admin' ? 'agent' : 'note'}]`,
        p.body,
      ),
    )
    .join('');
  return [
    ...kept,
    {
      objectType: first.objectType,
      sourceId: first.sourceId,
      folds: folded.slice(1).map((p) => ({ objectType: p.objectType, sourceId: p.sourceId })),
      kind: 'note',
      adminId: actingAdminId,
      body: withHeading(
        `${FOLDED_TRANSCRIPT_MARKER} (${MAX_CONVERSATION_PARTS}): messages ${kept.length + 2}–${parts.length + 1}`,
        transcript,
      ),
      createdAt: first.createdAt,
      attachments: folded.flatMap((p) => p.attachments),
    },
  ];
}

/** Reads the files of a part; unreadable ones are journaled as failed and named in the part's text. */
async function filesOf(
  ctx: RunContext,
  part: PlannedPart,
): Promise<{ files: AttachmentFile[]; notes: string[]; attached: Attachment[] }> {
  const files: AttachmentFile[] = [];
  const notes: string[] = [];
  const attached: Attachment[] = [];
  // A dry run reads the files too (the source is read either way): a missing or oversized file fails there as it would here.
  for (const att of liveAttachments(ctx, part.attachments)) {
    try {
      files.push(await readAttachment(att));
      attached.push(att);
    } catch (error) {
      const info = errorInfo(error);
      journalRecord(ctx, 'attachments', attachmentSourceId(att), { state: 'failed', error: info });
      notes.push(`[Attachment "${att.originalName ?? att.id}" could not be migrated: ${info.message}]`);
    }
  }
  return { files, notes, attached };
}

/** The id of the newest part with this type, created_at and body, when Intercom has one. */
function partIdAmong(
  parts: readonly ConversationPart[],
  createdAt: number,
  partType: string,
  body: string,
): string | undefined {
  const want = normalizeBody(body);
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p.part_type === partType && p.created_at === createdAt && normalizeBody(p.body) === want) return String(p.id);
  }
  return undefined;
}

const partsOf = (conversation: Conversation | undefined) => conversation?.conversation_parts?.conversation_parts ?? [];

/** One reply or note to add: who, what, when. */
interface PartWrite {
  kind: 'contact' | 'admin' | 'note';
  adminId: string;
  text: string;
  createdAt: number;
  files: AttachmentFile[];
}

/**
 * Where parts are added: a conversation or an Intercom ticket. `existing` reads the parts Intercom
 * has when an earlier run (or a lost ledger) may already have added some; `send` adds one and
 * answers the new part's id.
 */
export interface PartThread {
  id: string;
  /** `conversation` or `ticket`, for the journal's descriptions. */
  noun: string;
  resource: 'conversation_part' | 'ticket_part';
  existing: (() => Promise<readonly ConversationPart[]>) | undefined;
  lookup: (createdAt: number, bodySha256: string) => LookupKey;
  clientLookup: (write: PartWrite, partType: string) => OutcomeLookup;
  send: (write: PartWrite, partType: string) => Promise<string>;
  actingAdminId: string;
}

/** Parts of a conversation: contact replies and admin replies or notes, each with up to 10 files. */
function conversationThread(
  ctx: RunContext,
  plan: Pick<PlannedConversation, 'contactId' | 'actingAdminId'>,
  conversationId: string,
  inIntercom: (() => Promise<Conversation>) | undefined,
): PartThread {
  return {
    id: conversationId,
    noun: 'conversation',
    resource: 'conversation_part',
    existing: inIntercom && (async () => partsOf(await inIntercom())),
    actingAdminId: plan.actingAdminId,
    lookup: (createdAt, bodySha256) => ({ by: 'conversation_part', conversationId, createdAt, bodySha256 }),
    clientLookup: (write, partType) => ({
      kind: 'reply',
      conversation_id: conversationId,
      created_at: write.createdAt,
      body: write.text,
      part_type: partType,
      sent_at: unixSeconds(systemClock),
    }),
    send: async (write, partType) => {
      const files = write.files.length ? { attachment_files: write.files } : {};
      const answer =
        write.kind === 'contact'
          ? await ctx.client.conversations.replyAsContact(conversationId, {
              message_type: 'comment',
              type: 'user',
              intercom_user_id: plan.contactId,
              body: write.text,
              created_at: write.createdAt,
              ...files,
            })
          : await ctx.client.conversations.replyAsAdmin(conversationId, {
              message_type: partType as 'comment' | 'note',
              type: 'admin',
              admin_id: write.adminId,
              body: write.text,
              created_at: write.createdAt,
              skip_notifications: true,
              ...files,
            });
      return partIdAmong(partsOf(answer), write.createdAt, partType, write.text) ?? conversationId;
    },
  };
}

/**
 * Adds one part (reply or note) with up to 10 files; more files go into follow-up notes. A part
 * Intercom already has (same type, created_at and body, read through `thread.existing`) is taken,
 * not sent again. `read`: the part's files, when the caller has read them already.
 */
async function writePart(
  ctx: RunContext,
  thread: PartThread,
  part: PlannedPart,
  read?: Awaited<ReturnType<typeof filesOf>>,
): Promise<string> {
  const { files, notes, attached } = read ?? (await filesOf(ctx, part));
  const body = [part.body, ...notes.map(textToHtml)].filter((s) => s.trim() !== '').join('') || textToHtml('(no text)');
  const chunks: AttachmentFile[][] = [];
  for (let i = 0; i < Math.max(files.length, 1); i += MAX_FILES_PER_PART)
    chunks.push(files.slice(i, i + MAX_FILES_PER_PART));
  let firstId = thread.id;
  for (const [index, chunk] of chunks.entries()) {
    const text = index === 0 ? body : textToHtml(`Attachments (continued, ${index + 1} of ${chunks.length})`);
    const kind = index === 0 ? part.kind : 'note';
    const partType = kind === 'note' ? 'note' : 'comment';
    const write: PartWrite = {
      kind,
      adminId: part.adminId ?? thread.actingAdminId,
      text,
      createdAt: part.createdAt,
      files: chunk,
    };
    const description = `${kind} ${part.objectType}:${part.sourceId}${index ? ` files ${index + 1}` : ''} → ${thread.noun} ${thread.id}`;
    const already =
      thread.existing && !ctx.options.dryRun
        ? partIdAmong(await thread.existing(), part.createdAt, partType, text)
        : undefined;
    if (already !== undefined) {
      if (index === 0) firstId = already;
      continue;
    }
    const result = await journaledWrite(ctx, {
      op: kind === 'note' ? 'note' : 'reply',
      objectType: index === 0 ? part.objectType : 'attachments',
      sourceId: index === 0 ? part.sourceId : `${part.objectType}:${part.sourceId}:${index + 1}`,
      target: { resource: thread.resource, intercomId: thread.id, description },
      lookup: thread.lookup(part.createdAt, sha256(normalizeBody(text))),
      clientLookup: thread.clientLookup(write, partType),
      send: () => thread.send(write, partType),
      idOf: (id) => id,
    });
    if (index === 0) firstId = result.id;
  }
  for (const att of attached)
    journalRecord(ctx, 'attachments', attachmentSourceId(att), { state: 'migrated', intercomId: firstId });
  return firstId;
}

/** Files of the conversation whose latest state in the ledger is failed (a missing file, say): the run retries them. */
export function failedFiles(ctx: RunContext, attachments: readonly Attachment[]): Attachment[] {
  return attachments.filter(
    (a) => !a.deleted && ctx.ledger.recordState('attachments', attachmentSourceId(a))?.result.state === 'failed',
  );
}

/**
 * Sends again the files of parts written before whose files failed then (a missing file that is now
 * there). Intercom cannot add files to a part, so they ride on a note of their own (ten a note), dated
 * like the latest of those parts. The note's id names the files it carries, so it is written once
 * however often the run is repeated; files that still cannot be read stay failed and get no note, and
 * so do files the conversation has no room for under Intercom's part cap.
 */
export async function retryFailedFiles(
  ctx: RunContext,
  plan: Pick<PlannedConversation, 'label' | 'objectType' | 'sourceId' | 'actingAdminId'>,
  thread: PartThread,
  parts: readonly PlannedPart[],
  room: () => Promise<number>,
): Promise<void> {
  if (ctx.options.dryRun || parts.length === 0) return;
  const failed = parts.flatMap((p) => failedFiles(ctx, p.attachments));
  const read = await filesOf(ctx, { ...parts[0]!, attachments: failed });
  if (read.attached.length === 0) return;
  const fits = Math.min(read.attached.length, (await room()) * MAX_FILES_PER_PART);
  for (const att of read.attached.slice(fits)) {
    journalRecord(ctx, 'attachments', attachmentSourceId(att), {
      state: 'failed',
      error: {
        errorClass: 'conversation_full',
        message: `${plan.label}: no room left for a note carrying "${att.originalName ?? att.id}" (Intercom's ${MAX_CONVERSATION_PARTS}-part cap)`,
      },
    });
  }
  if (fits < read.attached.length)
    ctx.progress.warn(
      `${plan.label}: ${read.attached.length - fits} file(s) that failed earlier can be read now, but the conversation has no room left for them (Intercom's ${MAX_CONVERSATION_PARTS}-part cap); they stay failed`,
    );
  if (fits === 0) return;
  const attached = read.attached.slice(0, fits);
  const files = read.files.slice(0, fits);
  const ids = attached.map(attachmentSourceId).sort();
  const sourceId = `files-retry:${plan.objectType}:${plan.sourceId}:${sha256(ids.join(',')).slice(0, 16)}`;
  const written = ctx.ledger.intercomIdFor('attachments', sourceId);
  if (written) {
    for (const att of attached)
      journalRecord(ctx, 'attachments', attachmentSourceId(att), { state: 'migrated', intercomId: written });
    return;
  }
  const names = attached.map((a) => a.originalName?.trim() || a.fileNameOnDisk || `attachment ${a.id}`).join(', ');
  const carrier: PlannedPart = {
    objectType: 'attachments',
    sourceId,
    kind: 'note',
    adminId: plan.actingAdminId,
    body: textToHtml(`Files that could not be migrated earlier with this conversation: ${names}`),
    createdAt: Math.max(...parts.map((p) => p.createdAt)),
    attachments: attached,
  };
  await writePart(ctx, thread, carrier, { files, notes: [], attached });
}

/**
 * The files of a part that are still there. Files deleted in SmarterTrack are journaled as skipped
 * here, so every file keeps a record while no note announces files it does not carry.
 */
export function liveAttachments(ctx: RunContext, attachments: readonly Attachment[]): Attachment[] {
  const live: Attachment[] = [];
  for (const att of attachments) {
    if (!att.deleted) live.push(att);
    else
      journalRecord(ctx, 'attachments', attachmentSourceId(att), {
        state: 'skipped',
        reason: 'deleted in SmarterTrack',
      });
  }
  return live;
}

/** Attachments of the opening message: POST /conversations takes no files, so they follow in a note. */
function openerFilesPart(ctx: RunContext, plan: PlannedConversation): PlannedPart | undefined {
  const live = liveAttachments(ctx, plan.opener.attachments);
  if (live.length === 0) return undefined;
  return {
    objectType: 'attachments',
    sourceId: `opener:${plan.objectType}:${plan.sourceId}`,
    kind: 'note',
    adminId: plan.actingAdminId,
    body: textToHtml(`Attachments of the customer's first message`),
    createdAt: plan.opener.createdAt,
    attachments: live,
  };
}

/** What the steps of writing one conversation share. */
interface ConversationWrite {
  ctx: RunContext;
  plan: PlannedConversation;
  /** The record's fingerprint after this write. */
  print: string;
  /** The print of the run that migrated the conversation last, when one did. */
  before: ConversationPrint | undefined;
  /** The conversation in Intercom: known from the ledger, else set once created. */
  conversationId: string | undefined;
  /** One an earlier run created (or adopted from Intercom): what this call changes on it is journaled with a before-image. */
  earlier: boolean;
  /** A conversation this call did not create may already hold parts the ledger does not know of: read once, when needed. */
  inIntercom: (() => Promise<Conversation>) | undefined;
  /** Parts written before whose files failed then. */
  retries: PlannedPart[];
}

function idOf(w: ConversationWrite): string {
  if (w.conversationId === undefined) throw new Error(`${w.plan.label}: written before the conversation was created`);
  return w.conversationId;
}

const threadOf = (w: ConversationWrite) => conversationThread(w.ctx, w.plan, idOf(w), w.inIntercom);

/** The conversation as Intercom had it before this call changed it, on one an earlier run created. */
const currentOf = (w: ConversationWrite) => (w.earlier ? w.inIntercom : undefined);
const teamToAssign = ({ plan, before }: ConversationWrite) =>
  plan.teamId && plan.teamId !== before?.team ? plan.teamId : undefined;
const adminToAssign = ({ plan, before }: ConversationWrite) =>
  plan.adminAssigneeId && plan.adminAssigneeId !== before?.admin ? plan.adminAssigneeId : undefined;

/** Creates the conversation from its opening message, or takes the one the ledger knows (created before, or adopted). */
async function createOrAdopt(w: ConversationWrite): Promise<void> {
  const { ctx, plan } = w;
  const known = w.conversationId;
  if (known) {
    let read: Promise<Conversation> | undefined;
    w.inIntercom = () => (read ??= ctx.client.conversations.get(known));
    // Adopted from Intercom (ledger rebuilt): the opening message is that conversation's source.
    if (
      plan.opener.objectType !== plan.objectType &&
      !ctx.ledger.intercomIdFor(plan.opener.objectType, plan.opener.sourceId)
    ) {
      journalRecord(ctx, plan.opener.objectType, plan.opener.sourceId, { state: 'migrated', intercomId: known });
    }
    return;
  }
  const body = plan.opener.body || textToHtml('(no text)');
  const created = await journaledWrite(ctx, {
    op: 'create',
    objectType: plan.objectType,
    sourceId: plan.sourceId,
    target: { resource: 'conversation', description: `POST /conversations for ${plan.label}` },
    lookup: {
      by: 'conversation',
      contactId: plan.contactId,
      createdAt: plan.opener.createdAt,
      bodySha256: sha256(normalizeBody(body)),
    },
    clientLookup: {
      kind: 'conversation',
      contact_id: plan.contactId,
      created_at: plan.opener.createdAt,
      body,
      sent_at: unixSeconds(systemClock),
    },
    send: () =>
      ctx.client.conversations.create({
        from: { type: 'user', id: plan.contactId },
        body,
        created_at: plan.opener.createdAt,
      }),
    idOf: (c) => c.conversation_id,
  });
  w.conversationId = created.id;
  if (plan.opener.objectType !== plan.objectType) {
    journalRecord(ctx, plan.opener.objectType, plan.opener.sourceId, { state: 'migrated', intercomId: created.id });
  }
}

async function writeTitleAndAttributes(w: ConversationWrite): Promise<void> {
  await writeDetails(w.ctx, w.plan, idOf(w), w.before, currentOf(w));
}

/** The parts to write in order: the opener's files note first, then the rest, folded under Intercom's part cap. */
function plannedParts(ctx: RunContext, plan: PlannedConversation): PlannedPart[] {
  const openerFiles = openerFilesPart(ctx, plan);
  const attachmentNotes =
    Math.ceil(
      plan.parts.reduce((n, p) => n + Math.max(0, p.attachments.length - MAX_FILES_PER_PART), 0) / MAX_FILES_PER_PART,
    ) + (openerFiles ? 1 : 0);
  return capParts(openerFiles ? [openerFiles, ...plan.parts] : plan.parts, attachmentNotes, plan.actingAdminId);
}

/** Adds the parts Intercom does not have yet; each journals its own record. */
async function writeParts(w: ConversationWrite): Promise<void> {
  for (const part of plannedParts(w.ctx, w.plan)) await writePlannedPart(w, part);
}

async function writePlannedPart(w: ConversationWrite, part: PlannedPart): Promise<void> {
  await writeThreadPart(w.ctx, w.plan.label, threadOf(w), part, w.retries);
}

/**
 * One planned part of a conversation or ticket: taken from the ledger when an earlier run wrote it
 * (its failed files are queued on `retries`), else written and journaled as its record; a files
 * carrier journals its attachments one by one. A part that fails fails its thread.
 */
export async function writeThreadPart(
  ctx: RunContext,
  label: string,
  thread: PartThread,
  part: PlannedPart,
  retries: PlannedPart[],
): Promise<void> {
  if (part.objectType === 'attachments' && isAttachmentSourceId(part.sourceId)) {
    throw new Error(`${label}: the files note ${part.sourceId} has the id of an attachment record`);
  }
  const existing = ctx.ledger.intercomIdFor(part.objectType, part.sourceId);
  if (existing) {
    if (part.objectType !== 'attachments' && ctx.kind !== 'delta')
      journalRecord(ctx, part.objectType, part.sourceId, { state: 'migrated', intercomId: existing });
    if (failedFiles(ctx, part.attachments).length) retries.push(part);
    return;
  }
  if (part.objectType === 'attachments') {
    // A carrier of files only: its attachments are journaled one by one.
    await writePart(ctx, thread, part);
    return;
  }
  const outcome = await migrateRecord(ctx, part.objectType, part.sourceId, async () => ({
    state: 'migrated',
    intercomId: await writePart(ctx, thread, part),
  }));
  // The thread fails for its part's reason (a passing fault is asked again at the end of the run).
  if (outcome?.state === 'failed')
    throw new RecordError(
      `${label}: part ${part.objectType} ${part.sourceId} failed: ${outcome.error.message}`,
      outcome.error.errorClass,
      outcome.error.field,
    );
  for (const fold of part.folds ?? []) {
    journalRecord(ctx, fold.objectType, fold.sourceId, {
      state: 'migrated',
      intercomId: outcome?.state === 'migrated' ? outcome.intercomId : thread.id,
    });
  }
}

/**
 * Files of parts written before that failed then: retried on notes of their own, as far as the
 * part cap allows once room is kept for the assignment and state changes still to come.
 */
async function retryEarlierFiles(w: ConversationWrite): Promise<void> {
  const { ctx, plan, before } = w;
  const id = idOf(w);
  const stateParts =
    (teamToAssign(w) ? 1 : 0) + (adminToAssign(w) ? 1 : 0) + (plan.state !== (before?.state ?? 'open') ? 1 : 0);
  await retryFailedFiles(ctx, plan, threadOf(w), w.retries, async () => {
    const written = (await ctx.client.conversations.get(id)).conversation_parts;
    return Math.max(
      0,
      MAX_CONVERSATION_PARTS - (written?.total_count ?? written?.conversation_parts?.length ?? 0) - stateParts,
    );
  });
}

/** The tags the conversation lacks (a sample adds the run's tag); none when they did not change since the last run. */
async function writeTags(w: ConversationWrite): Promise<void> {
  const { ctx, plan, before } = w;
  const id = idOf(w);
  const current = currentOf(w);
  const tagNames =
    before?.tags === tagsPrint(plan) ? [] : ctx.kind === 'sample' ? [...plan.tags, ctx.map.options.runTag] : plan.tags;
  const present = current && tagNames.length ? tagIdsOf((await current()).tags?.tags) : undefined;
  for (const name of tagNames) {
    await applyTag(ctx, {
      objectType: plan.objectType,
      sourceId: plan.sourceId,
      object: 'conversation',
      objectId: id,
      name,
      present,
      description: `tag conversation ${id} "${name}"`,
      send: (tag) => ctx.client.tags.tagConversation(id, tag.id, plan.actingAdminId),
    });
  }
}

async function writeAssignment(w: ConversationWrite): Promise<void> {
  const team = teamToAssign(w);
  if (team) await assign(w.ctx, w.plan, idOf(w), 'team', team, currentOf(w));
  const admin = adminToAssign(w);
  if (admin) await assign(w.ctx, w.plan, idOf(w), 'admin', admin, currentOf(w));
}

async function writeState(w: ConversationWrite): Promise<void> {
  const { ctx, plan, before, print } = w;
  const id = idOf(w);
  const current = currentOf(w);
  // Without a print of an earlier run (a retry after a failure), Intercom says which state it is in now.
  const previousState =
    before?.state ?? (current ? ((await ctx.client.conversations.get(id)).state ?? 'open') : 'open');
  if (plan.state === 'closed' && previousState !== 'closed') await setState(ctx, plan, id, 'close', print);
  else if (plan.state === 'open' && (before !== undefined || current !== undefined) && previousState !== 'open')
    await setState(ctx, plan, id, 'open', print);
}

/** Writing a conversation, in order; each step writes only what Intercom does not have yet. */
const WRITE_STEPS: readonly ((w: ConversationWrite) => Promise<void>)[] = [
  createOrAdopt,
  writeTitleAndAttributes,
  writeParts,
  retryEarlierFiles,
  writeTags,
  writeAssignment,
  writeState,
];

/**
 * Writes a planned conversation: creates it (or finds the one an earlier run created), then title
 * and attributes, the parts Intercom does not have yet, files retried, tags, assignment and state
 * (WRITE_STEPS). Parts journal their own records; the conversation's record is returned for the
 * caller to journal.
 */
export async function writeConversation(ctx: RunContext, plan: PlannedConversation): Promise<RecordState | undefined> {
  const print = printOf(plan);
  const previous = ctx.ledger.recordState(plan.objectType, plan.sourceId)?.result;
  const before = previous?.state === 'migrated' ? parsePrint(previous.fingerprint) : undefined;
  const retryFiles =
    !ctx.options.dryRun && [plan.opener, ...plan.parts].some((p) => failedFiles(ctx, p.attachments).length > 0);
  if (previous?.state === 'migrated' && previous.fingerprint === print && !retryFiles) {
    return ctx.kind === 'delta'
      ? undefined
      : { state: 'migrated', intercomId: previous.intercomId, fingerprint: print, ...recordExtras(plan) };
  }
  const conversationId = ctx.ledger.intercomIdFor(plan.objectType, plan.sourceId);
  const earlier =
    conversationId !== undefined &&
    !ctx.options.dryRun &&
    ctx.ledger.mapping(plan.objectType, plan.sourceId)?.createdByRun !== ctx.runId;
  const w: ConversationWrite = {
    ctx,
    plan,
    print,
    before,
    conversationId,
    earlier,
    inIntercom: undefined,
    retries: [],
  };
  for (const step of WRITE_STEPS) await step(w);
  return { state: 'migrated', intercomId: idOf(w), fingerprint: print, ...recordExtras(plan) };
}

/**
 * Title, mapped attributes and the source key, right after the create: the key is what lets Intercom
 * tell, without the ledger, that this conversation is migrated (st2ic ledger rebuild --from-intercom).
 * On a conversation this run did not create (`current`), the written fields are journaled as they
 * were, and nothing is written when they already hold.
 */
async function writeDetails(
  ctx: RunContext,
  plan: PlannedConversation,
  id: string,
  before: ConversationPrint | undefined,
  current: (() => Promise<Conversation>) | undefined,
): Promise<void> {
  if (before?.details === detailsPrint(plan)) return;
  const mapped = Object.fromEntries(Object.entries(plan.attributes).filter(([, v]) => v !== null));
  const attributes = { ...mapped, [SOURCE_KEY_ATTRIBUTE]: conversationSourceKey(plan.objectType, plan.sourceId) };
  const update = {
    ...(plan.title !== null ? { title: plan.title } : {}),
    custom_attributes: attributes as Record<string, string | number>,
  };
  const now = current ? await current() : undefined;
  if (now && holds(now, update)) return;
  await journaledWrite(ctx, {
    op: 'update',
    objectType: plan.objectType,
    sourceId: plan.sourceId,
    target: {
      resource: 'conversation',
      intercomId: id,
      description: `PUT /conversations/${id} title and attributes ${fingerprint({ t: plan.title, a: mapped })}`,
    },
    lookup: { by: 'intercom_id', id },
    ...(now ? { beforeImage: fieldsBefore(now, update) } : {}),
    send: () => ctx.client.conversations.update(id, update),
    idOf: (c) => String(c.id ?? id),
  });
}

/** True when the conversation already has this title and these attribute values. */
function holds(
  conversation: Conversation,
  update: { title?: string; custom_attributes?: Record<string, unknown> },
): boolean {
  if (update.title !== undefined && conversation.title !== update.title) return false;
  const now = conversation.custom_attributes ?? {};
  return Object.entries(update.custom_attributes ?? {}).every(
    ([k, v]) => JSON.stringify(now[k] ?? null) === JSON.stringify(v),
  );
}

async function setState(
  ctx: RunContext,
  plan: PlannedConversation,
  id: string,
  action: 'close' | 'open',
  print: string,
): Promise<void> {
  await journaledWrite(ctx, {
    op: action,
    objectType: plan.objectType,
    sourceId: plan.sourceId,
    target: {
      resource: 'conversation',
      intercomId: id,
      actingAdminId: plan.actingAdminId,
      description: `${action} conversation ${id} as admin ${plan.actingAdminId} (${print})`,
    },
    lookup: { by: 'intercom_id', id },
    clientLookup: { kind: 'conversation_state', conversation_id: id, action },
    send: () =>
      action === 'close'
        ? ctx.client.conversations.close(id, plan.actingAdminId)
        : ctx.client.conversations.open(id, plan.actingAdminId),
    idOf: () => id,
  });
}

async function assign(
  ctx: RunContext,
  plan: PlannedConversation,
  id: string,
  type: 'team' | 'admin',
  assigneeId: string,
  current: (() => Promise<Conversation>) | undefined,
): Promise<void> {
  // On a conversation an earlier run created, the assignee it had is kept for rollback; one already assigned so is left.
  const now = current ? await current() : undefined;
  const previousId = now ? String((type === 'team' ? now.team_assignee_id : now.admin_assignee_id) ?? 0) : undefined;
  if (previousId === assigneeId) return;
  const before: AssignBefore | undefined = previousId !== undefined ? { assignee: type, previousId } : undefined;
  await journaledWrite(ctx, {
    ...(before ? { beforeImage: before } : {}),
    op: 'assign',
    objectType: plan.objectType,
    sourceId: plan.sourceId,
    target: {
      resource: 'conversation',
      intercomId: id,
      description: `assign conversation ${id} to ${type} ${assigneeId}`,
    },
    lookup: { by: 'intercom_id', id },
    clientLookup: {
      kind: 'conversation_state',
      conversation_id: id,
      action: 'assignment',
      assignee_id: assigneeId,
      assignee_type: type,
    },
    send: () => ctx.client.conversations.assign(id, plan.actingAdminId, { type, id: assigneeId }),
    idOf: () => id,
  });
}
