import type { Conversation } from '../../intercom';
import type { MappingFile } from '../../model/mapping';
import type { ObjectType } from '../../model/object-types';
import {
  type Attachment,
  attachmentSourceId,
  type CallLog,
  type ChatMessage,
  type LiveChat,
  type TicketThread,
} from '../../model/source';
import { fileDifferences } from './check-files';
import { type Customer, isCustomer, itemDifferences, type SourceItem } from './check-items';
import { partsOf, type PartView } from './intercom-parts';
import { mappedFieldDifferences } from './mapped-fields';
import { adminOfAgent, customValuesOf, derivedOf, type SourceContext, teamOfDepartment } from './source-context';
import { secondsOf } from './source-values';
import type { FetchFile, Findings } from './types';
import { wordGap, wordsOfHtml, wordsOfText } from './words';

/** What the conversation checks need besides the records. */
export interface ConversationEnv {
  map: MappingFile;
  ctx: SourceContext;
  findings: Findings;
  /** The Intercom id the ledger recorded for a source record (current state), when it was migrated. */
  migratedId(objectType: ObjectType, sourceId: string): string | undefined;
  fetchFile?: FetchFile;
}

const seconds = (iso: string | null): number | null => (iso === null ? null : secondsOf(iso));

function textWords(html: string | null, text: string | null): string[] {
  return html && html.trim() !== '' ? wordsOfHtml(html) : wordsOfText(text ?? '');
}

/** Checks every source item against the message the ledger says it became, and that they keep the source's order. */
async function checkItems(
  env: ConversationEnv,
  owner: { objectType: ObjectType; sourceId: string; intercomId: string },
  items: SourceItem[],
  conversation: Conversation,
  customer: Customer,
): Promise<void> {
  const parts = partsOf(conversation);
  const byId = new Map(parts.map((p) => [p.id, p]));
  const external = new Map((conversation.contacts?.contacts ?? []).map((c) => [c.id, c.external_id ?? null]));
  const placed = items.map((item) => ({ item, id: env.migratedId(item.objectType, item.sourceId) }));
  const uses = new Map<string, number>();
  for (const p of placed) if (p.id) uses.set(p.id, (uses.get(p.id) ?? 0) + 1);
  let lastPosition = -1;
  let outOfOrder: { item: SourceItem; part: PartView } | undefined;
  for (const { item, id } of placed) {
    if (id === undefined) continue; // skipped or failed: the reconciliation counts it
    env.findings.checked(item.objectType, item.sourceId);
    const part = byId.get(id);
    const differ = (field: string, source: string, intercom: string) =>
      env.findings.differ({
        objectType: item.objectType,
        sourceId: item.sourceId,
        intercomId: id,
        field,
        source,
        intercom,
      });
    if (!part) {
      differ(
        '(record)',
        `a message of conversation ${owner.intercomId}`,
        `no comment or note ${id} in the conversation`,
      );
      continue;
    }
    const shared = (uses.get(id) ?? 0) > 1;
    for (const d of itemDifferences(env.ctx, item, part, shared, customer, (cid) =>
      cid === null ? undefined : external.get(cid),
    ))
      differ(d.field, d.source, d.intercom);
    if (part.position < lastPosition && !outOfOrder) outOfOrder = { item, part };
    lastPosition = Math.max(lastPosition, part.position);
  }
  if (outOfOrder) {
    env.findings.differ({
      ...owner,
      field: 'order',
      source: `${outOfOrder.item.objectType}:${outOfOrder.item.sourceId} after the items before it`,
      intercom: `${outOfOrder.part.partType === 'source' ? 'the opening message' : `part ${outOfOrder.part.id}`}, before them`,
    });
  }
}

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

async function checkFiles(
  env: ConversationEnv,
  files: readonly Attachment[],
  conversation: Conversation,
): Promise<void> {
  const parts = partsOf(conversation);
  for (const att of files) {
    if (att.deleted) continue;
    const sourceId = attachmentSourceId(att);
    const id = env.migratedId('attachments', sourceId);
    if (id === undefined) continue;
    env.findings.checked('attachments', sourceId);
    const check = await fileDifferences(att, parts, id, env.fetchFile);
    for (const d of check.differences)
      env.findings.differ({ objectType: 'attachments', sourceId, intercomId: id, ...d });
    if (!check.contentCompared && check.differences.length === 0)
      env.findings.unchecked('attachments', 'content (Intercom did not serve the file)');
  }
}

function conversationFields(
  env: ConversationEnv,
  owner: { objectType: ObjectType; sourceId: string; intercomId: string },
  conversation: Conversation,
  expect: { state?: string; agentId: number | null; departmentId: number | null },
): void {
  const differ = (field: string, source: string, intercom: string) =>
    env.findings.differ({ ...owner, field, source, intercom });
  if (expect.state !== undefined && conversation.state !== expect.state)
    differ('state', expect.state, conversation.state ?? '(none)');
  const admin = adminOfAgent(env.ctx, expect.agentId);
  if (admin !== undefined && String(conversation.admin_assignee_id ?? '') !== admin)
    differ(
      'admin_assignee_id',
      `admin ${admin} (agent ${expect.agentId})`,
      String(conversation.admin_assignee_id ?? '(none)'),
    );
  const teamTarget = env.map.objects[
    owner.objectType === 'tickets' ? 'tickets' : owner.objectType === 'liveChats' ? 'liveChats' : 'callLogs'
  ].fields.some((f) => f.target.kind === 'team' && f.source === 'departmentName');
  const team = teamTarget ? teamOfDepartment(env.ctx, env.map.valueMaps.teams, expect.departmentId) : undefined;
  if (team !== undefined && String(conversation.team_assignee_id ?? '') !== team)
    differ(
      'team_assignee_id',
      `team ${team} (department ${expect.departmentId})`,
      String(conversation.team_assignee_id ?? '(none)'),
    );
}

const asRecord = (value: object): Record<string, unknown> => value as unknown as Record<string, unknown>;

/** Whether a note of the conversation holds every word of `value`, in order (where a cut value is kept whole). */
function inSomeNote(conversation: Conversation): (value: string) => boolean {
  const notes = partsOf(conversation).filter((p) => p.partType === 'note');
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

  const items: SourceItem[] = [];
  for (const i of thread.items) {
    if (i.kind === 'comment') {
      items.push({
        objectType: 'ticketComments',
        sourceId: String(i.id),
        words: wordsOfText(i.text ?? ''),
        createdAt: seconds(i.date),
        author: { kind: 'note', agentId: i.authorUserId },
      });
    } else if (!i.draft) {
      const author =
        i.direction === 'inbound'
          ? { kind: 'customer' as const }
          : i.direction === 'outbound'
            ? { kind: 'agent' as const, agentId: i.fromUserId }
            : { kind: 'unknown' as const };
      items.push({
        objectType: 'ticketMessages',
        sourceId: String(i.id),
        words: textWords(i.bodyHtml, i.bodyText),
        createdAt: seconds(i.date),
        author,
      });
    }
  }
  await checkItems(env, owner, items, conversation, customer);
  await checkFiles(
    env,
    [
      ...thread.items.flatMap((i) => (i.kind === 'message' && !i.draft ? i.attachments : [])),
      ...thread.looseAttachments,
    ],
    conversation,
  );
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
  await checkItems(env, owner, items, conversation, customer);
  await checkFiles(env, files, conversation);
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
  await checkFiles(env, files, conversation);
}
