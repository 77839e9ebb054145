import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createUser, sandboxWithClient } from './sandbox-helpers';

const ADMIN = '991267001';

test('sandbox conversations: create returns a message whose conversation_id is the conversation; created_at honoured', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'c@example.com' });
  const created = await call('POST', '/conversations', {
    from: { type: 'user', id: contactId },
    body: 'My printer is on fire',
    created_at: 1_600_000_000,
  });
  assert.equal(created.status, 200);
  assert.equal(created.body.type, 'user_message');
  assert.equal(created.body.message_type, 'inapp');
  assert.notEqual(created.body.id, created.body.conversation_id, 'the message id is not the conversation id');
  assert.equal(
    (await call('GET', `/conversations/${created.body.id}`)).status,
    404,
    'the message id does not address the conversation',
  );

  const conversation = await call('GET', `/conversations/${created.body.conversation_id}`);
  assert.equal(conversation.status, 200);
  assert.equal(conversation.body.created_at, 1_600_000_000);
  assert.equal(
    conversation.body.source.body,
    '<p>My printer is on fire</p>',
    'stored as Intercom reports it: plain text wrapped in <p>',
  );
  assert.equal(conversation.body.source.id, created.body.id);
  assert.equal(conversation.body.admin_assignee_id, 0);
  assert.deepEqual(
    conversation.body.contacts.contacts.map((c: { id: string }) => c.id),
    [contactId],
  );

  const unknown = await call('POST', '/conversations', {
    from: { type: 'user', id: '0123456789abcdef01234567' },
    body: 'x',
  });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.errors[0].message, 'User Not Found');
});

test('sandbox conversations: replies keep created_at; close and assignment parts are stamped now', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'r@example.com' });
  const { conversation_id: id } = (
    await call('POST', '/conversations', {
      from: { type: 'user', id: contactId },
      body: 'hi',
      created_at: 1_600_000_000,
    })
  ).body;

  const userReply = await call('POST', `/conversations/${id}/reply`, {
    message_type: 'comment',
    type: 'user',
    intercom_user_id: contactId,
    body: 'more',
    created_at: 1_600_000_100,
  });
  assert.equal(userReply.status, 200);
  const adminReply = await call('POST', `/conversations/${id}/reply`, {
    message_type: 'comment',
    type: 'admin',
    admin_id: ADMIN,
    body: 'answer',
    created_at: 1_600_000_200,
    skip_notifications: true,
    attachment_files: [{ name: 'log.txt', content_type: 'text/plain', data: Buffer.from('hello').toString('base64') }],
  });
  assert.equal(adminReply.status, 200);
  const note = await call('POST', `/conversations/${id}/reply`, {
    message_type: 'note',
    type: 'admin',
    admin_id: ADMIN,
    body: '<p>internal</p>',
    created_at: 1_600_000_300,
  });
  const parts = note.body.conversation_parts.conversation_parts;
  assert.deepEqual(
    parts.map((p: { created_at: number }) => p.created_at),
    [1_600_000_100, 1_600_000_200, 1_600_000_300],
  );
  assert.deepEqual(
    parts.map((p: { part_type: string }) => p.part_type),
    ['comment', 'comment', 'note'],
  );
  assert.equal(parts[1].attachments[0].filesize, 5);

  const before = Math.floor(Date.now() / 1000);
  const assigned = await call('POST', `/conversations/${id}/parts`, {
    message_type: 'assignment',
    type: 'team',
    admin_id: ADMIN,
    assignee_id: '5001',
    created_at: 1_600_000_400,
  });
  assert.equal(assigned.status, 200);
  assert.equal(assigned.body.team_assignee_id, 5001);
  const closed = await call('POST', `/conversations/${id}/parts`, {
    message_type: 'close',
    type: 'admin',
    admin_id: ADMIN,
    created_at: 1_600_000_500,
  });
  const after = Math.floor(Date.now() / 1000);
  assert.equal(closed.body.state, 'closed');
  const [assignPart, closePart] = closed.body.conversation_parts.conversation_parts.slice(-2);
  for (const part of [assignPart, closePart]) {
    assert.ok(
      part.created_at >= before && part.created_at <= after,
      `part ${part.part_type} is stamped with the request time, not the client's`,
    );
  }
  assert.deepEqual(assignPart.assigned_to, { type: 'team', id: '5001' });
  assert.equal(closed.body.statistics.first_close_at, closePart.created_at);
});

test('sandbox conversations: the 501st part is refused', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ rateLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'cap@example.com' });
  const { conversation_id: id } = (
    await call('POST', '/conversations', { from: { type: 'user', id: contactId }, body: 'hi' })
  ).body;
  for (let i = 0; i < 500; i++) {
    const r = await call('POST', `/conversations/${id}/reply`, {
      message_type: 'note',
      type: 'admin',
      admin_id: ADMIN,
      body: `n${i}`,
    });
    assert.equal(r.status, 200);
  }
  const over = await call('POST', `/conversations/${id}/reply`, {
    message_type: 'note',
    type: 'admin',
    admin_id: ADMIN,
    body: 'one too many',
  });
  assert.equal(over.status, 422);
  assert.equal(over.body.errors[0].code, 'conversation_part_limit_reached');
  assert.equal(sandbox.state().conversations[id]?.parts.length, 500);
});

test('sandbox conversations: title and custom attributes (which must exist), tags, search and delete', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 't@example.com' });
  const { conversation_id: id } = (
    await call('POST', '/conversations', {
      from: { type: 'user', id: contactId },
      body: 'hi',
      created_at: 1_600_000_000,
    })
  ).body;

  const missing = await call('PUT', `/conversations/${id}`, {
    title: 'Subject',
    custom_attributes: { source_ticket_id: '123' },
  });
  assert.equal(missing.status, 400);
  assert.equal(
    (await call('POST', '/conversations/attributes', { name: 'source_ticket_id', data_type: 'string' })).status,
    200,
  );
  const updated = await call('PUT', `/conversations/${id}`, {
    title: 'Subject',
    custom_attributes: { source_ticket_id: '123' },
  });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.title, 'Subject');
  assert.deepEqual(updated.body.custom_attributes, { source_ticket_id: '123' });

  const tag = (await call('POST', '/tags', { name: 'migrated' })).body;
  assert.equal((await call('POST', `/conversations/${id}/tags`, { id: tag.id, admin_id: ADMIN })).status, 200);
  assert.equal((await call('GET', `/conversations/${id}`)).body.tags.tags[0].name, 'migrated');

  const search = await call('POST', '/conversations/search', {
    query: {
      operator: 'AND',
      value: [
        { field: 'contact_ids', operator: '=', value: contactId },
        { field: 'custom_attributes.source_ticket_id', operator: '=', value: '123' },
      ],
    },
  });
  assert.deepEqual(
    search.body.conversations.map((c: { id: string }) => c.id),
    [id],
  );
  const byDate = await call('POST', '/conversations/search', {
    query: { field: 'created_at', operator: '>', value: 1_599_999_999 },
  });
  assert.equal(byDate.body.total_count, 1);

  assert.equal((await call('DELETE', `/conversations/${id}/tags/${tag.id}`, { admin_id: ADMIN })).status, 200);
  assert.equal(
    (await call('DELETE', `/conversations/${id}`, undefined, { 'Intercom-Version': '2.12' })).body.errors[0].code,
    'intercom_version_invalid',
  );
  assert.deepEqual((await call('DELETE', `/conversations/${id}`)).body, { id, object: 'conversation', deleted: true });
  assert.equal((await call('GET', `/conversations/${id}`)).status, 404);
});

test('sandbox conversations: at most 10 attachments; the plan gate; search lag; replying to "last"', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ searchLagMs: 60_000 });
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'misc@example.com' });
  const { conversation_id: id } = (
    await call('POST', '/conversations', { from: { type: 'user', id: contactId }, body: 'hi' })
  ).body;
  const urls = Array.from({ length: 11 }, (_, i) => `https://files.example.com/${i}.png`);
  const tooMany = await call('POST', `/conversations/${id}/reply`, {
    message_type: 'comment',
    type: 'admin',
    admin_id: ADMIN,
    body: 'x',
    attachment_urls: urls,
  });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.errors[0].field, 'attachment_urls');
  const ten = await call('POST', `/conversations/${id}/reply`, {
    message_type: 'comment',
    type: 'admin',
    admin_id: ADMIN,
    body: 'x',
    attachment_urls: urls.slice(0, 10),
  });
  assert.equal(ten.body.conversation_parts.conversation_parts[0].attachments.length, 10);

  const hidden = await call('POST', '/conversations/search', { query: { field: 'id', operator: '=', value: id } });
  assert.equal(hidden.body.total_count, 0, 'new conversations are not searchable yet');

  const last = await call('POST', '/conversations/last/reply', {
    message_type: 'comment',
    type: 'user',
    user_id: undefined,
    email: 'misc@example.com',
    body: 'again',
  });
  assert.equal(last.status, 200);
  assert.equal(last.body.id, id);

  assert.equal(
    (
      await fetch(`${sandbox.url}/__sandbox/plan`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandbox.token}` },
        body: JSON.stringify({ restricted: true }),
      })
    ).status,
    200,
  );
  const gated = await call('GET', `/conversations/${id}`);
  assert.equal(gated.status, 403);
  assert.deepEqual(gated.body.errors, [{ code: 'api_plan_restricted', message: 'Active subscription needed.' }]);
});

test('sandbox conversations: an assignment of a closed conversation reopens it, reported as assign_and_reopen', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const contactId = await createUser(call, { email: 'reopen@example.com' });
  const created = await call('POST', '/conversations', {
    from: { type: 'user', id: contactId },
    body: 'line one\nline 2 < 3 & 4',
  });
  const id = created.body.conversation_id as string;
  await call('POST', `/conversations/${id}/parts`, { message_type: 'close', type: 'admin', admin_id: '991267001' });
  const assigned = await call('POST', `/conversations/${id}/parts`, {
    message_type: 'assignment',
    type: 'admin',
    admin_id: '991267001',
    assignee_id: '991267002',
  });
  assert.equal(assigned.body.state, 'open');
  const parts = assigned.body.conversation_parts.conversation_parts as { part_type: string }[];
  assert.deepEqual(
    parts.map((p) => p.part_type),
    ['close', 'assign_and_reopen'],
  );
  const open = await call('POST', `/conversations/${id}/parts`, {
    message_type: 'assignment',
    type: 'team',
    admin_id: '991267001',
    assignee_id: '5001',
  });
  assert.equal(
    open.body.conversation_parts.conversation_parts.at(-1).part_type,
    'assignment',
    'an open conversation keeps plain assignment',
  );
  assert.equal(open.body.source.body, '<p>line one</p><p>line 2 &lt; 3 &amp; 4</p>');
});
