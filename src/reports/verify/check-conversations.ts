import type { Conversation } from '../../intercom';
import type { Attachment, CallLog, ChatMessage, LiveChat, TicketThread } from '../../model/source';
import { type Customer, isCustomer, type SourceItem } from './check-items';
import {
  assignmentDifferences,
  checkFiles,
  checkItems,
  type ConversationEnv,
  type Owner,
  seconds,
  ticketFiles,
  ticketItems,
} from './check-thread';
import { partsOf, type PartView } from './intercom-parts';
import { mappedFieldDifferences } from './mapped-fields';
import { customValuesOf, derivedOf } from './source-context';
import { wordGap, wordsOfHtml, wordsOfText } from './words';

/** The conversation's customer in Intercom is the source's. */
function customerDifference(env: ConversationEnv, conversation: Conversation, customer: Customer): string | null {
  const contacts = conversation.contacts?.contacts ?? [];
  if (customer.userId === null && !customer.email) return null;
  const source = partsOf(conversation)[0]!;
  const ok = contacts.some((c) =>
    isCustomer(
      env.ctx,
      customer,
      { authorEmail: c.id === source.authorId ? source.authorEmail : null },
      () => c.external_id ?? null,
      c.id,
    ),
  );
  return ok
    ? null
    : contacts.map((c) => `${c.id}${c.external_id ? ` (external_id ${c.external_id})` : ''}`).join(', ') ||
        '(no contact)';
}

function conversationFields(
  env: ConversationEnv,
  owner: Owner & { objectType: 'tickets' | 'liveChats' | 'callLogs' },
  conversation: Conversation,
  expect: { state?: string; agentId: number | null; departmentId: number | null },
): void {
  if (expect.state !== undefined && conversation.state !== expect.state)
    env.findings.differ({ ...owner, field: 'state', source: expect.state, intercom: conversation.state ?? '(none)' });
  assignmentDifferences(env, owner, conversation, expect);
}

const asRecord = (value: object): Record<string, unknown> => value as unknown as Record<string, unknown>;

/** Whether a note of the conversation holds every word of `value`, in order (where a cut value is kept whole). */
function inSomeNote(conversation: Conversation): (value: string) => boolean {
  return inSomeNoteOf(partsOf(conversation));
}

/** The same, over parts already read (a ticket's). */
export function inSomeNoteOf(parts: readonly PartView[]): (value: string) => boolean {
  const notes = parts.filter((p) => p.partType === 'note');
  return (value) => {
    const words = wordsOfText(value);
    return notes.some((n) => wordGap(words, n.words) === null);
  };
}

export async function checkTicket(
  env: ConversationEnv,
  intercomId: string,
  thread: TicketThread,
  conversation: Conversation,
): Promise<void> {
  const t = thread.ticket;
  const owner = { objectType: 'tickets' as const, sourceId: String(t.id), intercomId };
  env.findings.checked('tickets', owner.sourceId);
  const customer: Customer = { userId: t.customerUserId, email: t.customerEmail };
  const record = { ...asRecord(t), ...derivedOf(env.ctx, 'ticket', t.departmentId, t.groupId, t.brandId) };
  for (const d of mappedFieldDifferences(
    env.map,
    'tickets',
    record,
    customValuesOf(env.ctx, 'ticket', t.id),
    conversation as Record<string, unknown>,
    inSomeNote(conversation),
  ))
    env.findings.differ({ ...owner, ...d });
  const wrongCustomer = customerDifference(env, conversation, customer);
  if (wrongCustomer)
    env.findings.differ({
      ...owner,
      field: 'customer',
      source: `user ${t.customerUserId ?? '?'}${t.customerEmail ? ` <${t.customerEmail}>` : ''}`,
      intercom: wrongCustomer,
    });
  const state =
    (t.statusName !== null ? env.map.valueMaps.ticketStatus[t.statusName] : undefined) ??
    (t.statusIsOpen === null ? undefined : t.statusIsOpen ? 'open' : 'closed');
  conversationFields(env, owner, conversation, {
    state: state === 'snoozed' ? undefined : state,
    agentId: t.assignedAgentId,
    departmentId: t.departmentId,
  });

  const parts = partsOf(conversation);
  const contacts = conversation.contacts?.contacts ?? [];
  checkItems(env, { ...owner, container: 'conversation' }, ticketItems(thread, 'customer'), parts, contacts, customer);
  await checkFiles(env, ticketFiles(thread), parts);
}

export async function checkChat(
  env: ConversationEnv,
  intercomId: string,
  chat: LiveChat,
  lines: readonly ChatMessage[],
  files: readonly Attachment[],
  conversation: Conversation,
): Promise<void> {
  const owner = { objectType: 'liveChats' as const, sourceId: String(chat.id), intercomId };
  env.findings.checked('liveChats', owner.sourceId);
  const customer: Customer = { userId: chat.customerUserId, email: chat.customerEmail };
  const record = { ...asRecord(chat), ...derivedOf(env.ctx, 'live chat', chat.departmentId, chat.groupId) };
  for (const d of mappedFieldDifferences(
    env.map,
    'liveChats',
    record,
    customValuesOf(env.ctx, 'chat', chat.id),
    conversation as Record<string, unknown>,
    inSomeNote(conversation),
  ))
    env.findings.differ({ ...owner, ...d });
  const wrongCustomer = customerDifference(env, conversation, customer);
  if (wrongCustomer)
    env.findings.differ({
      ...owner,
      field: 'customer',
      source: `user ${chat.customerUserId ?? '?'}${chat.customerEmail ? ` <${chat.customerEmail}>` : ''}`,
      intercom: wrongCustomer,
    });
  conversationFields(env, owner, conversation, {
    ...(chat.endedAt !== null ? { state: 'closed' } : {}),
    agentId: chat.agentUserId,
    departmentId: chat.departmentId,
  });
  const items: SourceItem[] = lines.map((m) => ({
    objectType: 'chatMessages',
    sourceId: String(m.id),
    words: m.isHtml ? wordsOfHtml(m.text ?? '') : wordsOfText(m.text ?? ''),
    createdAt: seconds(m.date),
    author:
      m.agentOnly || m.senderType === 'system' || m.senderType === 'unknown'
        ? { kind: 'note', agentId: m.userId }
        : m.senderType === 'customer'
          ? { kind: 'customer' }
          : { kind: 'agent', agentId: m.userId ?? chat.agentUserId },
  }));
  const parts = partsOf(conversation);
  const contacts = conversation.contacts?.contacts ?? [];
  checkItems(env, { ...owner, container: 'conversation' }, items, parts, contacts, customer);
  await checkFiles(env, files, parts);
}

/** A call log as a conversation: its subject opens it, its notes follow; dated when the call started. */
export async function checkCallLog(
  env: ConversationEnv,
  intercomId: string,
  call: CallLog,
  files: readonly Attachment[],
  conversation: Conversation,
): Promise<void> {
  const owner = { objectType: 'callLogs' as const, sourceId: String(call.id), intercomId };
  env.findings.checked('callLogs', owner.sourceId);
  const differ = (field: string, source: string, intercom: string) =>
    env.findings.differ({ ...owner, field, source, intercom });
  const record = { ...asRecord(call), ...derivedOf(env.ctx, 'call log', call.departmentId, call.groupId) };
  for (const d of mappedFieldDifferences(
    env.map,
    'callLogs',
    record,
    customValuesOf(env.ctx, 'callLog', call.id),
    conversation as Record<string, unknown>,
    inSomeNote(conversation),
  ))
    differ(d.field, d.source, d.intercom);
  const at = seconds(call.startedAt ?? call.createdAt);
  if (at !== null && conversation.created_at !== at)
    differ('created_at', new Date(at * 1000).toISOString(), new Date(conversation.created_at * 1000).toISOString());
  if (conversation.state !== 'closed') differ('state', 'closed', conversation.state ?? '(none)');
  const all = partsOf(conversation).flatMap((p) => p.words);
  const texts: [string, string | null][] = [
    ['subject', call.subject],
    ['customer name', call.customerName],
    ['customer phone', call.customerPhone],
  ];
  for (const f of env.map.objects.callLogs.fields)
    if (f.target.kind === 'note' && f.source === 'description') texts.push(['description', call.description]);
  for (const [field, value] of texts) {
    const gap = value ? wordGap(wordsOfText(value), all) : null;
    if (gap)
      differ(field, `${gap.missing} of ${gap.total} word(s) missing, first: ${gap.firstMissing}`, gap.intercomContext);
  }
  await checkFiles(env, files, partsOf(conversation));
}
