import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { z } from 'zod';

import * as model from '../../../src/model/source';
import { openSource } from '../../../src/source/open-source';
import type { SourceReader } from '../../../src/source/reader';
import { buildMiniDb, MINI, type MiniDb } from '../../fixtures/mini/build-mini-db';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

let dir: string;
let db: MiniDb;
let reader: SourceReader;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-reader-'));
  db = buildMiniDb({ dir });
  // A small page size makes every list cross page boundaries.
  reader = await openSource({ kind: 'sqlite', path: db.file }, { attachmentsRoot: db.attachmentsRoot, pageSize: 3 });
});
after(async () => {
  await reader.close();
  rmSync(dir, { recursive: true, force: true });
});

test('text after a NUL is read (node-sqlite3-wasm stops text at a NUL; text columns are read as bytes)', async () => {
  const Database = (await import('better-sqlite3')).default;
  const writer = new Database(db.file);
  try {
    writer
      .prepare("UPDATE st_Users SET DisplayName = 'Hello' || char(0) || 'world ✓' WHERE UserID = ?")
      .run(MINI.endUserIds[0]);
  } finally {
    writer.close();
  }
  const nul = await openSource({ kind: 'sqlite', path: db.file }, { attachmentsRoot: db.attachmentsRoot });
  try {
    const user = (await collect(nul.endUsers())).find((u) => u.id === MINI.endUserIds[0]);
    assert.equal(user?.displayName, 'Hello\u0000world ✓');
  } finally {
    await nul.close();
  }
});

describe('people', () => {
  test('agents hold an employee role; the queue user is neither agent nor end user', async () => {
    const agents = await collect(reader.agents());
    const endUsers = await collect(reader.endUsers());
    const queue = await collect(reader.queueUsers());
    assert.deepEqual(
      agents.map((a) => a.id),
      MINI.agentIds,
    );
    assert.deepEqual(
      endUsers.map((u) => u.id),
      MINI.endUserIds,
    );
    assert.deepEqual(
      queue.map((u) => u.id),
      [MINI.queueUserId],
    );
    const admin = agents.find((a) => a.id === 2)!;
    assert.equal(admin.primaryAdmin, true);
    assert.deepEqual(admin.roleNames, ['Agent', 'Administrator']);
    assert.deepEqual(admin.groups, [
      {
        departmentId: 10,
        groupId: 1,
        isGroupAdmin: true,
        activeForTickets: true,
        activeForChats: true,
        roundRobinOrder: 1,
      },
    ]);
    assert.equal(admin.lastLoginAt, '2024-02-01T09:30:00.000Z');
    assert.equal(endUsers.find((u) => u.id === 106)!.deleted, true, 'deleted end users are kept, flagged');
    assert.deepEqual(endUsers.find((u) => u.id === 107)!.roleNames, [], 'a user without roles is an end user');
    for (const a of agents) z.array(model.Agent).parse([a]);
    for (const u of endUsers) model.EndUser.parse(u);
  });

  test('organization membership is evaluated from email, domain, user and phone filters', async () => {
    const orgs = await collect(reader.organizations());
    assert.equal(orgs.length, 4);
    assert.deepEqual(
      orgs.find((o) => o.id === 503)!.filters.map((f) => f.kind),
      ['unknown', 'domain'],
    );
    const memberships = await collect(reader.organizationMemberships());
    assert.deepEqual(
      memberships.map((m) => [m.organizationId, m.userId, m.matchedBy.join('+')]),
      [
        [500, 100, 'domain'],
        [502, 100, 'phone'],
        [500, 101, 'domain'],
        [501, 106, 'email'],
        [501, 107, 'user'],
      ],
    );
  });
});

describe('custom fields', () => {
  test('definitions carry kind, options, templates per department and channel, conditions', async () => {
    const fields = await collect(reader.customFields());
    const plan = fields.find((f) => f.id === 200)!;
    assert.equal(plan.kind, 'dropdown');
    assert.deepEqual(plan.options, ['Free', 'Pro', 'Enterprise']);
    assert.equal(plan.templates[0]!.required, true);
    assert.equal(plan.templates[0]!.requiredToClose, true);
    assert.deepEqual(plan.templates[0]!.departments, [
      { departmentId: 10, channel: 'ticket' },
      { departmentId: 11, channel: 'ticket' },
    ]);
    const reason = fields.find((f) => f.id === 203)!;
    assert.equal(reason.templates[0]!.conditionalFieldId, 200);
    assert.deepEqual(reason.templates[0]!.conditionalValues, ['Pro', 'Enterprise']);
    assert.equal(fields.find((f) => f.id === 202)!.kind, 'unknown');
    const notes = fields.find((f) => f.id === 201)!;
    assert.deepEqual(
      notes.templates.map((t) => [
        t.templateName,
        t.departments.map((d) => `${d.departmentId}:${d.channel}`).join(','),
      ]),
      [
        ['Ticket template', '10:ticket,11:ticket'],
        ['Chat and calls', '10:chat,11:callLog'],
      ],
    );
    for (const f of fields) model.CustomField.parse(f);
  });

  test('values of tickets, chats, call logs and users, raw strings', async () => {
    const values = await collect(reader.customFieldValues());
    assert.deepEqual(
      values.map((v) => `${v.channel}:${v.recordId}:${v.fieldId}`),
      [
        'ticket:1000:200',
        'ticket:1000:201',
        'ticket:1001:201',
        'ticket:1002:201',
        'chat:3000:201',
        'callLog:4000:201',
        'user:100:201',
      ],
    );
    assert.equal(values[2]!.value, 'é'.repeat(450));
  });
});

describe('tickets', () => {
  test('lookups, brand via department, queue assignment, merges, deleted and spam flagged', async () => {
    const tickets = await collect(reader.tickets());
    assert.deepEqual(
      tickets.map((t) => t.id),
      [1000, 1001, 1002, 1003, 1004, 1005, 1006],
    );
    const t0 = tickets[0]!;
    assert.equal(t0.statusName, 'Active');
    assert.equal(t0.priorityName, 'Normal');
    assert.equal(t0.brandId, 1);
    assert.equal(t0.assignedAgentId, 2);
    assert.equal(t0.openedAt, '2024-01-01T10:00:00.000Z');
    const t1 = tickets[1]!;
    assert.equal(t1.assignedAgentId, null, 'assigned to the queue user = unassigned');
    assert.equal(t1.statusIsOpen, false);
    assert.equal(t1.brandId, 2);
    assert.equal(t1.closedAt, '2024-01-03T12:00:00.250Z');
    assert.equal(tickets[2]!.deleted, true);
    assert.equal(tickets[2]!.deletedAt, '2024-02-01T00:00:00.000Z');
    assert.equal(tickets[3]!.spam, true);
    assert.deepEqual(tickets[4]!.mergedNumbers, ['111-AAAA-0001', '111-AAAA-0002']);
    assert.equal(tickets[6]!.openedAt, '2024-01-01T10:00:00.000Z', 'Unix seconds read as UTC');
    for (const t of tickets) model.Ticket.parse(t);
  });

  test('a thread interleaves messages and comments by time, attachments on their message', async () => {
    const thread = (await reader.ticketThread(1000))!;
    assert.deepEqual(
      thread.items.map((i) => `${i.kind}:${i.id}`),
      ['message:1', 'comment:1', 'message:2', 'comment:2', 'message:3'],
    );
    const first = thread.items[0]!;
    assert.ok(first.kind === 'message');
    assert.equal(first.direction, 'inbound');
    assert.deepEqual(
      first.attachments.map((a) => a.id),
      [1, 4, 5, 9],
    );
    const last = thread.items[4]!;
    assert.ok(last.kind === 'message' && last.draft && last.direction === 'outbound');
    const comment = thread.items[3]!;
    assert.ok(comment.kind === 'comment' && comment.typeName === 'Resolution');
    assert.deepEqual(
      thread.looseAttachments.map((a) => a.id),
      [8],
      'an attachment of an unknown message is kept',
    );
    model.TicketThread.parse(thread);
    assert.equal(await reader.ticketThread(424242), null);
  });

  test('streamed threads equal per-ticket threads, every ticket once', async () => {
    const threads = await collect(reader.ticketThreads());
    assert.deepEqual(
      threads.map((t) => t.ticket.id),
      [1000, 1001, 1002, 1003, 1004, 1005, 1006],
    );
    for (const thread of threads) assert.deepEqual(thread, await reader.ticketThread(thread.ticket.id));
    const big = threads[6]!;
    assert.equal(big.items.length, 495 + 4);
  });

  test('messages and comments as flat lists', async () => {
    const messages = await collect(reader.ticketMessages());
    assert.equal(messages.length, 4 + 4 + 495);
    assert.equal(messages.find((m) => m.id === 4)!.fromUserId, null);
    const comments = await collect(reader.ticketComments());
    assert.equal(comments.length, 6);
  });
});

describe('attachments', () => {
  test('paths resolve under the root, fall back to the root, and never escape it', async () => {
    const all = await collect(reader.attachments());
    const byId = new Map(all.filter((a) => a.owner.kind === 'ticket').map((a) => [a.id, a]));
    const root = path.resolve(db.attachmentsRoot);
    assert.equal(byId.get(1)!.path, path.join(root, 'Attachments/Tickets/2024/01/abc.bin'));
    assert.equal(byId.get(1)!.cidTag, 'image001.png@01D');
    assert.equal(byId.get(2)!.path, path.join(root, 'shared.bin'));
    assert.equal(byId.get(3)!.path, byId.get(2)!.path, 'deduplicated files resolve to one path');
    assert.equal(byId.get(4)!.pathStatus, 'missing');
    assert.equal(byId.get(4)!.path, null);
    assert.equal(byId.get(5)!.pathStatus, 'unsafe');
    assert.equal(byId.get(5)!.path, null);
    assert.equal(byId.get(9)!.deleted, true);
    const chat = all.find((a) => a.owner.kind === 'chat')!;
    assert.equal(chat.path, path.join(root, 'Attachments/Chats/c1.bin'));
    const call = all.find((a) => a.owner.kind === 'callLog')!;
    assert.equal(call.pathStatus, 'missing');
    assert.equal(all.length, 9 + 25 + 1 + 1);
    for (const a of all) model.Attachment.parse(a);
  });
});

describe('chats, calls, knowledge base, automation', () => {
  test('chat lines carry sender type and the agent-only flag', async () => {
    const chats = await collect(reader.liveChats());
    assert.equal(chats[0]!.customerEmail, 'alice@acme.example');
    const lines = await collect(reader.chatMessages());
    assert.deepEqual(
      lines.map((l) => [l.senderType, l.agentOnly, l.isHtml]),
      [
        ['customer', false, false],
        ['agent', false, true],
        ['agent', true, false],
        ['system', false, false],
      ],
    );
    const calls = await collect(reader.callLogs());
    assert.equal(calls[0]!.outgoing, true);
    assert.equal(calls[0]!.endedAt, '2024-04-01T08:15:00.000Z');
  });

  test('KB categories keep their parents; articles their flags and brands', async () => {
    const categories = await collect(reader.kbCategories());
    assert.deepEqual(
      categories.map((c) => c.parentId),
      [null, 1, 2],
    );
    const articles = await collect(reader.kbArticles());
    assert.deepEqual(
      articles.map((a) => [a.id, a.private, a.draft, a.deleted]),
      [
        [10, true, false, false],
        [11, false, true, false],
        [12, false, false, true],
      ],
    );
    assert.deepEqual(articles[2]!.brandIds, [1, 2]);
    assert.equal((await collect(reader.tags())).length, 2);
  });

  test('automation rules with conditions and actions; department policies', async () => {
    const rules = await collect(reader.automationRules());
    assert.equal(rules.length, 2);
    assert.deepEqual(
      rules[0]!.conditions.map((c) => c.key),
      ['IdleHours', 'Department'],
    );
    assert.deepEqual(rules[0]!.actions[0]!.inputs, [
      { key: 'Priority', value: 'Urgent' },
      { key: 'Notify', value: 'true' },
    ]);
    assert.equal(rules[1]!.enabled, null);
    const policies = await collect(reader.departmentPolicies());
    assert.deepEqual(
      policies.map((p) => [p.departmentId, p.autoClose.enabled, p.autoLock.enabled, p.autoDelete.enabled]),
      [
        [10, true, false, false],
        [11, false, false, false],
        [12, false, true, true],
      ],
    );
    assert.deepEqual(policies[0]!.autoClose, { enabled: true, hours: 48 });
    assert.equal((await collect(reader.ticketStatuses())).length, 4);
    assert.equal((await collect(reader.ticketPriorities())).length, 4);
    assert.deepEqual(
      (await collect(reader.commentTypes())).map((c) => c.name),
      ['General', 'Resolution'],
    );
  });
});
