import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';

import { decidePending } from '../../src/engine/resume';
import type { OutcomeLookup } from '../../src/intercom';
import { IntercomClient, NotFoundError, resolveUnknown, ValidationError, writeAtMostOnce } from '../../src/intercom';
import { IntentEntry, LEDGER_FORMAT } from '../../src/model/journal';
import { startSandbox } from '../../src/sandbox';
import { testClock } from '../support/clock';
import { assertNoResponseErrors } from './sandbox-helpers';

// Every ticket call of the client against the local sandbox, parsed by the client's schemas. With
// INTERCOM_OPENAPI set (as in CI) each request is validated against 2.16 and each answer checked.

const ADMIN = '991267001';
const TEAM = '5001';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test('every ticket call of the Intercom client works against the sandbox and parses', async (t) => {
  const sandbox = await startSandbox({ port: 0, token: 'tickets-token-9c1d', rateLimitPer10s: 5000, searchLagMs: 0 });
  const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, timeoutMs: 5_000 });
  const resolve = (lookup: OutcomeLookup) => resolveUnknown(client, lookup, { searchSettleMs: 200, readSettleMs: 100 });
  t.after(() => sandbox.close());
  t.after(() => assertNoResponseErrors(sandbox, "the sandbox's answers to the client"));
  t.after(() =>
    assert.deepEqual(
      sandbox
        .requests()
        .filter((r) => r.validationErrors)
        .map((r) => `${r.method} ${r.path}`),
      [],
      'every request fits 2.16',
    ),
  );

  const contact = await client.contacts.create({ role: 'user', email: 'dee@example.com', external_id: 'st-9' });

  // Types, attributes, states.
  const type = await client.ticketTypes.create({
    name: 'Support request',
    description: 'SmarterTrack tickets',
    category: 'Customer',
  });
  assert.deepEqual(
    type.ticket_type_attributes?.data.map((a) => a.name),
    ['_default_title_', '_default_description_'],
  );
  const priority = await client.ticketTypes.createAttribute(type.id, {
    name: 'Priority',
    description: 'Source priority',
    data_type: 'list',
    list_items: 'Low,High',
    required_to_create: true,
  });
  assert.equal(priority.data_type, 'list');
  const legacy = await client.ticketTypes.createAttribute(type.id, {
    name: 'Legacy',
    description: 'unused',
    data_type: 'string',
  });
  assert.equal(
    (await client.ticketTypes.updateAttribute(type.id, legacy.id, { description: 'still unused' })).description,
    'still unused',
  );
  assert.equal((await client.ticketTypes.archiveAttribute(type.id, legacy.id)).archived, true);
  assert.equal((await client.ticketTypes.update(type.id, { icon: '🧾' })).icon, '🧾');
  assert.equal((await client.ticketTypes.get(type.id)).ticket_type_attributes?.data.length, 4);
  const temp = await client.ticketTypes.create({ name: 'Temporary', category: 'Back-office' });
  assert.equal((await client.ticketTypes.archive(temp.id)).archived, true);
  assert.deepEqual(
    (await client.ticketTypes.list()).map((x) => x.name),
    ['Support request', 'Temporary'],
  );
  const states = await client.ticketTypes.listStates();
  assert.deepEqual(
    states.map((s) => s.category),
    ['submitted', 'in_progress', 'waiting_on_customer', 'resolved'],
  );
  const typeLookup = await resolve({ kind: 'ticket_type', name: 'support request' });
  assert.equal(typeLookup.applied && typeLookup.id, type.id);
  const attrLookup = await resolve({ kind: 'ticket_type_attribute', ticket_type_id: type.id, name: 'Priority' });
  assert.equal(attrLookup.applied && attrLookup.id, priority.id);
  assert.deepEqual(await resolve({ kind: 'ticket_type_attribute', ticket_type_id: type.id, name: 'Never' }), {
    applied: false,
  });

  // A ticket with its original date, attributes and an assignee.
  const created = await client.tickets.create({
    ticket_type_id: type.id,
    contacts: [{ id: contact.id }],
    created_at: 1_600_000_000,
    skip_notifications: true,
    ticket_attributes: { _default_title_: 'Cannot log in', _default_description_: 'Since Monday', Priority: 'High' },
    assignment: { admin_assignee_id: ADMIN },
  });
  assert.equal(created.created_at, 1_600_000_000);
  assert.equal(created.ticket_attributes?.Priority, 'High');
  assert.equal(created.admin_assignee_id, ADMIN);
  const missing = await client.tickets
    .create({ ticket_type_id: type.id, contacts: [{ id: contact.id }] })
    .catch((e: unknown) => e);
  assert.ok(missing instanceof ValidationError, String(missing));

  // Replies with their original dates, an attachment, a contact reply by external id.
  const comment = await client.tickets.replyAsAdmin(created.id, {
    message_type: 'comment',
    type: 'admin',
    admin_id: ADMIN,
    body: 'Try again now',
    created_at: 1_600_000_060,
    attachment_files: [
      { name: 'steps.txt', content_type: 'text/plain', data: Buffer.from('1. log in').toString('base64') },
    ],
  });
  assert.deepEqual(
    [comment.part_type, comment.created_at, comment.attachments?.[0]?.name],
    ['comment', 1_600_000_060, 'steps.txt'],
  );
  const note = await client.tickets.replyAsAdmin(created.id, {
    message_type: 'note',
    type: 'admin',
    admin_id: ADMIN,
    body: 'internal',
    created_at: 1_600_000_120,
  });
  assert.equal(note.part_type, 'note');
  const answer = await client.tickets.replyAsContact(created.id, {
    message_type: 'comment',
    type: 'user',
    user_id: 'st-9',
    body: 'Works, thanks',
    created_at: 1_600_000_180,
  });
  assert.equal(answer.author?.id, contact.id);
  const replyLookup = await resolve({
    kind: 'ticket_reply',
    ticket_id: created.id,
    part_type: 'note',
    body: '<p>internal</p>',
    created_at: 1_600_000_120,
    author_id: ADMIN,
    sent_at: 0,
  });
  assert.equal(replyLookup.applied && replyLookup.id, note.id);
  assert.deepEqual(
    await resolve({
      kind: 'ticket_reply',
      ticket_id: created.id,
      part_type: 'note',
      body: 'internal',
      created_at: 1_600_000_121,
      sent_at: 0,
    }),
    { applied: false },
  );

  // Tags, assignment, state, closing.
  const tag = await client.tags.createOrUpdate('migrated');
  assert.equal((await client.tickets.tag(created.id, tag.id, ADMIN)).id, tag.id);
  assert.equal((await client.tickets.untag(created.id, tag.id, ADMIN)).id, tag.id);
  assert.equal(
    (await client.tickets.update(created.id, { admin_id: Number(ADMIN), assignee_id: TEAM })).team_assignee_id,
    TEAM,
  );
  const unassigned = await client.tickets.update(created.id, { admin_id: Number(ADMIN), assignee_id: '0' });
  assert.deepEqual([unassigned.admin_assignee_id, unassigned.team_assignee_id], ['0', '0']);
  const waiting = states.find((s) => s.category === 'waiting_on_customer')!;
  assert.equal(
    (await client.tickets.update(created.id, { ticket_state_id: waiting.id })).ticket_state?.category,
    'waiting_on_customer',
  );
  const closed = await client.tickets.update(created.id, { open: false });
  assert.deepEqual(
    [closed.open, closed.ticket_state?.category, closed.previous_ticket_state_id],
    [false, 'resolved', waiting.id],
  );
  const got = await client.tickets.get(created.id);
  assert.equal(got.ticket_parts?.ticket_parts?.length, 3);

  // Search, and the create lookup through it.
  const found = await collect(client.tickets.search({ field: 'contact_ids', operator: '=', value: contact.id }));
  assert.deepEqual(
    found.map((x) => x.id),
    [created.id],
  );
  const ticketLookup = await resolve({
    kind: 'ticket',
    contact: { external_id: 'st-9' },
    ticket_type_id: type.id,
    created_at: 1_600_000_000,
    title: 'Cannot log in',
    sent_at: 0,
  });
  assert.equal(ticketLookup.applied && ticketLookup.id, created.id);
  assert.deepEqual(
    await resolve({
      kind: 'ticket',
      contact: { id: contact.id },
      ticket_type_id: type.id,
      created_at: 1_600_000_001,
      sent_at: 0,
    }),
    { applied: false },
  );

  // Delete, then 404.
  assert.deepEqual(await client.tickets.delete(created.id), { id: created.id, object: 'ticket', deleted: true });
  const gone = await client.tickets.get(created.id).catch((e: unknown) => e);
  assert.ok(gone instanceof NotFoundError, String(gone));
});

/** A sandbox that drops the answers the rules name (the write applied), a client on it, and settle options for lookups. */
async function droppingSandbox(t: TestContext, rules: { method: string; pathRegex: string; nth: number }[]) {
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'st2ic-tickets-')), 'faults.json');
  writeFileSync(script, JSON.stringify(rules.map((match) => ({ match, fault: 'drop' }))));
  const sandbox = await startSandbox({ port: 0, searchLagMs: 0, faults: `script:${script}` });
  t.after(() => sandbox.close());
  const client = new IntercomClient({
    token: sandbox.token,
    baseUrl: sandbox.url,
    timeoutMs: 5_000,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  const options = {
    searchSettleMs: 300,
    readSettleMs: 100,
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))),
  };
  return { sandbox, client, options };
}

test('a ticket create and a ticket reply whose answers are lost are each applied once', async (t) => {
  const { sandbox, client, options } = await droppingSandbox(t, [
    { method: 'POST', pathRegex: '^/tickets$', nth: 1 },
    { method: 'POST', pathRegex: '^/tickets/[0-9]+/reply$', nth: 1 },
  ]);
  const contact = await client.contacts.create({ role: 'user', email: 'eli@example.com' });
  const type = await client.ticketTypes.create({ name: 'Support request' });

  const create = () =>
    client.tickets.create({
      ticket_type_id: type.id,
      contacts: [{ email: 'eli@example.com' }],
      created_at: 1_600_000_000,
      ticket_attributes: { _default_title_: 'Lost answer' },
    });
  const ticket = await writeAtMostOnce(client, create, options);
  assert.equal(ticket.outcome, 'existing', 'the dropped create was found, not sent again');
  const tickets = Object.values(sandbox.state().tickets);
  assert.deepEqual(
    tickets.map((x) => [x.id, x.contact_ids]),
    [[ticket.outcome === 'existing' ? ticket.id : '', [contact.id]]],
  );

  const reply = () =>
    client.tickets.replyAsAdmin(tickets[0]!.id, {
      message_type: 'comment',
      type: 'admin',
      admin_id: ADMIN,
      body: 'once',
      created_at: 1_600_000_100,
    });
  assert.equal((await writeAtMostOnce(client, reply, options)).outcome, 'existing');
  assert.equal(sandbox.state().tickets[tickets[0]!.id]?.parts.length, 1);
  assert.equal(sandbox.requests().filter((r) => r.fault === 'drop').length, 2, 'both answers were lost');
});

test('two tickets of one contact, type, moment and title: a lost create is told apart by the text attributes it sent (the source key), in the client and from the journal', async (t) => {
  // The second create is applied and its answer lost.
  const { sandbox, client, options } = await droppingSandbox(t, [{ method: 'POST', pathRegex: '^/tickets$', nth: 2 }]);
  const contact = await client.contacts.create({ role: 'user', email: 'twins@example.com' });
  const type = await client.ticketTypes.create({ name: 'Support request' });
  await client.ticketTypes.createAttribute(type.id, {
    name: 'st2ic_source_key',
    description: 'source key',
    data_type: 'string',
  });
  const create = (key: string) => () =>
    client.tickets.create({
      ticket_type_id: type.id,
      contacts: [{ id: contact.id }],
      created_at: 1_600_000_000,
      ticket_attributes: { _default_title_: 'Same subject', st2ic_source_key: key },
    });
  const first = await writeAtMostOnce(client, create('ticket:1'), options);
  assert.equal(first.outcome, 'created');
  const second = await writeAtMostOnce(client, create('ticket:2'), options);
  assert.equal(second.outcome, 'existing', 'the lost create was looked up');
  const byKey = new Map(
    Object.values(sandbox.state().tickets).map((x) => [x.ticket_attributes.st2ic_source_key, x.id]),
  );
  assert.equal(byKey.size, 2, 'two tickets, none written twice');
  assert.equal(
    second.outcome === 'existing' ? second.id : '',
    byKey.get('ticket:2'),
    'the lookup found the second one',
  );

  // From the journal alone (after a crash): the same lookup key, with and without the source key.
  const intent = (sourceKey?: string) =>
    IntentEntry.parse({
      v: LEDGER_FORMAT,
      type: 'intent',
      seq: 1,
      at: '2026-11-28T12:00:00.000Z',
      runId: '20261128T120000000Z-full-abcd',
      op: 'create',
      objectType: 'tickets',
      sourceId: '2',
      target: { resource: 'ticket', description: 'POST /tickets for ticket 2' },
      lookup: {
        by: 'ticket',
        contactId: contact.id,
        createdAt: 1_600_000_000,
        ticketTypeId: type.id,
        ...(sourceKey ? { sourceKey } : {}),
      },
    });
  const decide = (sourceKey?: string) =>
    decidePending(client, intent(sourceKey), { clock: testClock, searchSettleMs: 0 });
  assert.deepEqual(await decide('ticket:2'), { result: 'applied', intercomId: byKey.get('ticket:2') });
  assert.deepEqual(await decide('ticket:3'), { result: 'not-applied' });
});
