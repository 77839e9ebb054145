import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createUser, sandboxWithClient } from './sandbox-helpers';

test('sandbox contacts: users are unique by email and external_id, archived included; the 409 names the id', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const id = await createUser(call, { email: 'ann@example.com', external_id: 'st-1' });
  assert.match(id, /^[0-9a-f]{24}$/);

  const byEmail = await call('POST', '/contacts', { role: 'user', email: 'ANN@example.com' });
  assert.equal(byEmail.status, 409);
  assert.equal(byEmail.body.type, 'error.list');
  assert.deepEqual(byEmail.body.errors, [
    { code: 'conflict', message: `A contact matching those details already exists with id=${id}` },
  ]);

  const byExternal = await call('POST', '/contacts', { external_id: 'st-1' });
  assert.equal(byExternal.status, 409);

  assert.equal((await call('POST', `/contacts/${id}/archive`)).body.archived, true);
  const archived = await call('POST', '/contacts', { role: 'user', external_id: 'st-1' });
  assert.equal(archived.status, 409);
  assert.equal(
    archived.body.errors[0].message,
    `An archived contact matching those details already exists with id=${id}`,
  );
});

test('sandbox contacts: leads are exempt from the uniqueness check', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  await createUser(call, { email: 'shared@example.com' });
  const lead1 = await call('POST', '/contacts', { role: 'lead', email: 'shared@example.com' });
  const lead2 = await call('POST', '/contacts', { role: 'lead', email: 'shared@example.com' });
  assert.equal(lead1.status, 200);
  assert.equal(lead2.status, 200);
  assert.notEqual(lead1.body.id, lead2.body.id);
  assert.equal(lead1.body.role, 'lead');
});

test('sandbox contacts: validation errors use the error list with a code and a message naming the field', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const badEmail = await call('POST', '/contacts', { role: 'user', email: 'not-an-email' });
  assert.equal(badEmail.status, 400);
  assert.equal(badEmail.body.errors[0].code, 'parameter_invalid');
  assert.equal(badEmail.body.errors[0].field, 'email');
  assert.match(badEmail.body.errors[0].message, /not-an-email/);

  const wrongType = await call('POST', '/contacts', {
    role: 'user',
    email: 'a@example.com',
    signed_up_at: 'yesterday',
  });
  assert.equal(wrongType.status, 400);
  assert.match(wrongType.body.errors[0].message, /signed_up_at/);

  const unknownAttribute = await call('POST', '/contacts', {
    role: 'user',
    email: 'b@example.com',
    custom_attributes: { source_id: '1' },
  });
  assert.equal(unknownAttribute.status, 400);
  assert.match(unknownAttribute.body.errors[0].message, /source_id/);

  assert.equal(
    (await call('POST', '/data_attributes', { name: 'source_id', model: 'contact', data_type: 'string' })).status,
    200,
  );
  const known = await call('POST', '/contacts', {
    role: 'user',
    email: 'b@example.com',
    custom_attributes: { source_id: '1' },
  });
  assert.equal(known.status, 200);
  assert.deepEqual(known.body.custom_attributes, { source_id: '1' });

  const oversize = await call('PUT', `/contacts/${known.body.id}`, {
    custom_attributes: { source_id: 'x'.repeat(256) },
  });
  assert.equal(oversize.status, 400);
  assert.match(oversize.body.errors[0].message, /255/);
  const mistyped = await call('PUT', `/contacts/${known.body.id}`, { custom_attributes: { source_id: 12 } });
  assert.equal(mistyped.status, 400);
});

test('sandbox contacts: find_by_external_id finds users only, search, list and delete', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const id = await createUser(call, { email: 'u@example.com', external_id: 'ext-9', name: 'Una' });
  await call('POST', '/contacts', { role: 'lead', external_id: 'lead-ext', email: 'l@example.com' });
  assert.equal((await call('GET', '/contacts/find_by_external_id/ext-9')).body.id, id);
  assert.equal((await call('GET', '/contacts/find_by_external_id/lead-ext')).status, 404);

  const search = await call('POST', '/contacts/search', {
    query: {
      operator: 'AND',
      value: [
        { field: 'role', operator: '=', value: 'user' },
        { field: 'email', operator: '~', value: 'example' },
      ],
    },
  });
  assert.equal(search.status, 200);
  assert.deepEqual(
    search.body.data.map((c: { id: string }) => c.id),
    [id],
  );

  const inSearch = await call('POST', '/contacts/search', {
    query: { field: 'external_id', operator: 'IN', value: ['ext-9', 'lead-ext'] },
  });
  assert.equal(inSearch.body.total_count, 2);

  for (let i = 0; i < 3; i++) await createUser(call, { external_id: `page-${i}` });
  const page1 = await call('GET', '/contacts?per_page=2');
  assert.equal(page1.body.data.length, 2);
  assert.ok(page1.body.pages.next.starting_after);
  const page2 = await call('GET', `/contacts?per_page=2&starting_after=${page1.body.pages.next.starting_after}`);
  assert.equal(page2.body.data.length, 2);
  assert.notEqual(page2.body.data[0].id, page1.body.data[0].id);

  const deleted = await call('DELETE', `/contacts/${id}`);
  assert.deepEqual(deleted.body, { type: 'contact', id, external_id: 'ext-9', deleted: true });
  assert.equal((await call('GET', `/contacts/${id}`)).status, 404);
});

test('sandbox contacts: search lag hides new contacts from search, not from direct reads', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ searchLagMs: 60_000 });
  t.after(() => sandbox.close());
  const id = await createUser(call, { email: 'late@example.com' });
  const search = await call('POST', '/contacts/search', {
    query: { field: 'email', operator: '=', value: 'late@example.com' },
  });
  assert.equal(search.body.total_count, 0);
  assert.equal((await call('GET', `/contacts/${id}`)).status, 200);
  const conflict = await call('POST', '/contacts', { role: 'user', email: 'late@example.com' });
  assert.equal(conflict.status, 409, 'search lag never weakens the uniqueness rule');
});

test('sandbox contacts: tags, unarchive, search on custom attributes and dates, lead to user conversion checks uniqueness', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  await call('POST', '/data_attributes', { name: 'tier', model: 'contact', data_type: 'integer' });
  const id = await createUser(call, { email: 'x@example.com', custom_attributes: { tier: 3 } });
  const tag = (await call('POST', '/tags', { name: 'imported' })).body;
  assert.equal((await call('POST', `/contacts/${id}/tags`, { id: tag.id })).status, 200);
  assert.deepEqual(
    (await call('GET', `/contacts/${id}/tags`)).body.data.map((x: { name: string }) => x.name),
    ['imported'],
  );
  assert.equal((await call('GET', `/contacts/${id}`)).body.tags.total_count, 1);
  assert.equal((await call('DELETE', `/contacts/${id}/tags/${tag.id}`)).status, 200);

  const today = Math.floor(Date.now() / 1000);
  const byAttr = await call('POST', '/contacts/search', {
    query: {
      operator: 'OR',
      value: [
        { field: 'custom_attributes.tier', operator: '>', value: 2 },
        { field: 'email', operator: '=', value: 'none@example.com' },
      ],
    },
  });
  assert.equal(byAttr.body.total_count, 1);
  assert.equal(
    (await call('POST', '/contacts/search', { query: { field: 'created_at', operator: '=', value: today } })).body
      .total_count,
    1,
    'dates match by day',
  );
  assert.equal(
    (await call('POST', '/contacts/search', { query: { field: 'created_at', operator: '!=', value: today } })).status,
    400,
    '!= is not supported on dates',
  );
  assert.equal(
    (await call('POST', '/contacts/search', { query: { field: 'shoe_size', operator: '=', value: 1 } })).status,
    400,
  );

  await call('POST', `/contacts/${id}/archive`);
  assert.equal(
    (await call('POST', '/contacts/search', { query: { field: 'email', operator: '=', value: 'x@example.com' } })).body
      .total_count,
    0,
  );
  assert.equal((await call('POST', `/contacts/${id}/unarchive`)).body.archived, false);

  const lead = (await call('POST', '/contacts', { role: 'lead', email: 'x@example.com' })).body;
  const promote = await call('PUT', `/contacts/${lead.id}`, { role: 'user' });
  assert.equal(promote.status, 409);
  assert.match(promote.body.errors[0].message, new RegExp(`id=${id}$`));
});
