import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { MAX_FILES_PER_PART } from '../../src/engine/attachments';
import { MAX_CONVERSATION_PARTS } from '../../src/model/intercom-limits';
import { type IntentEntry, JournalEntry } from '../../src/model/journal';
import type { TicketThread } from '../../src/model/source';

/** The write intents of one run, and the Intercom id each applied one ended with. */
export async function readIntents(
  workspaceDir: string,
  runId: string,
): Promise<{ intents: IntentEntry[]; idOf: Map<number, string> }> {
  const text = await readFile(path.join(workspaceDir, 'migration', 'runs', runId, 'journal.jsonl'), 'utf8');
  const intents: IntentEntry[] = [];
  const idOf = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parsed = JournalEntry.safeParse(JSON.parse(line));
    if (!parsed.success) continue;
    const entry = parsed.data;
    if (entry.type === 'intent') intents.push(entry);
    if (entry.type === 'outcome' && entry.outcome.result === 'applied')
      idOf.set(entry.intentSeq, entry.outcome.intercomId);
  }
  return { intents, idOf };
}

/** Write calls per ticket: its own intents (create, update, tag, assign, close) and the parts written into its conversation. */
export function callsPerTicket(
  intents: IntentEntry[],
  idOf: Map<number, string>,
): Map<string, { calls: number; ops: Record<string, number> }> {
  // Keyed by resource too: a conversation's id and an Intercom ticket's are from different series.
  const conversationOf = new Map<string, string>();
  const partOf: Record<string, string> = { conversation: 'conversation_part', ticket: 'ticket_part' };
  for (const i of intents) {
    if (i.objectType === 'tickets' && i.op === 'create') {
      const id = idOf.get(i.seq);
      if (id) conversationOf.set(`${partOf[i.target.resource] ?? i.target.resource}:${id}`, i.sourceId);
    }
  }
  const out = new Map<string, { calls: number; ops: Record<string, number> }>();
  const add = (ticketId: string, op: string) => {
    const row = out.get(ticketId) ?? { calls: 0, ops: {} };
    row.calls++;
    row.ops[op] = (row.ops[op] ?? 0) + 1;
    out.set(ticketId, row);
  };
  for (const i of intents) {
    if (i.objectType === 'tickets') add(i.sourceId, i.op);
    else if (
      (i.target.resource === 'conversation_part' || i.target.resource === 'ticket_part') &&
      i.target.intercomId
    ) {
      const ticketId = conversationOf.get(`${i.target.resource}:${i.target.intercomId}`);
      if (ticketId) add(ticketId, i.op);
    }
  }
  return out;
}

export interface TicketNeeds {
  /** Written as an Intercom ticket: created without a message, attributes and assignee in the create, its state in one update. */
  intercomTicket?: boolean;
  /** Tickets whose conversation needs a team assignment (department mapped to a team). */
  teamNeeded: boolean;
  adminNeeded: boolean;
  /** Custom-field values too long for an attribute, carried in a note each. */
  fieldNotes: number;
  tags: number;
}

/**
 * The fewest calls a ticket's content needs in Intercom: one create (the first customer message, or
 * a stand-in opening), one reply or note per later message or comment, one note per further 10
 * files (and one for the opening message's files, which POST /conversations cannot carry), one
 * update for title and attributes, one per tag, and assignment and close where the ticket has them.
 */
export function minimumCalls(thread: TicketThread, needs: TicketNeeds): number {
  const items = thread.items.filter((i) => !(i.kind === 'message' && i.draft));
  const live = (n: { deleted: boolean }[]) => n.filter((a) => !a.deleted).length;
  if (needs.intercomTicket) return minimumTicketCalls(thread, items, needs, live);
  const first = items[0];
  const openerIsMessage = first?.kind === 'message' && first.direction !== 'outbound';
  let parts = openerIsMessage ? items.length - 1 : items.length;
  let notes = 0;
  for (const [index, item] of items.entries()) {
    if (item.kind !== 'message') continue;
    const files = live(item.attachments);
    if (index === 0 && openerIsMessage) notes += Math.ceil(files / MAX_FILES_PER_PART);
    else notes += Math.max(0, Math.ceil(files / MAX_FILES_PER_PART) - 1);
  }
  const loose = live(thread.looseAttachments);
  notes += Math.ceil(loose / MAX_FILES_PER_PART);
  // Past Intercom's part cap the rest of the transcript is one note: fewer calls are possible then.
  parts = Math.min(parts + notes + needs.fieldNotes, MAX_CONVERSATION_PARTS - 1);
  const closed = thread.ticket.statusIsOpen === false;
  return 1 + parts + 1 + needs.tags + (needs.teamNeeded ? 1 : 0) + (needs.adminNeeded ? 1 : 0) + (closed ? 1 : 0);
}

/**
 * The same for an Intercom ticket: one create (attributes and assignee in it), one reply or note per
 * message and comment (the first too), a note for a customer's files (contact replies take none) and
 * one per further 10 files, one per tag, and one state update.
 */
function minimumTicketCalls(
  thread: TicketThread,
  items: TicketThread['items'],
  needs: TicketNeeds,
  live: (n: { deleted: boolean }[]) => number,
): number {
  let notes = Math.ceil(live(thread.looseAttachments) / MAX_FILES_PER_PART);
  for (const item of items) {
    if (item.kind !== 'message') continue;
    const files = live(item.attachments);
    notes +=
      item.direction === 'outbound'
        ? Math.max(0, Math.ceil(files / MAX_FILES_PER_PART) - 1)
        : Math.ceil(files / MAX_FILES_PER_PART);
  }
  const parts = Math.min(items.length + notes + needs.fieldNotes, MAX_CONVERSATION_PARTS - 1);
  return 1 + parts + needs.tags + 1;
}
