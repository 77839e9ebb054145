import type { Ticket } from '../../intercom';
import { systemClock, unixSeconds } from '../../model/clock';
import { MAX_CONVERSATION_PARTS } from '../../model/intercom-limits';
import type { CutValue, RecordState } from '../../model/journal';
import { SOURCE_KEY_ATTRIBUTE } from '../../model/source-keys';
import { MAX_FILES_PER_PART } from '../attachments';
import type { AssignBefore } from '../before-image';
import type { RunContext } from '../context';
import { fingerprint } from '../fingerprint';
import { journaledWrite } from '../write';
import {
  capParts,
  type ConversationPrint,
  failedFiles,
  parsePrint,
  type PartThread,
  type PlannedPart,
  retryFailedFiles,
  tagsPrint,
  writeThreadPart,
} from './conversation-writer';
import { applyTag } from './tags';

export type TicketAttributeValues = Record<string, string | number | boolean>;

/** A SmarterTrack ticket as the Intercom ticket it becomes: every message and comment a part, in source order. */
export interface PlannedTicket {
  sourceId: string;
  /** For messages: "ticket 123-ABC". */
  label: string;
  contactId: string;
  /** The customer's company, set when the ticket is created (2.16 does not show it back, and a later change is not written). */
  companyId?: string;
  ticketTypeId: string;
  createdAt: number;
  /** `_default_title_`, the type's mapped attributes and the source key. */
  attributes: TicketAttributeValues;
  parts: PlannedPart[];
  tags: string[];
  teamId: string | null;
  adminAssigneeId: string | null;
  /** The Intercom ticket state the source status maps to. */
  stateId: string;
  /** Admin that performs assignment, state changes and tagging. */
  actingAdminId: string;
  cut: CutValue[];
}

const detailsPrint = (plan: PlannedTicket) => fingerprint({ attributes: plan.attributes });

/** The same layout as a conversation's print (state|team|admin|content|details|tags), the state being the ticket state's id. */
function printOf(plan: PlannedTicket): string {
  const content = fingerprint({
    attributes: plan.attributes,
    tags: plan.tags,
    parts: plan.parts.map((p) => `${p.objectType}:${p.sourceId}`),
  });
  return `${stateKey(plan.stateId)}|${plan.teamId ?? ''}|${plan.adminAssigneeId ?? ''}|${content}|${detailsPrint(plan)}|${tagsPrint(plan)}`;
}

const stateKey = (stateId: string) => `ticket-state-${stateId}`;

/** What the steps of writing one ticket share. */
interface TicketWrite {
  ctx: RunContext;
  plan: PlannedTicket;
  before: ConversationPrint | undefined;
  ticketId: string | undefined;
  /** Created by an earlier run (or adopted): what this call changes on it is journaled with a before-image. */
  earlier: boolean;
  /** The ticket as Intercom has it, read once when needed. */
  inIntercom: (() => Promise<Ticket>) | undefined;
  /** Created by this call: assigned in the create, and its state is the one the create answered. */
  created: Ticket | undefined;
  createdNow: boolean;
  retries: PlannedPart[];
}

function idOf(w: TicketWrite): string {
  if (w.ticketId === undefined) throw new Error(`${w.plan.label}: written before the ticket was created`);
  return w.ticketId;
}

/** Parts of an Intercom ticket: contact replies (no files: the planner moves them to a note) and admin replies or notes. */
function ticketThread(w: TicketWrite): PartThread {
  const { ctx, plan } = w;
  const ticketId = idOf(w);
  const read = w.inIntercom;
  return {
    id: ticketId,
    noun: 'ticket',
    resource: 'ticket_part',
    existing: read && (async () => (await read()).ticket_parts?.ticket_parts ?? []),
    actingAdminId: plan.actingAdminId,
    lookup: (createdAt, bodySha256) => ({ by: 'ticket_part', ticketId, createdAt, bodySha256 }),
    clientLookup: (write, partType) => ({
      kind: 'ticket_reply',
      ticket_id: ticketId,
      created_at: write.createdAt,
      body: write.text,
      part_type: partType,
      sent_at: unixSeconds(systemClock),
    }),
    send: async (write, partType) => {
      const part =
        write.kind === 'contact'
          ? await ctx.client.tickets.replyAsContact(ticketId, {
              message_type: 'comment',
              type: 'user',
              intercom_user_id: plan.contactId,
              body: write.text,
              created_at: write.createdAt,
              skip_notifications: true,
            })
          : await ctx.client.tickets.replyAsAdmin(ticketId, {
              message_type: partType as 'comment' | 'note',
              type: 'admin',
              admin_id: write.adminId,
              body: write.text,
              created_at: write.createdAt,
              skip_notifications: true,
              ...(write.files.length ? { attachment_files: write.files } : {}),
            });
      return String(part.id);
    },
  };
}

/**
 * Creates the ticket with its type, contact, original time, attributes (its source key among them, so
 * Intercom never holds a migrated ticket without it) and assignment; or takes the one the ledger knows.
 */
async function createOrAdopt(w: TicketWrite): Promise<void> {
  const { ctx, plan } = w;
  const known = w.ticketId;
  if (known) {
    let read: Promise<Ticket> | undefined;
    w.inIntercom = () => (read ??= ctx.client.tickets.get(known));
    return;
  }
  const assignment = {
    ...(plan.adminAssigneeId ? { admin_assignee_id: plan.adminAssigneeId } : {}),
    ...(plan.teamId ? { team_assignee_id: plan.teamId } : {}),
  };
  const title = plan.attributes._default_title_;
  const sourceKey = plan.attributes[SOURCE_KEY_ATTRIBUTE];
  const created = await journaledWrite(ctx, {
    op: 'create',
    objectType: 'tickets',
    sourceId: plan.sourceId,
    target: { resource: 'ticket', description: `POST /tickets for ${plan.label}` },
    lookup: {
      by: 'ticket',
      contactId: plan.contactId,
      createdAt: plan.createdAt,
      ticketTypeId: plan.ticketTypeId,
      ...(typeof sourceKey === 'string' ? { sourceKey } : {}),
    },
    clientLookup: {
      kind: 'ticket',
      contact: { id: plan.contactId },
      ticket_type_id: plan.ticketTypeId,
      created_at: plan.createdAt,
      ...(typeof title === 'string' ? { title } : {}),
      ...(typeof sourceKey === 'string' ? { attributes: { [SOURCE_KEY_ATTRIBUTE]: sourceKey } } : {}),
      sent_at: unixSeconds(systemClock),
    },
    send: () =>
      ctx.client.tickets.create({
        ticket_type_id: plan.ticketTypeId,
        contacts: [{ id: plan.contactId }],
        ...(plan.companyId ? { company_id: plan.companyId } : {}),
        created_at: plan.createdAt,
        ticket_attributes: plan.attributes,
        ...(Object.keys(assignment).length ? { assignment } : {}),
        skip_notifications: true,
      }),
    idOf: (t) => String(t.id),
  });
  w.ticketId = created.id;
  w.createdNow = true;
  w.created = created.value;
  // Found by lookup (the answer was lost): read what Intercom holds before changing its state. A dry run has nothing to read.
  if (!w.created && created.resolvedBy !== 'dry-run') {
    let read: Promise<Ticket> | undefined;
    w.inIntercom = () => (read ??= ctx.client.tickets.get(created.id));
  }
}

/** Attributes changed since the last run (a delta): written with the values they replace, for rollback. */
async function writeAttributes(w: TicketWrite): Promise<void> {
  const { ctx, plan, before } = w;
  if (w.createdNow || before?.details === detailsPrint(plan)) return;
  const id = idOf(w);
  const now = (await w.inIntercom?.())?.ticket_attributes ?? {};
  const changed = Object.entries(plan.attributes).filter(
    ([k, v]) => JSON.stringify(now[k] ?? null) !== JSON.stringify(v),
  );
  if (changed.length === 0) return;
  const update = Object.fromEntries(changed);
  await journaledWrite(ctx, {
    op: 'update',
    objectType: 'tickets',
    sourceId: plan.sourceId,
    target: {
      resource: 'ticket',
      intercomId: id,
      description: `PUT /tickets/${id} attributes ${fingerprint(update)}`,
    },
    lookup: { by: 'intercom_id', id },
    ...(w.earlier
      ? { beforeImage: { ticket_attributes: Object.fromEntries(changed.map(([k]) => [k, toJson(now[k])])) } }
      : {}),
    send: () => ctx.client.tickets.update(id, { ticket_attributes: update }),
    idOf: (t) => String(t.id),
  });
}

const toJson = (value: unknown): string | number | boolean | null =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;

/** The parts in source order, folded under Intercom's part cap (room kept for assignment and state). */
function plannedParts(plan: PlannedTicket): PlannedPart[] {
  const attachmentNotes = Math.ceil(
    plan.parts.reduce((n, p) => n + Math.max(0, p.attachments.length - MAX_FILES_PER_PART), 0) / MAX_FILES_PER_PART,
  );
  return capParts(plan.parts, attachmentNotes, plan.actingAdminId);
}

async function writeParts(w: TicketWrite): Promise<void> {
  const thread = ticketThread(w);
  for (const part of plannedParts(w.plan)) await writeThreadPart(w.ctx, w.plan.label, thread, part, w.retries);
}

/** Parts kept free for what follows the files: a state change and a team and an admin assignment. */
const LATER_CHANGES = 3;

async function retryEarlierFiles(w: TicketWrite): Promise<void> {
  const { ctx, plan } = w;
  const id = idOf(w);
  await retryFailedFiles(ctx, { ...plan, objectType: 'tickets' }, ticketThread(w), w.retries, async () => {
    const parts = (await ctx.client.tickets.get(id)).ticket_parts;
    return Math.max(
      0,
      MAX_CONVERSATION_PARTS - (parts?.total_count ?? parts?.ticket_parts?.length ?? 0) - LATER_CHANGES,
    );
  });
}

async function writeTags(w: TicketWrite): Promise<void> {
  const { ctx, plan, before } = w;
  const id = idOf(w);
  const tagNames =
    before?.tags === tagsPrint(plan) ? [] : ctx.kind === 'sample' ? [...plan.tags, ctx.map.options.runTag] : plan.tags;
  // 2.16's ticket shows no tags, so what an earlier ticket carries cannot be read: a tag is applied
  // (idempotent), and rollback is not told it was absent (it might have been put there by hand).
  const present = undefined;
  for (const name of tagNames) {
    await applyTag(ctx, {
      objectType: 'tickets',
      sourceId: plan.sourceId,
      object: 'ticket',
      objectId: id,
      name,
      present,
      beforeUnknown: w.earlier,
      description: `tag ticket ${id} "${name}"`,
      send: (tag) => ctx.client.tickets.tag(id, tag.id, plan.actingAdminId),
    });
  }
}

/** A delta's new assignee (the create assigned a new ticket): with the one it replaces, for rollback. */
async function writeAssignment(w: TicketWrite): Promise<void> {
  if (w.createdNow) return;
  const { plan, before } = w;
  if (plan.teamId && plan.teamId !== before?.team) await assign(w, 'team', plan.teamId);
  if (plan.adminAssigneeId && plan.adminAssigneeId !== before?.admin) await assign(w, 'admin', plan.adminAssigneeId);
}

async function assign(w: TicketWrite, type: 'team' | 'admin', assigneeId: string): Promise<void> {
  const { ctx, plan } = w;
  const id = idOf(w);
  const now = await w.inIntercom?.();
  const previousId = now ? String((type === 'team' ? now.team_assignee_id : now.admin_assignee_id) ?? 0) : undefined;
  if (previousId === assigneeId) return;
  const before: AssignBefore | undefined =
    w.earlier && previousId !== undefined ? { assignee: type, previousId } : undefined;
  await journaledWrite(ctx, {
    ...(before ? { beforeImage: before } : {}),
    op: 'assign',
    objectType: 'tickets',
    sourceId: plan.sourceId,
    target: { resource: 'ticket', intercomId: id, description: `assign ticket ${id} to ${type} ${assigneeId}` },
    lookup: { by: 'intercom_id', id },
    send: () => ctx.client.tickets.update(id, { assignee_id: assigneeId, admin_id: Number(plan.actingAdminId) }),
    idOf: () => id,
  });
}

/** The ticket state the source status maps to, unless the ticket is in it already. */
async function writeState(w: TicketWrite): Promise<void> {
  const { ctx, plan, before } = w;
  const id = idOf(w);
  if (before?.state === stateKey(plan.stateId)) return;
  const now = w.created ?? (await w.inIntercom?.());
  const previous = now?.ticket_state?.id !== undefined ? String(now.ticket_state.id) : undefined;
  if (previous === plan.stateId) return;
  await journaledWrite(ctx, {
    op: 'update',
    objectType: 'tickets',
    sourceId: plan.sourceId,
    target: { resource: 'ticket', intercomId: id, description: `PUT /tickets/${id} state ${plan.stateId}` },
    lookup: { by: 'intercom_id', id },
    ...(w.earlier && previous !== undefined ? { beforeImage: { ticket_state_id: previous } } : {}),
    send: () => ctx.client.tickets.update(id, { ticket_state_id: plan.stateId }),
    idOf: () => id,
  });
}

const WRITE_STEPS: readonly ((w: TicketWrite) => Promise<void>)[] = [
  createOrAdopt,
  writeAttributes,
  writeParts,
  retryEarlierFiles,
  writeTags,
  writeAssignment,
  writeState,
];

/**
 * Writes a planned Intercom ticket the way writeConversation writes a conversation: created once (or
 * the one an earlier run created), then what changed (attributes), the parts Intercom lacks, files
 * retried, tags, assignment and state. Parts journal their own records; the ticket's record is returned.
 */
export async function writeTicket(ctx: RunContext, plan: PlannedTicket): Promise<RecordState | undefined> {
  const print = printOf(plan);
  const previous = ctx.ledger.recordState('tickets', plan.sourceId)?.result;
  const before = previous?.state === 'migrated' ? parsePrint(previous.fingerprint) : undefined;
  const record = (intercomId: string): RecordState => ({
    state: 'migrated',
    intercomId,
    fingerprint: print,
    intercomObject: 'ticket',
    ...(plan.cut.length ? { cut: plan.cut } : {}),
  });
  const retryFiles = !ctx.options.dryRun && plan.parts.some((p) => failedFiles(ctx, p.attachments).length > 0);
  if (previous?.state === 'migrated' && previous.fingerprint === print && !retryFiles)
    return ctx.kind === 'delta' ? undefined : record(previous.intercomId);
  const ticketId = ctx.ledger.intercomIdFor('tickets', plan.sourceId);
  const w: TicketWrite = {
    ctx,
    plan,
    before,
    ticketId,
    earlier:
      ticketId !== undefined &&
      !ctx.options.dryRun &&
      ctx.ledger.mapping('tickets', plan.sourceId)?.createdByRun !== ctx.runId,
    inIntercom: undefined,
    created: undefined,
    createdNow: false,
    retries: [],
  };
  for (const step of WRITE_STEPS) await step(w);
  return record(idOf(w));
}
