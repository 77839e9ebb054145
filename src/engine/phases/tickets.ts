import { applyObjectMapping, cutValues, hasErrors } from '../../mapping/apply';
import { messageBodyHtml, textToHtml, withHeading } from '../../mapping/body-html';
import { toUnixSeconds } from '../../mapping/transforms';
import { unixSeconds } from '../../model/clock';
import type { OpenerKind, RecordState } from '../../model/journal';
import { destinationOf, type TicketDestination } from '../../model/mapping';
import type { ObjectType } from '../../model/object-types';
import { type Attachment, attachmentSourceId, type ThreadItem, type TicketThread } from '../../model/source';
import { forEachRecord } from '../concurrent';
import type { RunContext } from '../context';
import type { CustomValueIndex } from '../custom-values';
import { RecordError } from '../errors';
import type { SourceLookups } from '../lookups';
import { ticketInput } from '../mapping-inputs';
import { failWithParent, journalRecord, migrateRecord } from '../record-outcome';
import { teamIdFor } from '../workspace';
import { contactForConversation } from './conversation-contact';
import { liveAttachments, type PlannedConversation, type PlannedPart, writeConversation } from './conversation-writer';
import { planIntercomTicket } from './intercom-tickets';
import type { PeopleScope } from './people';
import { writeTicket } from './ticket-writer';

export interface ConversationScope {
  ticketIds?: ReadonlySet<number>;
  chatIds?: ReadonlySet<number>;
  callLogIds?: ReadonlySet<number>;
}

/** Shared by tickets, chats and calls: everything a plan needs besides the record. */
export interface PlanInputs {
  ctx: RunContext;
  people: PeopleScope;
  lookups: SourceLookups;
  values: CustomValueIndex;
}

/** Intercom takes Unix seconds ≥ 0: a date before 1970 (bad data) takes the fallback instead. */
export function seconds(iso: string | null, fallback: number): number {
  const value = iso ? toUnixSeconds(iso) : null;
  return value === null || value < 0 ? Math.max(0, fallback) : value;
}

const DAY = 86_400;

/** `seconds`, naming the record and column when its date is before 1970 or in the future. */
function checkedSeconds(ctx: RunContext, iso: string | null, fallback: number, what: string): number {
  const value = iso ? toUnixSeconds(iso) : null;
  if (value !== null && value < 0)
    ctx.progress.warn(
      `${what}: ${iso} is before 1970; ${fallback > 0 ? new Date(fallback * 1000).toISOString() : '1970-01-01'} is used instead`,
    );
  else if (value !== null && value > unixSeconds(ctx.clock) + DAY)
    ctx.progress.warn(`${what}: ${iso} is in the future; kept as it is`);
  return seconds(iso, fallback);
}

/** The Intercom admin for a source agent: matched by email, else the fallback admin (and who it was). */
export function adminFor(ctx: RunContext, agentId: number | null): { adminId: string; byline: string | null } {
  const match = agentId === null ? undefined : ctx.workspace.admins.get(agentId);
  if (match?.matched) return { adminId: match.adminId, byline: null };
  const who = match
    ? (match.agentName ?? match.agentEmail ?? `agent ${agentId}`)
    : agentId === null
      ? null
      : `user ${agentId}`;
  return { adminId: ctx.workspace.fallbackAdminId, byline: who };
}

function partOf(ctx: RunContext, item: ThreadItem, fallbackTime: number): PlannedPart | null {
  if (item.kind === 'message') {
    const at = checkedSeconds(ctx, item.date, fallbackTime, `ticket message ${item.id} (DateReceivedUTC)`);
    const body = messageBodyHtml(item.bodyHtml, item.bodyText);
    if (item.direction === 'outbound') {
      const { adminId, byline } = adminFor(ctx, item.fromUserId);
      return {
        objectType: 'ticketMessages',
        sourceId: String(item.id),
        kind: 'admin',
        adminId,
        body: byline ? withHeading(`[Sent by ${byline} in SmarterTrack]`, body) : body,
        createdAt: at,
        attachments: item.attachments,
      };
    }
    return {
      objectType: 'ticketMessages',
      sourceId: String(item.id),
      kind: 'contact',
      body,
      createdAt: at,
      attachments: item.attachments,
    };
  }
  const { adminId, byline } = adminFor(ctx, item.authorUserId);
  const heading = [item.typeName ? `${item.typeName} comment` : 'Comment', byline ? `by ${byline}` : null]
    .filter(Boolean)
    .join(' ');
  return {
    objectType: 'ticketComments',
    sourceId: String(item.id),
    kind: 'note',
    adminId,
    body: withHeading(`[${heading}]`, textToHtml(item.text)),
    createdAt: checkedSeconds(ctx, item.date, fallbackTime, `ticket comment ${item.id} (DateEnteredUTC)`),
    attachments: [],
  };
}

/**
 * The thread's messages and comments in source order, as parts with their original times. Drafts
 * (never sent) are journaled as skipped; files linked to no message ride on a closing note.
 */
function threadParts(ctx: RunContext, thread: TicketThread, opened: number): PlannedPart[] {
  const t = thread.ticket;
  for (const item of thread.items) {
    if (item.kind === 'message' && item.draft)
      journalRecord(ctx, 'ticketMessages', String(item.id), {
        state: 'skipped',
        reason: 'draft: never sent in SmarterTrack',
      });
  }
  const parts = thread.items
    .filter((i) => !(i.kind === 'message' && i.draft))
    .map((i) => partOf(ctx, i, opened))
    .filter((p): p is PlannedPart => p !== null);
  const loose = liveAttachments(ctx, thread.looseAttachments);
  if (loose.length)
    parts.push({
      objectType: 'attachments',
      sourceId: `loose:${t.id}`,
      kind: 'note',
      adminId: ctx.workspace.fallbackAdminId,
      body: textToHtml('Attachments of this ticket not linked to a message'),
      createdAt: parts.at(-1)?.createdAt ?? opened,
      attachments: loose,
    });
  return parts;
}

/** What both destinations start from: the customer's contact, the ticket through the map, its opening time and parts. */
export async function mapTicket(inputs: PlanInputs, thread: TicketThread) {
  const { ctx } = inputs;
  const t = thread.ticket;
  const label = `ticket ${t.number ?? t.id}`;
  const contactId = await contactForConversation(
    ctx,
    inputs.people,
    { userId: t.customerUserId, email: t.customerEmail, name: null, anonymousKey: `ticket:${t.id}` },
    label,
  );
  const input = ticketInput(t, inputs.lookups, inputs.values);
  const mapped = applyObjectMapping('tickets', ctx.map.objects.tickets, input.record, input.customValues);
  if (hasErrors(mapped)) {
    const issue = mapped.issues.find((i) => i.severity === 'error')!;
    throw new RecordError(`${label}: ${issue.source} → ${issue.target}: ${issue.message}`, 'validation', issue.source);
  }
  for (const w of mapped.issues) ctx.progress.warn(`${label}: ${w.source}: ${w.message}`);
  const opened = checkedSeconds(ctx, t.openedAt, 0, `${label} (DateOpenedUTC)`);
  const parts = threadParts(ctx, thread, opened);
  const fieldNotes: PlannedPart[] = mapped.notes.map((note) => ({
    objectType: 'attachments',
    sourceId: `field:${t.id}:${note.label}`,
    kind: 'note',
    adminId: ctx.workspace.fallbackAdminId,
    body: textToHtml(`${note.label}:\n${note.text}`),
    createdAt: 0,
    attachments: [],
  }));
  const teamKey = mapped.teamKeys[0];
  const assigned = t.assignedAgentId === null ? undefined : ctx.workspace.admins.get(t.assignedAgentId);
  return {
    label,
    contactId,
    input,
    mapped,
    opened,
    parts,
    fieldNotes,
    teamId: teamKey ? (teamIdFor(ctx.workspace, ctx.map, teamKey) ?? null) : null,
    adminAssigneeId: assigned?.matched ? assigned.adminId : null,
    actingAdminId: assigned?.matched ? assigned.adminId : ctx.workspace.fallbackAdminId,
  };
}

/** A ticket thread as an Intercom conversation: the first customer message opens it. */
async function planTicket(inputs: PlanInputs, thread: TicketThread): Promise<PlannedConversation> {
  const { ctx } = inputs;
  const t = thread.ticket;
  const { label, contactId, mapped, opened, parts, fieldNotes, teamId, adminAssigneeId, actingAdminId } =
    await mapTicket(inputs, thread);
  const first = parts[0];
  const openerKind =
    first?.kind === 'contact'
      ? undefined
      : first?.kind === 'admin' && first.objectType === 'ticketMessages'
        ? ('agent-opened' as const)
        : ('placeholder' as const);
  const opener: PlannedPart =
    openerKind === undefined
      ? parts.shift()!
      : {
          objectType: 'tickets',
          sourceId: String(t.id),
          kind: 'contact',
          body: placeholderOpener(label, openerKind, first !== undefined, t.subject),
          createdAt: opened || first?.createdAt || 0,
          attachments: [],
        };
  for (const note of fieldNotes) parts.push({ ...note, createdAt: parts.at(-1)?.createdAt ?? opener.createdAt });
  const state = ctx.map.valueMaps.ticketStatus[t.statusName ?? ''] ?? (t.statusIsOpen === false ? 'closed' : 'open');
  return {
    objectType: 'tickets',
    sourceId: String(t.id),
    label,
    contactId,
    opener,
    parts,
    title: typeof mapped.standard.title === 'string' ? mapped.standard.title : null,
    attributes: mapped.attributes,
    tags: mapped.tags,
    teamId,
    adminAssigneeId,
    state: state === 'snoozed' ? 'open' : state,
    actingAdminId,
    extras: { cut: cutValues(mapped), ...(openerKind ? { opener: openerKind } : {}) },
  };
}

/**
 * The opening of a conversation whose ticket has no customer message first. Intercom's API creates
 * a conversation only from a contact (POST /conversations); its one admin-initiated create, POST
 * /messages, delivers an in-app message or an email to the customer and has no skip_notifications
 * (shared reference NOTES §3.6, SPEC 2.16 L16479): importing history through it would message real
 * customers. So an agent-opened ticket (and one without messages) opens with this placeholder,
 * which says in our words that it is one, and the agent's first message follows as an admin reply
 * with its original time. The record is journaled with `opener`, so the reconciliation counts both.
 */
function placeholderOpener(label: string, kind: OpenerKind, hasItems: boolean, subject: string | null): string {
  const why =
    kind === 'agent-opened'
      ? `${label} was opened by an agent in SmarterTrack; the agent's first message follows`
      : hasItems
        ? `${label} has no customer message in SmarterTrack; its first item follows`
        : `${label} has no messages in SmarterTrack`;
  return textToHtml(
    `[Placeholder added by the migration, not a customer message: ${why}.]${subject?.trim() ? `\nSubject: ${subject.trim()}` : ''}`,
  );
}

export async function migrateTickets(inputs: PlanInputs, scope: ConversationScope): Promise<void> {
  const { ctx } = inputs;
  const map = ctx.map;
  const ticketIds = new Set<number>();
  await forEachRecord(
    ctx,
    ctx.reader.ticketThreads(),
    async (thread) => {
      const t = thread.ticket;
      ticketIds.add(t.id);
      if (scope.ticketIds && !scope.ticketIds.has(t.id)) return;
      const ended = await migrateRecord(ctx, 'tickets', String(t.id), async (): Promise<RecordState | undefined> => {
        if (!map.objects.tickets.enabled) return { state: 'skipped', reason: 'tickets are disabled in the map' };
        if (t.deleted && !map.options.includeDeletedTickets)
          return skipThread(ctx, thread, 'deleted in SmarterTrack (options.includeDeletedTickets is off)');
        if (t.spam && !map.options.includeSpamTickets)
          return skipThread(ctx, thread, 'marked as spam in SmarterTrack (options.includeSpamTickets is off)');
        if (
          !thread.items.some((i) => !(i.kind === 'message' && i.draft)) &&
          thread.looseAttachments.length === 0 &&
          !t.subject
        ) {
          return { state: 'skipped', reason: 'no messages, comments or subject' };
        }
        const destination = destinationOf(map, t.departmentId);
        assertSameDestination(ctx, t.id, destination);
        return destination === 'conversation'
          ? writeConversation(ctx, await planTicket(inputs, thread))
          : writeTicket(ctx, await planIntercomTicket(inputs, thread, destination.ticketType));
      });
      failWithParent(ctx, threadRecords(thread), 'its ticket', ended);
    },
    { overlap: true },
  );
  if (!scope.ticketIds) await skipOrphans(ctx, ticketIds);
}

/**
 * A ticket migrated as a conversation stays one, and one migrated as an Intercom ticket stays a ticket:
 * writing it as the other would put its history in Intercom twice. A map that changed its
 * department's destination since is refused for that ticket, which fails naming both.
 */
function assertSameDestination(ctx: RunContext, ticketId: number, destination: TicketDestination): void {
  const previous = ctx.ledger.recordState('tickets', String(ticketId))?.result;
  if (previous?.state !== 'migrated') return;
  const wasTicket = previous.intercomObject === 'ticket';
  if (wasTicket === (destination !== 'conversation')) return;
  const was = wasTicket ? `Intercom ticket ${previous.intercomId}` : `conversation ${previous.intercomId}`;
  const now =
    destination === 'conversation' ? 'a conversation' : `an Intercom ticket of type "${destination.ticketType}"`;
  throw new RecordError(
    `ticket ${ticketId} was migrated as ${was}; the map now sends its department to ${now}. Roll back the run that migrated it, or map the department back (ticketDestinations)`,
    'validation',
    'departmentId',
  );
}

/**
 * Messages, comments and files whose ticket does not exist (deleted from the database by hand, or
 * a broken import) belong to no thread: they are skipped by name, so every source record is accounted for.
 */
async function skipOrphans(ctx: RunContext, ticketIds: ReadonlySet<number>): Promise<void> {
  const skip = (
    objectType: 'ticketMessages' | 'ticketComments' | 'attachments',
    sourceId: string,
    ticketId: number,
  ) => {
    if (ctx.kind === 'delta' && ctx.ledger.recordState(objectType, sourceId)) return;
    const reason = `its ticket ${ticketId} does not exist in SmarterTrack (TicketID)`;
    journalRecord(ctx, objectType, sourceId, { state: 'skipped', reason });
  };
  for await (const m of ctx.reader.ticketMessages())
    if (!ticketIds.has(m.ticketId)) skip('ticketMessages', String(m.id), m.ticketId);
  for await (const c of ctx.reader.ticketComments())
    if (!ticketIds.has(c.ticketId)) skip('ticketComments', String(c.id), c.ticketId);
  for await (const a of ctx.reader.attachments())
    if (a.owner.kind === 'ticket' && !ticketIds.has(a.owner.id)) skip('attachments', attachmentSourceId(a), a.owner.id);
}

/** The records a ticket's thread carries: its messages, comments and files. */
function threadRecords(thread: TicketThread): { objectType: ObjectType; sourceId: string }[] {
  const files = (list: readonly Attachment[]) =>
    list.map((a) => ({ objectType: 'attachments' as const, sourceId: attachmentSourceId(a) }));
  return [
    ...thread.items.flatMap((item) => [
      {
        objectType: item.kind === 'message' ? ('ticketMessages' as const) : ('ticketComments' as const),
        sourceId: String(item.id),
      },
      ...(item.kind === 'message' ? files(item.attachments) : []),
    ]),
    ...files(thread.looseAttachments),
  ];
}

/** A skipped ticket's messages and comments are skipped with it, so every record is accounted for. */
function skipThread(ctx: RunContext, thread: TicketThread, reason: string): RecordState | undefined {
  if (ctx.kind === 'delta' && ctx.ledger.recordState('tickets', String(thread.ticket.id))?.result.state === 'skipped')
    return undefined;
  const because = `its ticket was skipped: ${reason}`;
  for (const item of thread.items) {
    journalRecord(ctx, item.kind === 'message' ? 'ticketMessages' : 'ticketComments', String(item.id), {
      state: 'skipped',
      reason: because,
    });
    if (item.kind === 'message')
      for (const a of item.attachments)
        journalRecord(ctx, 'attachments', attachmentSourceId(a), { state: 'skipped', reason: because });
  }
  for (const a of thread.looseAttachments)
    journalRecord(ctx, 'attachments', attachmentSourceId(a), { state: 'skipped', reason: because });
  return { state: 'skipped', reason };
}
