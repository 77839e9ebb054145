import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { IntercomClient, normalizeBody } from '../../src/intercom';
import { type Ledger, openLedger, type RunJournal } from '../../src/ledger';
import { applyObjectMapping } from '../../src/mapping/apply';
import { buildDefaultMap } from '../../src/mapping/default-map';
import type { IntentBody } from '../../src/model/journal';
import type { MappingFile } from '../../src/model/mapping';
import type { Agent, ChatMessage, EndUser, LiveChat, Organization, TicketThread } from '../../src/model/source';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index';
import { openSource } from '../../src/source/open-source';
import type { SourceReader } from '../../src/source/reader';
import { generateDataset } from '../fixtures/dataset/generate';

/**
 * A small generated source, a running sandbox, a real client and ledger, and a first run journaled
 * the way the engine journals: intent → real write → outcome, then one record per source record.
 * Some records are left out on purpose (unaccounted), some fail, one comment is not written.
 */
export interface World {
  dir: string;
  reader: SourceReader;
  sandbox: RunningSandbox;
  client: IntercomClient;
  ledger: Ledger;
  map: MappingFile;
  runId: string;
  orgs: Organization[];
  /** Organizations: the first four migrated, the fifth failed, the sixth left out. */
  failedOrg: Organization;
  missingOrg: Organization;
  migratedUsers: EndUser[];
  failedUser: EndUser;
  missingUser: EndUser;
  /** Written completely / written without one comment. */
  goodTicket: TicketThread;
  brokenTicket: TicketThread;
  omittedCommentId: number;
  failedTicketId: number;
  /** Written completely, closed when it ended. */
  chat: LiveChat;
  matchedAgent: Agent;
  matchedDepartmentId: number;
  contactIdOf: Map<number, string>;
  close(): Promise<void>;
}

const ADMIN_ID = '991267002';
const TEAM_ID = '5001';
export const FAILED_MESSAGE = 'rejected (email "a, b" is "not" valid\nsee field)';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const seconds = (iso: string | null): number => Math.floor(Date.parse(iso ?? '2020-01-01T00:00:00Z') / 1000);
const sha256 = (text: string) => createHash('sha256').update(normalizeBody(text)).digest('hex');

async function journaled<T>(
  run: RunJournal,
  body: IntentBody,
  send: () => Promise<T>,
  idOf: (result: T) => string,
): Promise<string> {
  const seq = await run.intent(body);
  const result = await send();
  const id = idOf(result);
  run.outcome(seq, { result: 'applied', intercomId: id });
  return id;
}

/** Tickets whose items all have a date, open with a message, carry no files, and have a comment. */
function writable(thread: TicketThread): boolean {
  const items = thread.items.filter((i) => i.kind === 'comment' || !i.draft);
  return (
    items.length > 2 &&
    items[0]?.kind === 'message' &&
    items.every((i) => i.date !== null && (i.kind === 'comment' || i.attachments.length === 0)) &&
    items.some((i) => i.kind === 'comment') &&
    !thread.ticket.deleted &&
    thread.ticket.statusIsOpen !== null
  );
}

export async function buildWorld(seed = 3): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), 'st2ic-reports-'));
  const manifest = await generateDataset({ outDir: path.join(dir, 'source'), seed, scale: 0.2, tablePrefix: 'st_' });
  // The scenario below is written for six organizations (4 migrated, 1 failed, 1 missing).
  const db = new Database(path.join(dir, 'source', 'smartertrack.db'));
  const extra = db
    .prepare('SELECT OrganizationID FROM st_Organizations ORDER BY OrganizationID LIMIT -1 OFFSET 6')
    .all() as { OrganizationID: number }[];
  for (const { OrganizationID } of extra) {
    db.prepare('DELETE FROM st_OrganizationFilters WHERE OrganizationID = ?').run(OrganizationID);
    db.prepare('DELETE FROM st_Organizations WHERE OrganizationID = ?').run(OrganizationID);
  }
  db.close();
  const reader = await openSource(
    { kind: 'sqlite', path: path.join(dir, 'source', manifest.database) },
    { attachmentsRoot: path.join(dir, 'source', manifest.attachmentsRoot) },
  );
  const sandbox = await startSandbox({ openapiPath: '' });
  const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url });
  const workspace = path.join(dir, 'workspace');
  const ledger = await openLedger(workspace, { warn: () => undefined });
  const map = buildDefaultMap({
    customFields: await collect(reader.customFields()),
    fieldChannels: new Map(),
    samples: new Map(),
    statuses: await collect(reader.ticketStatuses()),
    priorities: await collect(reader.ticketPriorities()),
    departmentNames: (await collect(reader.departments())).map((d) => d.name ?? String(d.id)),
    brands: await collect(reader.brands()),
  });

  const users = await collect(reader.endUsers());
  const userById = new Map(users.map((u) => [u.id, u]));
  const emailOk = (u: EndUser | undefined): u is EndUser => !!u && !!u.email && !u.deleted;
  const threads = (await collect(reader.ticketThreads())).filter(
    (t) => writable(t) && emailOk(userById.get(t.ticket.customerUserId ?? -1)),
  );
  const [goodTicket, brokenTicket] = threads.filter(
    (t, i, all) => all.findIndex((o) => o.ticket.customerUserId === t.ticket.customerUserId) === i,
  );
  if (!goodTicket || !brokenTicket) throw new Error('dataset has no two writable tickets');
  const failedTicketId = (await collect(reader.tickets())).find(
    (t) => t.id !== goodTicket.ticket.id && t.id !== brokenTicket.ticket.id,
  )!.id;
  const omittedCommentId = brokenTicket.items.find((i) => i.kind === 'comment')!.id;

  // A live chat opened by a customer line, whose customer differs from the tickets' customers.
  const chatLines = await collect(reader.chatMessages());
  const linesOf = (chatId: number) =>
    chatLines
      .filter(
        (l) => l.chatId === chatId && l.date !== null && (l.senderType === 'customer' || l.senderType === 'agent'),
      )
      .sort((a, b) => Date.parse(a.date!) - Date.parse(b.date!) || a.id - b.id);
  const ticketCustomers = new Set([goodTicket.ticket.customerUserId, brokenTicket.ticket.customerUserId]);
  const chat = (await collect(reader.liveChats())).find((c) => {
    const lines = linesOf(c.id);
    const customer = userById.get(c.customerUserId ?? -1);
    return (
      !c.deleted &&
      emailOk(customer) &&
      !ticketCustomers.has(c.customerUserId) &&
      lines.length > 2 &&
      lines[0]!.senderType === 'customer' &&
      !lines[0]!.agentOnly &&
      ![...ticketCustomers].some((id) => userById.get(id!)?.email?.toLowerCase() === customer.email!.toLowerCase())
    );
  });
  if (!chat) throw new Error('dataset has no writable live chat');

  // People: the three customers plus two more with distinct emails; one fails, one is left out.
  const picked: EndUser[] = [
    userById.get(goodTicket.ticket.customerUserId!)!,
    userById.get(brokenTicket.ticket.customerUserId!)!,
    userById.get(chat.customerUserId!)!,
  ];
  const emails = new Set(picked.map((u) => u.email!.toLowerCase()));
  const withEmail = users.filter((u) => emailOk(u) && !picked.includes(u));
  for (const u of withEmail) {
    if (picked.length >= 5) break;
    if (emails.has(u.email!.toLowerCase())) continue;
    emails.add(u.email!.toLowerCase());
    picked.push(u);
  }
  const rest = withEmail.filter((u) => !picked.includes(u));
  const failedUser = rest[0]!;
  const missingUser = rest[1]!;

  const agents = await collect(reader.agents());
  const matchedAgent = agents.find((a) => a.id === goodTicket.ticket.assignedAgentId) ?? agents[0]!;
  const matchedDepartmentId = goodTicket.ticket.departmentId!;
  const orgs = await collect(reader.organizations());

  const run = await ledger.startRun({
    kind: 'full',
    mappingHash: 'sha256:test',
    source: { kind: 'sqlite', description: 'generated dataset' },
  });
  for (const a of agents) {
    if (a.id === matchedAgent.id)
      run.record({
        objectType: 'agents',
        sourceId: String(a.id),
        state: 'migrated',
        intercomId: ADMIN_ID,
        existedBefore: true,
      });
    else
      run.record({
        objectType: 'agents',
        sourceId: String(a.id),
        state: 'skipped',
        reason: a.email
          ? `no Intercom admin has the email ${a.email}; Ada Admin stands in`
          : 'agent has no email; Ada Admin stands in',
      });
  }
  for await (const d of reader.departments()) {
    if (d.id === matchedDepartmentId)
      run.record({
        objectType: 'departments',
        sourceId: String(d.id),
        state: 'migrated',
        intercomId: TEAM_ID,
        existedBefore: true,
      });
    else
      run.record({
        objectType: 'departments',
        sourceId: String(d.id),
        state: 'skipped',
        reason: `no Intercom team for department "${d.name ?? d.id}" (create it, then map it in valueMaps.teams)`,
      });
  }

  for (const org of orgs.slice(0, 4)) await migrateOrg(run, client, org);
  const failedOrg = orgs[4]!;
  const missingOrg = orgs[5]!;
  run.record({
    objectType: 'organizations',
    sourceId: String(failedOrg.id),
    state: 'failed',
    error: { errorClass: 'validation', field: 'name', message: 'rejected (name is too long)', httpStatus: 400 },
  });

  const contactIdOf = new Map<number, string>();
  for (const user of picked) {
    const mapped = applyObjectMapping('contacts', map.objects.contacts, user as unknown as Record<string, unknown>);
    const body = { role: 'user' as const, external_id: String(user.id), ...mapped.standard } as Record<
      string,
      unknown
    > & { role: 'user'; external_id: string };
    for (const [k, v] of Object.entries(body)) if (v === null) delete body[k];
    const id = await journaled(
      run,
      {
        op: 'create',
        objectType: 'endUsers',
        sourceId: String(user.id),
        target: { resource: 'contact', description: `POST /contacts external_id=${user.id}` },
        lookup: { by: 'external_id', value: String(user.id) },
      },
      () => client.contacts.create(body),
      (c) => c.id,
    );
    contactIdOf.set(user.id, id);
    run.record({ objectType: 'endUsers', sourceId: String(user.id), state: 'migrated', intercomId: id });
  }
  run.record({
    objectType: 'endUsers',
    sourceId: String(failedUser.id),
    state: 'failed',
    error: { errorClass: 'validation', field: 'email', message: FAILED_MESSAGE },
  });
  for (const u of users) {
    if (picked.includes(u) || u === failedUser || u === missingUser) continue;
    run.record({
      objectType: 'endUsers',
      sourceId: String(u.id),
      state: 'skipped',
      reason: u.email ? 'outside this sample' : 'no email address and no migrated conversation needs it',
    });
  }

  for (const [thread, omit] of [
    [goodTicket, undefined],
    [brokenTicket, omittedCommentId],
  ] as const) {
    await writeTicket(run, client, map, thread, contactIdOf.get(thread.ticket.customerUserId!)!, {
      admin: thread.ticket.assignedAgentId === matchedAgent.id ? ADMIN_ID : undefined,
      team: thread.ticket.departmentId === matchedDepartmentId ? TEAM_ID : undefined,
      omitCommentId: omit,
    });
  }
  await writeChat(run, client, chat, linesOf(chat.id), contactIdOf.get(chat.customerUserId!)!, {
    admin: chat.agentUserId === matchedAgent.id ? ADMIN_ID : undefined,
    team: chat.departmentId === matchedDepartmentId ? TEAM_ID : undefined,
  });
  run.record({
    objectType: 'tickets',
    sourceId: String(failedTicketId),
    state: 'failed',
    error: { errorClass: 'validation', field: 'title', message: 'title, too long' },
  });
  await run.finish('completed');

  return {
    dir,
    reader,
    sandbox,
    client,
    ledger,
    map,
    runId: run.runId,
    orgs,
    failedOrg,
    missingOrg,
    migratedUsers: picked,
    failedUser,
    missingUser,
    goodTicket,
    brokenTicket,
    omittedCommentId,
    failedTicketId,
    chat,
    matchedAgent,
    matchedDepartmentId,
    contactIdOf,
    close: async () => {
      await ledger.close();
      await reader.close();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function migrateOrg(run: RunJournal, client: IntercomClient, org: Organization): Promise<void> {
  const id = await journaled(
    run,
    {
      op: 'create',
      objectType: 'organizations',
      sourceId: String(org.id),
      target: { resource: 'company', description: `POST /companies company_id=${org.id}` },
      lookup: { by: 'company_id', value: String(org.id) },
    },
    () => client.companies.createOrUpdate({ company_id: String(org.id), name: org.name ?? `Organization ${org.id}` }),
    (c) => c.id,
  );
  run.record({ objectType: 'organizations', sourceId: String(org.id), state: 'migrated', intercomId: id });
}

/** A ticket written the way the engine writes it: opener, replies and notes by date, title, assignment, state. */
async function writeTicket(
  run: RunJournal,
  client: IntercomClient,
  map: MappingFile,
  thread: TicketThread,
  contactId: string,
  options: { admin?: string; team?: string; omitCommentId?: number },
): Promise<void> {
  const t = thread.ticket;
  const items = thread.items.filter((i) => i.kind === 'comment' || !i.draft);
  const [opener, ...rest] = items;
  if (opener?.kind !== 'message') throw new Error('ticket must open with a message');
  const body = opener.bodyText || '(no text)';
  const conversationId = await journaled(
    run,
    {
      op: 'create',
      objectType: 'tickets',
      sourceId: String(t.id),
      target: { resource: 'conversation', description: `POST /conversations for ticket ${t.number}` },
      lookup: { by: 'conversation', contactId, createdAt: seconds(opener.date), bodySha256: sha256(body) },
    },
    () =>
      client.conversations.create({ from: { type: 'user', id: contactId }, body, created_at: seconds(opener.date) }),
    (c) => c.conversation_id,
  );
  run.record({
    objectType: 'ticketMessages',
    sourceId: String(opener.id),
    state: 'migrated',
    intercomId: conversationId,
  });

  for (const item of rest) {
    if (item.kind === 'comment' && item.id === options.omitCommentId) continue;
    const text = (item.kind === 'comment' ? item.text : item.bodyText) || '(no text)';
    const createdAt = seconds(item.date);
    const objectType = item.kind === 'comment' ? 'ticketComments' : 'ticketMessages';
    const op = item.kind === 'comment' ? 'note' : 'reply';
    const partId = await journaled(
      run,
      {
        op,
        objectType,
        sourceId: String(item.id),
        target: {
          resource: 'conversation_part',
          intercomId: conversationId,
          description: `${op} → conversation ${conversationId}`,
        },
        lookup: { by: 'conversation_part', conversationId, createdAt, bodySha256: sha256(text) },
      },
      () =>
        item.kind === 'message' && item.direction === 'inbound'
          ? client.conversations.replyAsContact(conversationId, {
              message_type: 'comment',
              type: 'user',
              intercom_user_id: contactId,
              body: text,
              created_at: createdAt,
            })
          : client.conversations.replyAsAdmin(conversationId, {
              message_type: item.kind === 'comment' ? 'note' : 'comment',
              type: 'admin',
              admin_id: ADMIN_ID,
              body: text,
              created_at: createdAt,
              skip_notifications: true,
            }),
      (c) => String(c.conversation_parts?.conversation_parts?.at(-1)?.id ?? conversationId),
    );
    run.record({ objectType, sourceId: String(item.id), state: 'migrated', intercomId: partId });
  }

  const manage = (op: IntentBody['op'], description: string, send: () => Promise<unknown>) =>
    journaled(
      run,
      {
        op,
        objectType: 'tickets',
        sourceId: String(t.id),
        target: { resource: 'conversation', intercomId: conversationId, description },
        lookup: { by: 'intercom_id', id: conversationId },
      },
      send,
      () => conversationId,
    );
  const title = applyObjectMapping('tickets', map.objects.tickets, t as unknown as Record<string, unknown>).standard
    .title;
  if (typeof title === 'string' && title)
    await manage('update', 'title', () => client.conversations.update(conversationId, { title }));
  if (options.team)
    await manage('assign', 'team', () =>
      client.conversations.assign(conversationId, ADMIN_ID, { type: 'team', id: options.team! }),
    );
  if (options.admin)
    await manage('assign', 'admin', () =>
      client.conversations.assign(conversationId, ADMIN_ID, { type: 'admin', id: options.admin! }),
    );
  const state =
    (t.statusName ? map.valueMaps.ticketStatus[t.statusName] : undefined) ?? (t.statusIsOpen ? 'open' : 'closed');
  if (state === 'closed') await manage('close', 'close', () => client.conversations.close(conversationId, ADMIN_ID));
  run.record({ objectType: 'tickets', sourceId: String(t.id), state: 'migrated', intercomId: conversationId });
}

/** A live chat: the first customer line opens it, agent-only lines become notes, ended chats are closed. */
async function writeChat(
  run: RunJournal,
  client: IntercomClient,
  chat: LiveChat,
  lines: ChatMessage[],
  contactId: string,
  assignee: { admin: string | undefined; team: string | undefined },
): Promise<void> {
  const [opener, ...rest] = lines;
  const body = opener!.text || '(no text)';
  const conversationId = await journaled(
    run,
    {
      op: 'create',
      objectType: 'liveChats',
      sourceId: String(chat.id),
      target: { resource: 'conversation', description: `POST /conversations for chat ${chat.number}` },
      lookup: { by: 'conversation', contactId, createdAt: seconds(opener!.date), bodySha256: sha256(body) },
    },
    () =>
      client.conversations.create({ from: { type: 'user', id: contactId }, body, created_at: seconds(opener!.date) }),
    (c) => c.conversation_id,
  );
  run.record({
    objectType: 'chatMessages',
    sourceId: String(opener!.id),
    state: 'migrated',
    intercomId: conversationId,
  });
  for (const line of rest) {
    const text = line.text || '(no text)';
    const createdAt = seconds(line.date);
    const op = line.agentOnly ? 'note' : 'reply';
    const partId = await journaled(
      run,
      {
        op,
        objectType: 'chatMessages',
        sourceId: String(line.id),
        target: {
          resource: 'conversation_part',
          intercomId: conversationId,
          description: `${op} → conversation ${conversationId}`,
        },
        lookup: { by: 'conversation_part', conversationId, createdAt, bodySha256: sha256(text) },
      },
      () =>
        line.senderType === 'customer' && !line.agentOnly
          ? client.conversations.replyAsContact(conversationId, {
              message_type: 'comment',
              type: 'user',
              intercom_user_id: contactId,
              body: text,
              created_at: createdAt,
            })
          : client.conversations.replyAsAdmin(conversationId, {
              message_type: line.agentOnly ? 'note' : 'comment',
              type: 'admin',
              admin_id: ADMIN_ID,
              body: text,
              created_at: createdAt,
              skip_notifications: true,
            }),
      (c) => String(c.conversation_parts?.conversation_parts?.at(-1)?.id ?? conversationId),
    );
    run.record({ objectType: 'chatMessages', sourceId: String(line.id), state: 'migrated', intercomId: partId });
  }
  // Assigned as the engine does: to the matched agent's admin and the matched department's team.
  for (const [type, id] of [
    ['team', assignee.team],
    ['admin', assignee.admin],
  ] as const) {
    if (!id) continue;
    await journaled(
      run,
      {
        op: 'assign',
        objectType: 'liveChats',
        sourceId: String(chat.id),
        target: { resource: 'conversation', intercomId: conversationId, description: `assign ${type} ${id}` },
        lookup: { by: 'intercom_id', id: conversationId },
      },
      () => client.conversations.assign(conversationId, ADMIN_ID, { type, id }),
      () => conversationId,
    );
  }
  if (chat.endedAt !== null) {
    await journaled(
      run,
      {
        op: 'close',
        objectType: 'liveChats',
        sourceId: String(chat.id),
        target: { resource: 'conversation', intercomId: conversationId, description: 'close' },
        lookup: { by: 'intercom_id', id: conversationId },
      },
      () => client.conversations.close(conversationId, ADMIN_ID),
      () => conversationId,
    );
  }
  run.record({ objectType: 'liveChats', sourceId: String(chat.id), state: 'migrated', intercomId: conversationId });
}
