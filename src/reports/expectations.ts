import { applyObjectMapping } from '../mapping/apply';
import { normalizeBody, type Company, type Contact, type Conversation } from '../intercom';
import { FOLDED_TRANSCRIPT_MARKER } from '../model/intercom-limits';
import type { MappedObject, MappingFile } from '../model/mapping';
import type { Attachment, ChatMessage, EndUser, LiveChat, Organization, TicketThread } from '../model/source';

/**
 * What Intercom should hold for a migrated record, computed from the source and the mapping file,
 * and compared with what the client reads back. Deliberately simple; each rule below is what the
 * engine is specified to write, and anything the rules cannot predict is left unchecked rather
 * than guessed:
 *
 * - companies: `company_id` = the organization id; `name` = the mapped name, else the source name,
 *   else "Organization <id>".
 * - contacts: `external_id` = the user id; `email` (case-insensitive) and `name` = the mapped values
 *   (absent when empty). For contacts that existed before the migration only `external_id`.
 * - tickets: `title` = the mapped title when not empty; `state` = valueMaps.ticketStatus of the status
 *   name, else open/closed from the status; admin assignee = the admin the ledger matched the agent
 *   to; team assignee = the team the ledger matched the department to (neither checked when the
 *   ledger has no match: a fallback stands in). Every non-draft message and every comment is a part
 *   (the opener may be the conversation's first message) with its original created_at, in source
 *   order; comments are notes, messages are not. Each message after the first carries its
 *   attachments (not deleted, not recorded failed/skipped; at most 10 per part).
 * - live chats: customer and agent lines as parts (agent-only lines as notes), in order, with their
 *   created_at; a chat that ended is closed; admin and team as for tickets. System lines unchecked.
 * Items without a date are not checked.
 */

export interface Check {
  field: string;
  expected: string;
  actual: string;
}

/** How the ledger matched agents, departments and attachments (current state across runs). */
export interface LedgerLookups {
  adminFor(agentId: number): string | undefined;
  teamFor(departmentId: number): string | undefined;
  /** False when the ledger recorded the attachment skipped or failed. */
  attachmentMoved(attachment: Pick<Attachment, 'id' | 'owner'>): boolean;
}

const MAX_FILES_PER_PART = 10;

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

function compare(out: Check[], field: string, expected: unknown, actual: unknown, normalize: (s: string) => string = (s) => s): void {
  const e = text(expected);
  const a = text(actual);
  if (normalize(e) !== normalize(a)) out.push({ field, expected: e === '' ? '(empty)' : e, actual: a === '' ? '(empty)' : a });
}

function mapped(map: MappingFile, object: MappedObject, record: object, customValues?: ReadonlyMap<number, string | null>) {
  return applyObjectMapping(object, map.objects[object], record as Record<string, unknown>, customValues);
}

function mapsStandard(map: MappingFile, object: MappedObject, field: string): boolean {
  return map.objects[object].fields.some((f) => f.target.kind === 'standard' && f.target.field === field);
}

export function companyMismatches(map: MappingFile, org: Organization, company: Company): Check[] {
  const out: Check[] = [];
  const m = mapped(map, 'companies', org);
  compare(out, 'company_id', String(org.id), company.company_id);
  compare(out, 'name', m.standard.name ?? org.name ?? `Organization ${org.id}`, company.name);
  return out;
}

export function contactMismatches(
  map: MappingFile, user: EndUser, contact: Contact, existedBefore: boolean, customValues?: ReadonlyMap<number, string | null>,
): Check[] {
  const out: Check[] = [];
  compare(out, 'external_id', String(user.id), contact.external_id);
  if (existedBefore) return out;
  const m = mapped(map, 'contacts', user, customValues);
  if (mapsStandard(map, 'contacts', 'email')) compare(out, 'email', m.standard.email, contact.email, (s) => s.trim().toLowerCase());
  if (mapsStandard(map, 'contacts', 'name')) compare(out, 'name', m.standard.name, contact.name);
  return out;
}

/** One source item expected in the conversation's timeline. */
export interface ExpectedPart {
  /** `ticketMessages:17`, `ticketComments:4`, `chatMessages:9`. */
  ref: string;
  createdAt: number;
  kind: 'message' | 'note';
  /** Files on the part; null = not checked. */
  attachments: number | null;
}

interface ActualPart {
  createdAt: number;
  kind: 'message' | 'note';
  attachments: number;
  /** The conversation's first message (its source), not a part. */
  isSource: boolean;
  /** The note holding the tail of a conversation past Intercom's part cap. */
  folded: boolean;
}

export const unixSeconds = (iso: string | null): number | null => (iso === null ? null : Math.floor(Date.parse(iso) / 1000));
const isoOf = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function actualTimeline(conversation: Conversation): ActualPart[] {
  const parts: ActualPart[] = [{ createdAt: conversation.created_at, kind: 'message', attachments: conversation.source?.attachments?.length ?? 0, isSource: true, folded: false }];
  for (const p of conversation.conversation_parts?.conversation_parts ?? []) {
    if (p.part_type !== 'comment' && p.part_type !== 'note') continue; // assignment, close, open…
    const folded = p.part_type === 'note' && normalizeBody(p.body).startsWith(FOLDED_TRANSCRIPT_MARKER);
    parts.push({ createdAt: p.created_at, kind: p.part_type === 'note' ? 'note' : 'message', attachments: p.attachments?.length ?? 0, isSource: false, folded });
  }
  return parts;
}

/**
 * Each expected item must match an actual part of the same kind and created_at, in order (extra
 * parts, e.g. attachment carriers or folded transcripts, are allowed in between).
 */
export function timelineMismatches(expected: readonly ExpectedPart[], conversation: Conversation): Check[] {
  const out: Check[] = [];
  const actual = actualTimeline(conversation);
  const used = new Set<number>();
  let cursor = 1;
  const matches = (e: ExpectedPart, a: ActualPart | undefined, i: number) => a !== undefined && !used.has(i) && a.createdAt === e.createdAt && a.kind === e.kind;
  // The opening message may be any message of the thread (the engine opens with the first customer
  // message, even after an agent's): it matches wherever it sits; the parts keep their order.
  const opener = expected.find((e) => matches(e, actual[0], 0));
  if (opener) used.add(0);
  for (const e of expected) {
    if (e === opener) continue;
    let found = -1;
    for (let i = cursor; i < actual.length; i++) if (matches(e, actual[i], i)) { found = i; break; }
    const what = `${e.kind === 'note' ? 'note' : 'message'} at ${isoOf(e.createdAt)}`;
    // Past the part cap the engine folds the rest into one transcript note, dated at its first item.
    const fold = actual.findIndex((a) => a.folded);
    if (found < 0 && fold >= 0 && e.createdAt >= actual[fold]!.createdAt) continue;
    if (found < 0) {
      const elsewhere = actual.findIndex((a, i) => matches(e, a, i));
      if (elsewhere >= 0) used.add(elsewhere);
      out.push({ field: `part ${e.ref}`, expected: `${what}, in source order`, actual: elsewhere >= 0 ? `out of order (position ${elsewhere + 1} of ${actual.length})` : 'missing' });
      continue;
    }
    used.add(found);
    cursor = found + 1;
    const part = actual[found]!;
    if (e.attachments !== null && !part.isSource && part.attachments !== e.attachments) {
      out.push({ field: `part ${e.ref} attachments`, expected: String(e.attachments), actual: String(part.attachments) });
    }
  }
  return out;
}

function assigneeMismatches(out: Check[], conversation: Conversation, lookups: LedgerLookups, agentId: number | null, departmentId: number | null): void {
  const admin = agentId !== null ? lookups.adminFor(agentId) : undefined;
  if (admin !== undefined) compare(out, 'admin_assignee_id', admin, conversation.admin_assignee_id);
  const team = departmentId !== null ? lookups.teamFor(departmentId) : undefined;
  if (team !== undefined) compare(out, 'team_assignee_id', team, conversation.team_assignee_id);
}

export function expectedTicketParts(thread: TicketThread, lookups: LedgerLookups): ExpectedPart[] {
  const parts: ExpectedPart[] = [];
  for (const item of thread.items) {
    const createdAt = unixSeconds(item.date);
    if (createdAt === null) continue;
    if (item.kind === 'comment') {
      parts.push({ ref: `ticketComments:${item.id}`, createdAt, kind: 'note', attachments: null });
    } else if (!item.draft) {
      const files = item.attachments.filter((a) => !a.deleted && lookups.attachmentMoved(a)).length;
      // The first message opens the conversation; its files travel in a separate note.
      const first = !parts.some((p) => p.kind === 'message');
      parts.push({ ref: `ticketMessages:${item.id}`, createdAt, kind: 'message', attachments: first ? null : Math.min(files, MAX_FILES_PER_PART) });
    }
  }
  return parts;
}

export function ticketMismatches(map: MappingFile, thread: TicketThread, conversation: Conversation, lookups: LedgerLookups): Check[] {
  const out: Check[] = [];
  const t = thread.ticket;
  const m = mapped(map, 'tickets', t);
  if (typeof m.standard.title === 'string' && m.standard.title !== '') compare(out, 'title', m.standard.title, conversation.title);
  const state = (t.statusName !== null ? map.valueMaps.ticketStatus[t.statusName] : undefined) ?? (t.statusIsOpen === null ? undefined : t.statusIsOpen ? 'open' : 'closed');
  if (state !== undefined) compare(out, 'state', state, conversation.state);
  assigneeMismatches(out, conversation, lookups, t.assignedAgentId, t.departmentId);
  out.push(...timelineMismatches(expectedTicketParts(thread, lookups), conversation));
  return out;
}

export function expectedChatParts(lines: readonly ChatMessage[]): ExpectedPart[] {
  const parts: ExpectedPart[] = [];
  for (const line of lines) {
    const createdAt = unixSeconds(line.date);
    if (createdAt === null || (line.senderType !== 'customer' && line.senderType !== 'agent')) continue;
    parts.push({ ref: `chatMessages:${line.id}`, createdAt, kind: line.agentOnly ? 'note' : 'message', attachments: null });
  }
  return parts;
}

export function chatMismatches(map: MappingFile, chat: LiveChat, lines: readonly ChatMessage[], conversation: Conversation, lookups: LedgerLookups): Check[] {
  const out: Check[] = [];
  const m = mapped(map, 'liveChats', chat);
  if (typeof m.standard.title === 'string' && m.standard.title !== '') compare(out, 'title', m.standard.title, conversation.title);
  if (chat.endedAt !== null) compare(out, 'state', 'closed', conversation.state);
  assigneeMismatches(out, conversation, lookups, chat.agentUserId, chat.departmentId);
  out.push(...timelineMismatches(expectedChatParts(lines), conversation));
  return out;
}
