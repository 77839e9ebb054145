import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { Agent, Attachment, TicketThread } from '../../src/model/source';
import { buildScope } from '../../src/reports/scope';
import { openSource } from '../../src/source/open-source';
import type { SourceReader } from '../../src/source/reader';
import { SoapWriteRefusedError } from '../../src/source/soap/errors';
import type { SoapSourceReader } from '../../src/source/soap/soap-reader';
import type { SoapFixture } from '../fixtures/soap/server';
import { collect, FIXTURE_PASSWORD, pick, type SoapDataset, soapDataset } from '../support/soap-dataset';

/**
 * The demo dataset read twice: through the SOAP fixture (as agent marcus.doyle, member of groups
 * 1–3) and straight from SQLite. Where the Web Services expose the data, the records are equal.
 */

let ds: SoapDataset;
let fixture: SoapFixture;
let soap: SoapSourceReader;
let sql: SourceReader;
let soapThreads: TicketThread[];
let sqlThreads: Map<number, TicketThread>;
const VISIBLE_GROUPS = new Set([1, 2, 3]);

before(async () => {
  ds = await soapDataset(0.3);
  fixture = await ds.start({});
  soap = (await openSource(
    { kind: 'soap', baseUrl: fixture.url, user: 'marcus.doyle' },
    { password: FIXTURE_PASSWORD, attachmentsRoot: path.join(ds.dir, 'downloads') },
  )) as SoapSourceReader;
  sql = await openSource({ kind: 'sqlite', path: ds.databasePath }, { attachmentsRoot: ds.attachmentsRoot });
  soapThreads = await collect(soap.ticketThreads());
  sqlThreads = new Map();
  for await (const t of sql.ticketThreads())
    if (t.ticket.groupId !== null && VISIBLE_GROUPS.has(t.ticket.groupId)) sqlThreads.set(t.ticket.id, t);
});

after(async () => {
  await soap?.close();
  await sql?.close();
  await fixture?.close();
  ds?.remove();
});

const TICKET_FIELDS = [
  'id',
  'number',
  'subject',
  'statusId',
  'statusName',
  'statusIsOpen',
  'priorityId',
  'departmentId',
  'groupId',
  'brandId',
  'assignedAgentId',
  'customerUserId',
  'customerEmail',
  'openedAt',
  'closedAt',
  'deletedAt',
  'deleted',
  'spam',
] as const;
const MESSAGE_FIELDS = [
  'id',
  'ticketId',
  'direction',
  'fromAddress',
  'toAddress',
  'subject',
  'bodyHtml',
  'bodyText',
  'draft',
  'date',
] as const;
const COMMENT_FIELDS = ['id', 'ticketId', 'typeName', 'authorUserId', 'text', 'date'] as const;
const ATTACHMENT_FIELDS = [
  'id',
  'owner',
  'messageId',
  'userId',
  'originalName',
  'fileNameOnDisk',
  'length',
  'createdAt',
] as const;

test('every ticket of the visible groups is read, and only those, equal to the SQL record', () => {
  assert.ok(sqlThreads.size > 20, `only ${sqlThreads.size} tickets in groups 1-3`);
  assert.deepEqual(
    soapThreads.map((t) => t.ticket.id),
    [...sqlThreads.keys()],
  );
  for (const t of soapThreads) {
    assert.deepEqual(
      pick(t.ticket, TICKET_FIELDS),
      pick(sqlThreads.get(t.ticket.id)!.ticket, TICKET_FIELDS),
      `ticket ${t.ticket.id}`,
    );
  }
  // Deleted and spam tickets come through, flagged.
  assert.ok(soapThreads.some((t) => t.ticket.deleted) || soapThreads.some((t) => t.ticket.spam));
});

test('threads: messages, comments and attachment metadata equal the SQL reader, in the same order', () => {
  let messages = 0;
  let comments = 0;
  let attachments = 0;
  for (const t of soapThreads) {
    const expected = sqlThreads.get(t.ticket.id)!;
    assert.deepEqual(
      t.items.map((i) => `${i.kind}:${i.id}`),
      expected.items.map((i) => `${i.kind}:${i.id}`),
      `order of ticket ${t.ticket.id}`,
    );
    t.items.forEach((item, n) => {
      const other = expected.items[n]!;
      if (item.kind === 'message' && other.kind === 'message') {
        messages++;
        assert.deepEqual(pick(item, MESSAGE_FIELDS), pick(other, MESSAGE_FIELDS), `message ${item.id}`);
        // Sender ids are resolved from addresses: when resolved, they are right.
        if (item.fromUserId !== null) assert.equal(item.fromUserId, other.fromUserId, `sender of message ${item.id}`);
        const live = other.attachments.filter((a) => !a.deleted);
        assert.deepEqual(
          item.attachments.map((a) => pick(a, ATTACHMENT_FIELDS)),
          live.map((a) => pick(a, ATTACHMENT_FIELDS)),
          `attachments of message ${item.id}`,
        );
        attachments += item.attachments.length;
      } else if (item.kind === 'comment' && other.kind === 'comment') {
        comments++;
        assert.deepEqual(pick(item, COMMENT_FIELDS), pick(other, COMMENT_FIELDS), `comment ${item.id}`);
      }
    });
  }
  assert.ok(
    messages > 100 && comments > 10 && attachments > 10,
    `${messages} messages, ${comments} comments, ${attachments} attachments`,
  );
  const outbound = soapThreads
    .flatMap((t) => t.items)
    .filter((i) => i.kind === 'message' && i.direction === 'outbound');
  assert.ok(
    outbound.filter((m) => m.kind === 'message' && m.fromUserId !== null).length > outbound.length / 2,
    'most agent senders resolved',
  );
});

test('attachments download with the web session cookie and their bytes equal the App_Data files', () => {
  const all: Attachment[] = soapThreads.flatMap((t) =>
    t.items.flatMap((i) => (i.kind === 'message' ? i.attachments : [])),
  );
  const found = all.filter((a) => a.pathStatus === 'found');
  assert.ok(found.length > 10);
  for (const a of found) {
    const original = readFileSync(path.join(ds.attachmentsRoot, 'Attachments', 'Tickets', a.fileNameOnDisk!));
    assert.deepEqual(readFileSync(a.path!), original, `bytes of attachment ${a.id}`);
    assert.ok(a.path!.startsWith(path.join(ds.dir, 'downloads')));
  }
  // The first download was sent to the login page, then one login served every download.
  assert.equal(fixture.downloads[0]?.status, 302);
  assert.equal(fixture.logins, 1);
  // The dataset's missing file: reported missing, not found, no partial file left.
  const missing = new Set(ds.manifest.hardCases.missingAttachmentIds);
  for (const a of all.filter((x) => missing.has(x.id))) assert.equal(a.pathStatus, 'missing');
});

test('organizations (probed by id) and their filters equal the SQL reader', async () => {
  const fields = ['id', 'name', 'website', 'phone'] as const;
  const soapOrgs = await collect(soap.organizations());
  const sqlOrgs = await collect(sql.organizations());
  assert.deepEqual(
    soapOrgs.map((o) => pick(o, fields)),
    sqlOrgs.map((o) => pick(o, fields)),
  );
  const filters = (o: (typeof sqlOrgs)[number]) =>
    o.filters.map((f) => ({ id: f.id, kind: f.kind, value: f.value, userId: f.kind === 'user' ? f.userId : null }));
  for (const [n, o] of soapOrgs.entries())
    assert.deepEqual(filters(o), filters(sqlOrgs[n]!), `filters of organization ${o.id}`);
  // Memberships of the end users the API revealed are the SQL ones.
  const sqlMemberships = new Set(
    (await collect(sql.organizationMemberships())).map((m) => `${m.organizationId}/${m.userId}`),
  );
  const soapMemberships = await collect(soap.organizationMemberships());
  assert.ok(soapMemberships.length > 0);
  for (const m of soapMemberships)
    assert.ok(sqlMemberships.has(`${m.organizationId}/${m.userId}`), `membership ${m.organizationId}/${m.userId}`);
});

test('brands, departments, groups, agents and ticket customers equal the SQL reader where exposed', async () => {
  assert.deepEqual(
    (await collect(soap.brands())).map((b) => pick(b, ['id', 'name'])),
    (await collect(sql.brands())).map((b) => pick(b, ['id', 'name'])),
  );
  assert.deepEqual(
    (await collect(soap.departments())).map((d) => pick(d, ['id', 'name', 'brandId'])),
    (await collect(sql.departments())).map((d) => pick(d, ['id', 'name', 'brandId'])),
  );
  assert.deepEqual(
    (await collect(soap.groups())).map((g) => pick(g, ['departmentId', 'id', 'name'])),
    (await collect(sql.groups())).map((g) => pick(g, ['departmentId', 'id', 'name'])),
  );
  const userFields = [
    'id',
    'userName',
    'email',
    'displayName',
    'createdAt',
    'lastLoginAt',
    'deleted',
    'emailVerified',
    'lockedOut',
    'roleNames',
  ] as const;
  const agentView = (a: Agent) => ({
    ...pick(a, userFields),
    primaryAdmin: a.primaryAdmin,
    groups: a.groups.map((g) => `${g.departmentId}/${g.groupId}`),
  });
  assert.deepEqual((await collect(soap.agents())).map(agentView), (await collect(sql.agents())).map(agentView));
  assert.deepEqual(
    (await collect(soap.queueUsers())).map((q) => q.id),
    (await collect(sql.queueUsers())).map((q) => q.id),
  );
  const customers = new Set([...sqlThreads.values()].map((t) => t.ticket.customerUserId));
  const sqlEndUsers = (await collect(sql.endUsers())).filter((u) => customers.has(u.id));
  assert.deepEqual(
    (await collect(soap.endUsers())).map((u) => pick(u, userFields)),
    sqlEndUsers.map((u) => pick(u, userFields)),
  );
});

test('knowledge base and call logs equal the SQL reader where exposed', async () => {
  const catFields = ['id', 'parentId', 'name', 'private'] as const;
  assert.deepEqual(
    (await collect(soap.kbCategories())).map((c) => pick(c, catFields)),
    (await collect(sql.kbCategories())).map((c) => pick(c, catFields)),
  );
  const artFields = [
    'id',
    'categoryId',
    'subject',
    'bodyHtml',
    'summary',
    'private',
    'draft',
    'authorUserId',
    'createdAt',
    'modifiedAt',
  ] as const;
  const sqlArticles = (await collect(sql.kbArticles())).filter((a) => !a.deleted && a.categoryId !== null);
  assert.deepEqual(
    (await collect(soap.kbArticles())).map((a) => pick(a, artFields)),
    sqlArticles.map((a) => pick(a, artFields)),
  );
  const callFields = [
    'id',
    'number',
    'departmentId',
    'groupId',
    'agentUserId',
    'customerUserId',
    'customerName',
    'customerPhone',
    'customerEmail',
    'subject',
    'description',
    'outgoing',
    'startedAt',
    'endedAt',
    'createdAt',
    'modifiedAt',
  ] as const;
  const sqlCalls = (await collect(sql.callLogs())).filter(
    (c) => !c.deleted && c.groupId !== null && VISIBLE_GROUPS.has(c.groupId),
  );
  const soapCalls = await collect(soap.callLogs());
  assert.ok(soapCalls.length > 0);
  assert.deepEqual(
    soapCalls.map((c) => pick(c, callFields)),
    sqlCalls.map((c) => pick(c, callFields)),
  );
});

test('custom field definitions and ticket values match by display name', async () => {
  const fields = ['id', 'name', 'dataType', 'kind', 'defaultValue', 'options', 'isGlobal'] as const;
  assert.deepEqual(
    (await collect(soap.customFields())).map((f) => pick(f, fields)),
    (await collect(sql.customFields())).map((f) => pick(f, fields)),
  );
  const key = (v: { recordId: number; fieldId: number; value: string | null }) =>
    `${v.recordId}/${v.fieldId}=${v.value ?? ''}`;
  const sqlValues = (await collect(sql.customFieldValues()))
    .filter((v) => v.channel === 'ticket' && sqlThreads.has(v.recordId))
    .map(key)
    .sort();
  assert.deepEqual((await collect(soap.customFieldValues())).map(key).sort(), sqlValues);
});

test('the scope report says what the Web Services cannot give and which groups are not visible', async () => {
  const report = await buildScope(soap, { attachmentsRoot: null });
  assert.equal(report.source.engine, 'soap');
  assert.ok(report.source.location.endsWith('/Services2'));
  assert.ok(
    report.source.missingOptionalTables.some((t) => /not available through the Web Services: live chats/.test(t)),
  );
  assert.ok(report.source.versionHints.some((h) => /Not visible to the API user.*4 Fieldnote Front Line/.test(h)));
  assert.equal(report.counts.tickets, sqlThreads.size);
  assert.equal(report.counts.liveChats, 0);
});

test('only read-only operations reach the service, and a write is refused before it is sent', async () => {
  assert.ok(fixture.calls.length > 500);
  const writes = fixture.calls.filter(
    (c) => !/^(Get|Search)[A-Z]/.test(c.operation) && c.operation !== 'ValidateAgent',
  );
  assert.deepEqual(writes, []);
  const before = fixture.calls.length;
  await assert.rejects(soap.client.call('svcTickets', 'CreateTicket', [['subject', 'x']]), SoapWriteRefusedError);
  assert.equal(fixture.calls.length, before);
});
