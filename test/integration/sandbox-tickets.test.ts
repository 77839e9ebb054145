import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

import type { RunningSandbox } from '../../src/sandbox/index';
import { type Client, createUser, sandboxWithClient } from './sandbox-helpers';

// With INTERCOM_OPENAPI set every request here is also checked against 2.16 (and every answer, on close).
const described = process.env.INTERCOM_OPENAPI;
const openapiPath = described && existsSync(described) ? described : '';

/** A clock the test moves: search lag and stamps never depend on today's date. */
function movableClock(startMs: number) {
  let ms = startMs;
  return { clock: { now: () => new Date(ms) }, advance: (byMs: number) => void (ms += byMs) };
}

const NOW_MS = Date.UTC(2026, 0, 15, 12);
const ADMIN = '991267001';
const TEAM = '5002';

async function ok(call: Client, method: string, path: string, body?: unknown) {
  const r = await call(method, path, body);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function errorOf(call: Client, method: string, path: string, body?: unknown) {
  const r = await call(method, path, body);
  return {
    status: r.status,
    code: r.body?.errors?.[0]?.code as string | undefined,
    message: r.body?.errors?.[0]?.message as string | undefined,
  };
}

/** No ticket request was refused by the OpenAPI description (the checks only run when it is loaded). */
function assertSpecValidTicketTraffic(sandbox: RunningSandbox): void {
  const refused = sandbox.requests().filter((r) => /^\/ticket/.test(r.path) && r.validationErrors);
  assert.deepEqual(
    refused.map((r) => `${r.method} ${r.path}: ${JSON.stringify(r.validationErrors)}`),
    [],
  );
}

test('ticket types: default attributes, custom attributes with list items, unique names, archiving; states per category', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ openapiPath });
  t.after(() => sandbox.close());
  const type = await ok(call, 'POST', '/ticket_types', {
    name: 'Support request',
    description: 'From SmarterTrack',
    category: 'Customer',
  });
  assert.deepEqual(
    type.ticket_type_attributes.data.map((a: { name: string }) => a.name),
    ['_default_title_', '_default_description_'],
  );
  assert.equal(type.ticket_states.data.length, 4, 'customer types have all four state categories');
  assert.equal(
    (await errorOf(call, 'POST', '/ticket_types', { name: 'support REQUEST' })).code,
    'parameter_invalid',
    'names are unique',
  );

  const priority = await ok(call, 'POST', `/ticket_types/${type.id}/attributes`, {
    name: 'Priority',
    description: 'Source priority',
    data_type: 'list',
    list_items: 'Low,Normal,High',
    required_to_create: true,
  });
  assert.deepEqual(
    priority.input_options.list_options.map((o: { label: string }) => o.label),
    ['Low', 'Normal', 'High'],
  );
  assert.ok(priority.input_options.list_options.every((o: { id: string }) => /^\d+$/.test(o.id)));
  assert.equal(priority.ticket_type_id, Number(type.id));
  const renamed = await ok(call, 'PUT', `/ticket_types/${type.id}/attributes/${priority.id}`, {
    list_items: 'Low,High,Urgent',
  });
  const labels = Object.fromEntries(
    renamed.input_options.list_options.map((o: { label: string; archived: boolean }) => [o.label, o.archived]),
  );
  assert.deepEqual(
    labels,
    { Low: false, High: false, Urgent: false, Normal: true },
    'a dropped item is archived, kept items keep their ids',
  );
  const archivedAttr = await ok(call, 'POST', `/ticket_types/${type.id}/attributes`, {
    name: 'Legacy',
    description: 'x',
    data_type: 'string',
  });
  assert.equal(
    (await ok(call, 'PUT', `/ticket_types/${type.id}/attributes/${archivedAttr.id}`, { archived: true })).archived,
    true,
  );

  const backOffice = await ok(call, 'POST', '/ticket_types', { name: 'Internal task', category: 'Back-office' });
  assert.deepEqual(
    backOffice.ticket_states.data.map((s: { category: string }) => s.category),
    ['submitted', 'in_progress', 'resolved'],
  );
  const states = await ok(call, 'GET', '/ticket_states');
  const waiting = states.data.find((s: { category: string }) => s.category === 'waiting_on_customer');
  assert.deepEqual(
    waiting.ticket_types.data.map((x: { id: string }) => x.id),
    [type.id],
  );

  const archived = await ok(call, 'PUT', `/ticket_types/${backOffice.id}`, { archived: true });
  assert.equal(archived.archived, true);
  assert.equal((await ok(call, 'GET', `/ticket_types/${backOffice.id}`)).archived, true);
  assert.equal((await ok(call, 'GET', '/ticket_types')).data.length, 2, 'archived types stay listed');
  assert.equal((await call('DELETE', `/ticket_types/${type.id}`)).status, 404, 'there is no delete');
  assertSpecValidTicketTraffic(sandbox);
});

test('tickets: create with original created_at and attributes, replies and notes, tags, assignment, states, search after the lag, delete', async (t) => {
  const { clock, advance } = movableClock(NOW_MS);
  const { sandbox, call } = await sandboxWithClient({ openapiPath, clock, searchLagMs: 3_000 });
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'ann@example.com', external_id: 'st-7' });
  const type = await ok(call, 'POST', '/ticket_types', { name: 'Support request', category: 'Customer' });
  const priority = await ok(call, 'POST', `/ticket_types/${type.id}/attributes`, {
    name: 'Priority',
    description: 'p',
    data_type: 'list',
    list_items: 'Low,High',
    required_to_create: true,
  });
  const count = await ok(call, 'POST', `/ticket_types/${type.id}/attributes`, {
    name: 'Source id',
    description: 'SmarterTrack id',
    data_type: 'integer',
  });
  const high = priority.input_options.list_options[1].id as string;

  const created = await ok(call, 'POST', '/tickets', {
    ticket_type_id: type.id,
    contacts: [{ external_id: 'st-7' }],
    created_at: 1_600_000_000,
    skip_notifications: true,
    ticket_attributes: {
      _default_title_: 'Printer on fire',
      _default_description_: 'It burns',
      Priority: high,
      'Source id': 42,
    },
    assignment: { admin_assignee_id: ADMIN },
  });
  assert.equal(created.type, 'ticket');
  assert.notEqual(created.id, created.ticket_id, 'the path id is not the inbox number');
  assert.equal(created.created_at, 1_600_000_000);
  assert.deepEqual(created.ticket_attributes, {
    _default_title_: 'Printer on fire',
    _default_description_: 'It burns',
    Priority: 'High',
    'Source id': 42,
  });
  assert.equal(created.ticket_state.category, 'submitted');
  assert.deepEqual(
    created.contacts.contacts.map((c: { id: string }) => c.id),
    [contactId],
  );
  assert.equal(created.admin_assignee_id, Number(ADMIN));
  assert.equal(created.open, true);

  const company = await ok(call, 'POST', '/companies', { company_id: 'acme', name: 'Acme' });
  const byEmail = await ok(call, 'POST', '/tickets', {
    ticket_type_id: type.id,
    contacts: [{ email: 'new@example.com' }],
    ticket_attributes: { Priority: 'Low' },
    company_id: company.id,
  });
  assert.equal(sandbox.state().tickets[byEmail.id]?.company_id, company.id);
  const newContact = sandbox.state().contacts[byEmail.contacts.contacts[0].id];
  assert.equal(newContact?.email, 'new@example.com', 'an unknown email creates a contact');

  const id = created.id as string;
  const comment = await ok(call, 'POST', `/tickets/${id}/reply`, {
    message_type: 'comment',
    type: 'admin',
    admin_id: ADMIN,
    body: 'We are on it',
    created_at: 1_600_000_100,
    attachment_files: [{ name: 'log.txt', content_type: 'text/plain', data: Buffer.from('smoke').toString('base64') }],
  });
  assert.equal(comment.type, 'ticket_part');
  assert.equal(comment.part_type, 'comment');
  assert.equal(comment.created_at, 1_600_000_100);
  assert.equal(comment.body, '<p>We are on it</p>');
  assert.equal(comment.attachments[0].name, 'log.txt');
  assert.equal(await (await fetch(comment.attachments[0].url)).text(), 'smoke', 'the file is served');
  const note = await ok(call, 'POST', `/tickets/${id}/reply`, {
    message_type: 'note',
    type: 'admin',
    admin_id: ADMIN,
    body: 'internal',
    created_at: 1_600_000_200,
  });
  assert.equal(note.part_type, 'note');
  const userReply = await ok(call, 'POST', `/tickets/${id}/reply`, {
    message_type: 'comment',
    type: 'user',
    email: 'ANN@example.com',
    body: 'thanks',
    created_at: 1_600_000_300,
    attachment_urls: ['https://files.example.com/a/shot.png'],
  });
  assert.deepEqual(
    [userReply.author.type, userReply.author.id, userReply.created_at],
    ['user', contactId, 1_600_000_300],
  );
  assert.equal(userReply.attachments[0].content_type, 'image/png');

  const tag = await ok(call, 'POST', '/tags', { name: 'migrated' });
  const tagged = await ok(call, 'POST', `/tickets/${id}/tags`, { id: tag.id, admin_id: ADMIN });
  assert.deepEqual([tagged.id, tagged.applied_by.id], [tag.id, ADMIN]);
  assert.deepEqual(
    sandbox.state().tickets[id]?.tags.map((x) => x.id),
    [tag.id],
  );
  await ok(call, 'DELETE', `/tickets/${id}/tags/${tag.id}`, { admin_id: ADMIN });
  assert.deepEqual(sandbox.state().tickets[id]?.tags, []);
  assert.equal(
    (await errorOf(call, 'DELETE', `/tickets/${id}/tags/${tag.id}`, { admin_id: ADMIN })).code,
    'tag_not_found',
  );
  await ok(call, 'POST', `/tickets/${id}/tags`, { id: tag.id, admin_id: ADMIN });
  assert.equal((await call('DELETE', `/tags/${tag.id}`)).status, 200);
  assert.deepEqual(sandbox.state().tickets[id]?.tags, [], 'a deleted tag leaves the tickets that carried it');

  assert.equal(
    (await ok(call, 'PUT', `/tickets/${id}`, { admin_id: Number(ADMIN), assignee_id: TEAM })).team_assignee_id,
    Number(TEAM),
  );
  const unassigned = await ok(call, 'PUT', `/tickets/${id}`, { admin_id: Number(ADMIN), assignee_id: '0' });
  assert.deepEqual([unassigned.admin_assignee_id, unassigned.team_assignee_id], [0, 0]);
  assert.equal((await errorOf(call, 'PUT', `/tickets/${id}`, { assignee_id: '424242' })).code, 'assignee_not_found');

  const inProgress = type.ticket_states.data.find((s: { category: string }) => s.category === 'in_progress');
  const moved = await ok(call, 'PUT', `/tickets/${id}`, {
    ticket_state_id: inProgress.id,
    ticket_attributes: { 'Source id': 43 },
  });
  assert.deepEqual(
    [moved.ticket_state.category, moved.previous_ticket_state_id, moved.ticket_attributes['Source id']],
    ['in_progress', created.ticket_state.id, 43],
  );
  const closed = await ok(call, 'PUT', `/tickets/${id}`, { open: false });
  assert.deepEqual([closed.open, closed.ticket_state.category], [false, 'resolved']);
  assert.equal(closed.ticket_parts.total_count, 3);

  const search = (query: unknown) => ok(call, 'POST', '/tickets/search', { query });
  const mine = { field: 'contact_ids', operator: '=', value: contactId };
  assert.equal((await search(mine)).total_count, 0, 'search lags behind the create');
  advance(3_000);
  const hits = await search({
    operator: 'AND',
    value: [
      mine,
      { field: 'created_at', operator: '>=', value: 1_600_000_000 },
      { field: 'ticket_type_id', operator: '=', value: type.id },
    ],
  });
  assert.deepEqual(
    hits.tickets.map((x: { id: string }) => x.id),
    [id],
  );
  assert.equal((await search({ field: 'state', operator: '=', value: 'resolved' })).total_count, 1);
  assert.equal((await search({ field: 'open', operator: '=', value: true })).tickets[0].id, byEmail.id);
  assert.equal((await search({ field: 'category', operator: '=', value: 'request' })).total_count, 2);
  assert.equal((await search({ field: `ticket_attribute.${count.id}`, operator: '>', value: 43 })).total_count, 1);
  assert.equal((await search({ field: 'title', operator: '~', value: 'fire' })).total_count, 1);
  assert.equal(
    (await errorOf(call, 'POST', '/tickets/search', { query: { field: 'created_at', operator: '~', value: 'x' } }))
      .code,
    'parameter_invalid',
  );

  assert.deepEqual(await ok(call, 'DELETE', `/tickets/${id}`), { id, object: 'ticket', deleted: true });
  assert.deepEqual(await errorOf(call, 'GET', `/tickets/${id}`), {
    status: 404,
    code: 'ticket_not_found',
    message: 'Ticket not found',
  });
  assert.equal((await errorOf(call, 'DELETE', `/tickets/${id}`)).code, 'ticket_not_found');
  assertSpecValidTicketTraffic(sandbox);
});

test('tickets: the documented refusals leave nothing behind', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ openapiPath });
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'bo@example.com' });
  const type = await ok(call, 'POST', '/ticket_types', { name: 'Support request', category: 'Customer' });
  await ok(call, 'POST', `/ticket_types/${type.id}/attributes`, {
    name: 'Product',
    description: 'p',
    data_type: 'string',
    required_to_create: true,
  });
  const contacts = [{ id: contactId }];

  assert.deepEqual(
    await errorOf(call, 'POST', '/tickets', {
      ticket_type_id: type.id,
      contacts,
      ticket_attributes: { _default_title_: 'x' },
    }),
    { status: 400, code: 'parameter_invalid', message: 'Missing required ticket attributes' },
  );
  assert.equal(
    (await errorOf(call, 'POST', '/tickets', { ticket_type_id: '999999', contacts })).code,
    'parameter_invalid',
    'unknown ticket type',
  );
  assert.equal(
    (
      await errorOf(call, 'POST', '/tickets', {
        ticket_type_id: type.id,
        contacts,
        ticket_attributes: { Product: 'x', Nope: 1 },
      })
    ).code,
    'parameter_invalid',
    'unknown attribute',
  );
  assert.equal(
    (
      await errorOf(call, 'POST', '/tickets', {
        ticket_type_id: type.id,
        contacts: [{ id: contactId }, { email: 'x@example.com' }],
        ticket_attributes: { Product: 'x' },
      })
    ).status,
    400,
    'one contact only',
  );

  const backOffice = await ok(call, 'POST', '/ticket_types', { name: 'Task', category: 'Back-office' });
  const task = await ok(call, 'POST', '/tickets', { ticket_type_id: backOffice.id, contacts });
  assert.deepEqual(
    await errorOf(call, 'POST', `/tickets/${task.id}/reply`, {
      message_type: 'comment',
      type: 'user',
      intercom_user_id: contactId,
      body: 'hi',
    }),
    {
      status: 400,
      code: 'parameter_mismatch',
      message: 'User replies are not allowed on Backoffice tickets',
    },
  );
  const waiting = type.ticket_states.data.find((s: { category: string }) => s.category === 'waiting_on_customer');
  assert.equal(
    (await errorOf(call, 'PUT', `/tickets/${task.id}`, { ticket_state_id: waiting.id })).code,
    'ticket_state_id_invalid',
    'a state of another category',
  );
  assert.equal(
    (await errorOf(call, 'PUT', `/tickets/${task.id}`, { ticket_state_id: '1' })).code,
    'ticket_state_id_invalid',
  );
  assert.equal(
    (
      await errorOf(call, 'POST', '/tickets/424242/reply', {
        message_type: 'note',
        type: 'admin',
        admin_id: ADMIN,
        body: 'x',
      })
    ).code,
    'not_found',
  );

  await ok(call, 'PUT', `/ticket_types/${backOffice.id}`, { archived: true });
  assert.equal(
    (await errorOf(call, 'POST', '/tickets', { ticket_type_id: backOffice.id, contacts })).message,
    'Ticket type is archived',
  );
  assert.equal(Object.keys(sandbox.state().tickets).length, 1, 'only the task was created');
  assert.equal(sandbox.state().tickets[task.id]?.parts.length, 0);
  assertSpecValidTicketTraffic(sandbox);
});

test('tickets: the 501st part is refused like a conversation part', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ rateLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'cy@example.com' });
  const type = await ok(call, 'POST', '/ticket_types', { name: 'Support request' });
  const ticket = await ok(call, 'POST', '/tickets', { ticket_type_id: type.id, contacts: [{ id: contactId }] });
  for (let i = 0; i < 500; i++)
    await ok(call, 'POST', `/tickets/${ticket.id}/reply`, {
      message_type: 'note',
      type: 'admin',
      admin_id: ADMIN,
      body: `n${i}`,
    });
  const refused = await errorOf(call, 'POST', `/tickets/${ticket.id}/reply`, {
    message_type: 'note',
    type: 'admin',
    admin_id: ADMIN,
    body: 'one more',
  });
  assert.deepEqual([refused.status, refused.code], [422, 'conversation_part_limit_reached']);
  assert.equal(sandbox.state().tickets[ticket.id]?.parts.length, 500);
});
