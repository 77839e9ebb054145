import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createUser, sandboxWithClient } from './sandbox-helpers';

test('sandbox companies: upsert by company_id; listed only once a contact is attached; delete archives and detaches', async (t) => {
  let now = Date.parse('2026-03-01T10:00:00Z');
  const { sandbox, call } = await sandboxWithClient({ clock: { now: () => new Date(now) } });
  t.after(() => sandbox.close());
  const created = await call('POST', '/companies', {
    company_id: 'acme-1',
    name: 'Acme',
    remote_created_at: 1_400_000_000,
    monthly_spend: 99.9,
  });
  assert.equal(created.status, 200);
  assert.match(created.body.id, /^[0-9a-f]{24}$/);
  assert.equal(created.body.monthly_spend, 99, 'floats are truncated');
  const updated = await call('POST', '/companies', { company_id: 'acme-1', plan: 'pro' });
  assert.equal(updated.body.id, created.body.id);
  assert.equal(updated.body.name, 'Acme');
  assert.equal(
    (await call('POST', '/companies', { company_id: 'x', test: 1 })).body.errors[0].message,
    "bad 'test' parameter",
  );

  assert.equal((await call('GET', '/companies')).body.total_count, 0, 'not listed without contacts');
  assert.equal((await call('GET', '/companies?company_id=acme-1')).body.data[0].id, created.body.id);

  const contactId = await createUser(call, { email: 'emp@acme.example' });
  assert.equal(
    (await call('POST', `/contacts/${contactId}/companies`, {})).body.errors[0].message,
    'company not specified',
  );
  const attached = await call('POST', `/contacts/${contactId}/companies`, { id: created.body.id });
  assert.equal(attached.body.user_count, 1);
  const listed = await call('GET', '/companies');
  assert.deepEqual(
    listed.body.data.map((c: { id: string }) => c.id),
    [created.body.id],
  );
  assert.equal((await call('GET', `/companies/${created.body.id}/contacts`)).body.data[0].id, contactId);

  const deleted = await call('DELETE', `/companies/${created.body.id}`);
  assert.deepEqual(deleted.body, { id: created.body.id, object: 'company', deleted: true });
  // Intercom archives asynchronously: until the archive lag has passed, the company is still there.
  assert.equal((await call('GET', `/companies/${created.body.id}`)).status, 200, 'accepted, not yet archived');
  now += 2_000;
  assert.equal((await call('GET', `/companies/${created.body.id}`)).status, 404, 'archived once the lag has passed');
  assert.equal(sandbox.state().companies[created.body.id]?.archived, true, 'the record stays, archived');
  assert.equal((await call('GET', '/companies')).body.total_count, 0);
  assert.deepEqual((await call('GET', `/contacts/${contactId}`)).body.companies.data, [], 'contacts are detached');
});

test('sandbox company archive: a second DELETE in the lag answers the same; an upsert in the lag does not cancel the queued archive; archiveLagMs 0 archives at once', async (t) => {
  let now = Date.parse('2026-03-01T10:00:00Z');
  const { sandbox, call } = await sandboxWithClient({ clock: { now: () => new Date(now) }, archiveLagMs: 5_000 });
  t.after(() => sandbox.close());
  const company = (await call('POST', '/companies', { company_id: 'queued-1', name: 'Queued' })).body;
  const contactId = await createUser(call, { email: 'q@queued.example' });
  await call('POST', `/contacts/${contactId}/companies`, { id: company.id });
  assert.equal((await call('DELETE', `/companies/${company.id}`)).body.deleted, true);
  now += 3_000;
  assert.equal(
    (await call('DELETE', `/companies/${company.id}`)).body.deleted,
    true,
    'still there: a second delete is accepted too',
  );
  assert.equal(
    (await call('POST', '/companies', { company_id: 'queued-1', plan: 'gold' })).body.id,
    company.id,
    'the upsert finds the company still there',
  );
  assert.equal(
    (await call('GET', `/contacts/${contactId}`)).body.companies.data.length,
    1,
    'its contact is still attached',
  );
  now += 2_000; // 5 s after the first DELETE: the queued archive runs, the upsert notwithstanding
  assert.equal((await call('GET', `/companies/${company.id}`)).status, 404);
  assert.deepEqual(
    (await call('GET', `/contacts/${contactId}`)).body.companies.data,
    [],
    'archiving detaches the contact',
  );

  const { sandbox: atOnce, call: callAtOnce } = await sandboxWithClient({ archiveLagMs: 0 });
  t.after(() => atOnce.close());
  const other = (await callAtOnce('POST', '/companies', { company_id: 'now-1' })).body;
  await callAtOnce('DELETE', `/companies/${other.id}`);
  assert.equal(atOnce.state().companies[other.id]?.archived, true);
});

test('sandbox tags: create is idempotent by name; tagging contacts and companies; delete refused while a segment uses the tag', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const tag = (await call('POST', '/tags', { name: 'VIP' })).body;
  assert.match(tag.id, /^[0-9]+$/);
  assert.equal((await call('POST', '/tags', { name: 'vip' })).body.id, tag.id, 'names are case-insensitive');
  const contactId = await createUser(call, { email: 'tagged@example.com' });
  assert.equal((await call('POST', `/contacts/${contactId}/tags`, { id: tag.id })).body.name, 'VIP');
  const company = (await call('POST', '/companies', { company_id: 'c-1' })).body;
  const tagged = await call('POST', '/tags', { name: 'VIP', companies: [{ company_id: 'c-1' }] });
  assert.deepEqual(
    tagged.body.companies.map((c: { id: string; tagged: boolean }) => [c.id, c.tagged]),
    [[company.id, true]],
  );
  const untagged = await call('POST', '/tags', { name: 'VIP', companies: [{ id: company.id, untag: true }] });
  assert.equal(untagged.body.companies[0].tagged, false);
  assert.equal((await call('POST', '/tags', { name: 'VIP', users: [{ id: '0123456789abcdef01234567' }] })).status, 404);

  const segment = await fetch(`${sandbox.url}/__sandbox/segments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sandbox.token}` },
    body: JSON.stringify({ name: 'Big spenders', tag_ids: [tag.id] }),
  });
  assert.equal(segment.status, 200);
  const refused = await call('DELETE', `/tags/${tag.id}`);
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body.errors, [
    {
      code: 'tag_has_dependent_objects',
      message: 'Unable to delete Tag with dependent objects. Segments: Big spenders.',
    },
  ]);
  const other = (await call('POST', '/tags', { name: 'temp' })).body;
  assert.equal((await call('DELETE', `/tags/${other.id}`)).status, 200);
  assert.deepEqual(
    (await call('GET', '/tags')).body.data.map((x: { name: string }) => x.name),
    ['VIP'],
  );
});

test('sandbox data attributes: name rules, uniqueness across models, options, archive-only, the 250 cap', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ rateLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  const create = (name: string, model = 'contact', extra: Record<string, unknown> = {}) =>
    call('POST', '/data_attributes', { name, model, data_type: 'string', ...extra });
  const invalid = await create('!nv@l!d n@me', 'company');
  assert.deepEqual(invalid.body.errors, [
    {
      code: 'parameter_invalid',
      message: 'Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens',
    },
  ]);
  assert.equal((await create('The One Ring', 'company')).status, 200);
  const duplicate = await create('The One Ring', 'contact');
  assert.equal(
    duplicate.body.errors[0].message,
    "You already have 'The One Ring' in your company data. To save this as new people data, use a different name.",
  );
  assert.equal((await create('email')).status, 400, 'standard attribute names are taken');
  assert.equal(
    (await create('x', 'ticket')).body.errors[0].message,
    'The Data Attribute model field must be either contact or company',
  );
  assert.equal(
    (await call('POST', '/data_attributes', { name: 'y', model: 'contact', data_type: 'mithril' })).body.errors[0]
      .message,
    "Data Type isn't an option",
  );
  assert.equal((await create('tier', 'contact', { data_type: 'options', options: [{ value: 'gold' }] })).status, 400);
  const tier = await create('tier', 'contact', {
    data_type: 'options',
    options: [{ value: 'gold' }, { value: 'silver' }],
  });
  assert.equal(tier.status, 200);
  assert.equal(tier.body.full_name, 'custom_attributes.tier');
  assert.equal(typeof tier.body.id, 'number');
  assert.equal((await call('DELETE', `/data_attributes/${tier.body.id}`)).status, 404, 'no delete, archive only');
  assert.equal((await call('GET', '/data_attributes?model=conversation')).status, 422);

  for (let i = 0; i < 248; i++) assert.equal((await create(`attr-${i}`)).status, 200);
  const over = await create('one-too-many');
  assert.equal(over.status, 400);
  assert.match(over.body.errors[0].message, /250/);
  const archived = await call('PUT', `/data_attributes/${tier.body.id}`, { archived: true });
  assert.equal(archived.body.archived, true);
  assert.equal((await create('one-too-many')).status, 200, 'archiving frees a slot');
  assert.equal((await create('tier')).status, 400, 'archived names stay taken');
  const listed = await call('GET', '/data_attributes?model=contact');
  assert.ok(listed.body.data.some((a: { name: string; custom: boolean }) => a.name === 'email' && !a.custom));
  assert.ok(!listed.body.data.some((a: { name: string }) => a.name === 'tier'));
});

test('sandbox help center: collections with parents, articles with draft/published state', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  assert.equal(
    (await call('POST', '/help_center/collections', {})).body.errors[0].message,
    'Name is a required parameter.',
  );
  const billing = (await call('POST', '/help_center/collections', { name: 'Billing', parent_id: null })).body;
  assert.equal(billing.help_center_id, 101);
  const section = (await call('POST', '/help_center/collections', { name: 'Invoices', parent_id: billing.id })).body;
  assert.equal(section.parent_id, billing.id);
  const article = await call('POST', '/articles', {
    title: 'Pay',
    author_id: 991267001,
    body: '<p>x</p>',
    parent_id: Number(section.id),
    parent_type: 'collection',
  });
  assert.equal(article.status, 200);
  assert.equal(article.body.state, 'draft');
  assert.deepEqual(article.body.parent_ids, [Number(section.id), Number(billing.id)]);
  assert.equal((await call('POST', '/articles', { title: 'No author' })).status, 400);
  const published = await call('PUT', `/articles/${article.body.id}`, { state: 'published' });
  assert.equal(published.body.state, 'published');
  assert.ok(published.body.url);
  assert.deepEqual((await call('DELETE', `/articles/${article.body.id}`)).body, {
    id: article.body.id,
    object: 'article',
    deleted: true,
  });
  assert.deepEqual((await call('DELETE', `/help_center/collections/${billing.id}`)).body, {
    id: billing.id,
    object: 'collection',
    deleted: true,
  });
  assert.equal((await call('GET', `/help_center/collections/${section.id}`)).body.parent_id, null);
});

test('sandbox custom objects: create-or-update by external_id for seeded types, get and delete', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const created = await call('POST', '/custom_object_instances/Call', {
    external_id: 'call-1',
    external_created_at: 1_600_000_000,
    custom_attributes: { duration: '60' },
  });
  assert.equal(created.status, 200);
  assert.equal(created.body.type, 'Call');
  const again = await call('POST', '/custom_object_instances/Call', {
    external_id: 'call-1',
    custom_attributes: { outcome: 'ok' },
  });
  assert.equal(again.body.id, created.body.id);
  assert.deepEqual(again.body.custom_attributes, { duration: '60', outcome: 'ok' });
  assert.equal((await call('GET', '/custom_object_instances/Call?external_id=call-1')).body.id, created.body.id);
  assert.equal((await call('GET', `/custom_object_instances/Call/${created.body.id}`)).body.external_id, 'call-1');
  assert.deepEqual((await call('DELETE', '/custom_object_instances/Call?external_id=call-1')).body, {
    id: created.body.id,
    object: 'Call',
    deleted: true,
  });
  assert.equal((await call('GET', '/custom_object_instances/Call?external_id=call-1')).status, 404);
});

test('sandbox responses: fields 2.16 declares without nullable are absent, not null; pages.next follows the schema', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const company = await call('POST', '/companies', { company_id: 'n-1', name: 'No Size' });
  for (const key of ['size', 'website', 'industry', 'remote_created_at', 'last_request_at'])
    assert.equal(key in company.body, false, `company.${key}`);
  const contact = await call('POST', '/contacts', { role: 'user', email: 'nulls@example.com' });
  for (let i = 0; i < 3; i++) {
    const other = await call('POST', '/companies', { company_id: `n-${i + 2}` });
    await call('POST', `/contacts/${contact.body.id}/companies`, { id: other.body.id });
  }
  const firstPage = await call('GET', '/companies?per_page=2');
  assert.deepEqual(
    firstPage.body.pages.next,
    { page: 2, per_page: 2, starting_after: null },
    'an object, as cursor_pages declares',
  );
  assert.equal((await call('GET', '/companies?per_page=2&page=2')).body.pages.next, null);
  const created = await call('POST', '/conversations', { from: { type: 'user', id: contact.body.id }, body: 'hi' });
  const conversation = await call('GET', `/conversations/${created.body.conversation_id}`);
  assert.deepEqual(
    Object.entries(conversation.body.statistics).filter(([, v]) => v === null),
    [],
  );
  const attribute = await call('POST', '/data_attributes', {
    name: 'plan tier',
    model: 'contact',
    data_type: 'string',
  });
  assert.equal('admin_id' in attribute.body, false);
});
