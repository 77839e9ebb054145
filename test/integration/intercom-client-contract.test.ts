import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { OutcomeLookup } from '../../src/intercom';
import {
  AuthError,
  ConflictError,
  IntercomClient,
  NotFoundError,
  PlanRestrictedError,
  resolveUnknown,
  ValidationError,
} from '../../src/intercom';
import type { RunningSandbox } from '../../src/sandbox';
import { startSandbox } from '../../src/sandbox';
import { assertNoResponseErrors } from './sandbox-helpers';

// Every client call against the local sandbox. Run with INTERCOM_OPENAPI pointing at the 2.16
// description (as CI does) and the sandbox also validates each request against it. Responses are
// parsed by the client's zod schemas: a shape mismatch fails the call.

async function control(sandbox: RunningSandbox, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sandbox.url}/__sandbox/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sandbox.token}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `control ${path}`);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test('every Intercom client call works against the sandbox and parses', async (t) => {
  // The calls and their parsing, on an index without lag: the engine tests and intercom-search-witnesses meet the lag.
  const sandbox = await startSandbox({
    port: 0,
    token: 'contract-token-5b2e9c',
    rateLimitPer10s: 5000,
    searchLagMs: 0,
  });
  const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, timeoutMs: 5_000 });
  const resolve = (lookup: OutcomeLookup) => resolveUnknown(client, lookup, { searchSettleMs: 200, readSettleMs: 100 });
  t.after(() => sandbox.close());
  // With INTERCOM_OPENAPI (as in CI) every answer is also checked against its 2.16 response schema.
  t.after(() => assertNoResponseErrors(sandbox, "the sandbox's answers to the client"));
  const now = Math.floor(Date.now() / 1000);

  let adminId = '';
  let teamId = '';
  await t.test('admins and teams', async () => {
    const me = await client.admins.me();
    assert.ok(me.id);
    const admins = await client.admins.list();
    assert.ok(admins.length > 0);
    adminId = admins[0]!.id;
    assert.equal((await client.admins.get(adminId)).id, adminId);
    const teams = await client.admins.listTeams();
    assert.ok(teams.length > 0);
    teamId = teams[0]!.id;
    assert.equal((await client.admins.getTeam(teamId)).name, teams[0]!.name);
  });

  await t.test('data attributes: contact, company and conversation', async () => {
    const attr = await client.dataAttributes.create({
      name: 'source_id',
      model: 'contact',
      data_type: 'string',
      description: 'SmarterTrack id',
    });
    assert.equal(attr.name, 'source_id');
    await client.dataAttributes.create({
      name: 'tier',
      model: 'company',
      data_type: 'options',
      options: [{ value: 'gold' }, { value: 'silver' }],
    });
    const contactAttrs = await client.dataAttributes.list('contact');
    assert.ok(contactAttrs.some((a) => a.name === 'source_id'));
    const updated = await client.dataAttributes.update(attr.id!, { description: 'changed' });
    assert.equal(updated.description, 'changed');
    const dup = await client.dataAttributes
      .create({ name: 'source_id', model: 'contact', data_type: 'string' })
      .catch((e: unknown) => e);
    assert.ok(dup instanceof ValidationError, String(dup));
    const existing = await resolve({ kind: 'attribute', model: 'contact', name: 'source_id' });
    assert.equal(existing.applied && existing.id, attr.id);
    assert.deepEqual(await resolve({ kind: 'attribute', model: 'contact', name: 'never_made' }), { applied: false });
    const temp = await client.dataAttributes.create({ name: 'temp_attr', model: 'contact', data_type: 'integer' });
    assert.equal((await client.dataAttributes.archive(temp.id!)).archived, true);

    const convAttr = await client.dataAttributes.createConversationAttribute({
      name: 'source_ticket_id',
      data_type: 'string',
    });
    assert.ok((await client.dataAttributes.listConversationAttributes()).some((a) => a.id === convAttr.id));
    assert.equal(
      (await client.dataAttributes.updateConversationAttribute(convAttr.id, { description: 'ticket id' })).description,
      'ticket id',
    );
    const r = await resolve({ kind: 'conversation_attribute', name: 'source_ticket_id' });
    assert.equal(r.applied && r.id, convAttr.id);
    const tempConv = await client.dataAttributes.createConversationAttribute({
      name: 'temp_conv',
      data_type: 'integer',
    });
    assert.equal((await client.dataAttributes.archiveConversationAttribute(tempConv.id)).archived, true);
  });

  let userId = '';
  let leadId = '';
  await t.test('contacts: create, conflict, get, update, find, search, list, archive, delete', async () => {
    const user = await client.contacts.create({
      role: 'user',
      external_id: 'st-1',
      email: 'one@example.com',
      name: 'One',
      signed_up_at: now - 1000,
      custom_attributes: { source_id: '1' },
    });
    userId = user.id;
    assert.equal(user.external_id, 'st-1');
    const conflict = await client.contacts.create({ role: 'user', external_id: 'st-1' }).catch((e: unknown) => e);
    assert.ok(conflict instanceof ConflictError);
    assert.equal(conflict.existingId, userId);
    const lead = await client.contacts.create({ role: 'lead', email: 'lead@example.com' });
    leadId = lead.id;
    assert.equal((await client.contacts.get(userId)).email, 'one@example.com');
    assert.equal((await client.contacts.update(userId, { name: 'One Renamed' })).name, 'One Renamed');
    assert.equal((await client.contacts.findByExternalId('st-1'))?.id, userId);
    assert.equal(await client.contacts.findByExternalId('st-missing'), undefined);
    const found = await collect(client.contacts.search({ field: 'external_id', operator: '=', value: 'st-1' }));
    assert.deepEqual(
      found.map((c) => c.id),
      [userId],
    );
    for (let i = 2; i <= 5; i++) await client.contacts.create({ role: 'user', external_id: `st-${i}` });
    const all = await collect(client.contacts.list(2));
    assert.equal(new Set(all.map((c) => c.id)).size, 6, 'list pages through every contact once');
    const byLookup = await resolve({ kind: 'contact', external_id: 'st-1', role: 'user' });
    assert.equal(byLookup.applied && byLookup.id, userId);
    const leadLookup = await resolve({ kind: 'contact', email: 'lead@example.com', role: 'lead' });
    assert.equal(leadLookup.applied && leadLookup.id, leadId);
    assert.deepEqual(await resolve({ kind: 'contact', external_id: 'st-never' }), { applied: false });

    const spare = await client.contacts.create({ role: 'user', external_id: 'st-archive' });
    assert.equal((await client.contacts.archive(spare.id)).archived, true);
    const archivedConflict = await client.contacts
      .create({ role: 'user', external_id: 'st-archive' })
      .catch((e: unknown) => e);
    assert.ok(archivedConflict instanceof ConflictError && archivedConflict.archived);
    assert.equal((await client.contacts.unarchive(spare.id)).archived, false);
    assert.equal((await client.contacts.delete(spare.id)).deleted, true);
    assert.ok((await client.contacts.get(spare.id).catch((e: unknown) => e)) instanceof NotFoundError);
  });

  let companyId = '';
  await t.test('companies: upsert by company_id, find, attach, detach, delete', async () => {
    const company = await client.companies.createOrUpdate({
      company_id: 'org-1',
      name: 'Acme',
      remote_created_at: now - 5000,
    });
    companyId = company.id;
    const again = await client.companies.createOrUpdate({ company_id: 'org-1', name: 'Acme Ltd' });
    assert.equal(again.id, companyId, 'upsert on company_id');
    assert.equal(again.name, 'Acme Ltd');
    assert.equal((await client.companies.get(companyId)).company_id, 'org-1');
    await client.contacts.attachCompany(userId, companyId);
    assert.equal((await client.companies.findByCompanyId('org-1'))?.id, companyId);
    assert.equal(await client.companies.findByCompanyId('org-missing'), undefined);
    const r = await resolve({ kind: 'company', company_id: 'org-1' });
    assert.equal(r.applied && r.id, companyId);
    const other = await client.companies.createOrUpdate({ company_id: 'org-2', name: 'Other' });
    await client.contacts.attachCompany(userId, other.id);
    await client.contacts.detachCompany(userId, other.id);
    assert.equal((await client.companies.delete(other.id)).deleted, true);
  });

  let tagId = '';
  await t.test('tags: create by name, tag and untag contacts, companies, delete', async () => {
    const tag = await client.tags.createOrUpdate('migrated');
    tagId = tag.id;
    assert.equal((await client.tags.createOrUpdate('Migrated')).id, tagId, 'names are case-insensitive');
    assert.ok((await client.tags.list()).some((x) => x.id === tagId));
    assert.equal((await client.tags.get(tagId)).name, 'migrated');
    assert.equal((await client.tags.tagContact(userId, tagId)).id, tagId);
    await client.tags.untagContact(userId, tagId);
    await client.tags.tagCompanies('migrated', [companyId]);
    await client.tags.tagCompanies('migrated', [companyId], true);
    await client.tags.tagContacts('vip', [userId]);
    const r = await resolve({ kind: 'tag', name: 'VIP' });
    assert.ok(r.applied);
    const doomed = await client.tags.createOrUpdate('temporary');
    await client.tags.delete(doomed.id);
    assert.ok((await client.tags.get(doomed.id).catch((e: unknown) => e)) instanceof NotFoundError);
  });

  await t.test(
    'conversations: create with created_at, replies, notes, attachments, parts, update, tags, search, delete',
    async () => {
      const created = await client.conversations.create({
        from: { type: 'user', id: userId },
        body: 'My printer is on fire',
        created_at: now - 3600,
      });
      const cid = created.conversation_id;
      assert.notEqual(cid, created.message_id, 'the conversation id is not the message id');
      const conv = await client.conversations.get(cid);
      assert.equal(conv.created_at, now - 3600);
      assert.match(conv.source?.body ?? '', /printer is on fire/);

      await client.conversations.replyAsContact(cid, {
        message_type: 'comment',
        type: 'user',
        intercom_user_id: userId,
        body: 'Still burning',
        created_at: now - 3500,
      });
      await client.conversations.replyAsAdmin(cid, {
        message_type: 'comment',
        type: 'admin',
        admin_id: adminId,
        body: 'Unplug it',
        created_at: now - 3400,
        skip_notifications: true,
        attachment_urls: ['https://files.example.com/howto.png'],
      });
      await client.conversations.replyAsAdmin(cid, {
        message_type: 'note',
        type: 'admin',
        admin_id: adminId,
        body: '<p>Escalate</p>',
        created_at: now - 3300,
        attachment_files: [
          { name: 'log.txt', content_type: 'text/plain', data: Buffer.from('smoke').toString('base64') },
        ],
      });
      await client.conversations.assign(cid, adminId, { type: 'admin', id: adminId });
      await client.conversations.assign(cid, adminId, { type: 'team', id: teamId });
      const closed = await client.conversations.close(cid, adminId);
      assert.equal(closed.state, 'closed');
      assert.equal((await client.conversations.open(cid, adminId)).state, 'open');
      assert.equal((await client.conversations.snooze(cid, adminId, now + 86_400)).state, 'snoozed');
      const updated = await client.conversations.update(cid, {
        title: 'Printer fire',
        custom_attributes: { source_ticket_id: 'T-1' },
        company_id: companyId,
      });
      assert.equal(updated.title, 'Printer fire');
      await client.tags.tagConversation(cid, tagId, adminId);
      await client.tags.untagConversation(cid, tagId, adminId);

      const full = await client.conversations.get(cid);
      const parts = full.conversation_parts?.conversation_parts ?? [];
      const note = parts.find((p) => p.part_type === 'note');
      assert.equal(note?.created_at, now - 3300);
      assert.ok((note?.attachments ?? []).length === 1, 'attachment_files stored on the note');

      // Lookups that resolve an unknown outcome find what exists and report what does not.
      const convLookup = await resolve({
        kind: 'conversation',
        contact_id: userId,
        created_at: now - 3600,
        body: 'My printer is on fire',
        sent_at: now,
      });
      assert.equal(convLookup.applied && convLookup.id, cid);
      assert.deepEqual(
        await resolve({
          kind: 'conversation',
          contact_id: userId,
          created_at: now - 3601,
          body: 'My printer is on fire',
          sent_at: now,
        }),
        { applied: false },
      );
      const replyLookup = await resolve({
        kind: 'reply',
        conversation_id: cid,
        part_type: 'comment',
        created_at: now - 3500,
        body: 'Still burning',
        sent_at: now,
      });
      assert.ok(replyLookup.applied);
      assert.deepEqual(
        await resolve({
          kind: 'reply',
          conversation_id: cid,
          part_type: 'comment',
          created_at: now - 3500,
          body: 'Different',
          sent_at: now,
        }),
        { applied: false },
      );
      assert.ok((await resolve({ kind: 'conversation_state', conversation_id: cid, action: 'snoozed' })).applied);
      assert.ok(
        (
          await resolve({
            kind: 'conversation_state',
            conversation_id: cid,
            action: 'assignment',
            assignee_type: 'team',
            assignee_id: teamId,
          })
        ).applied,
      );
      assert.deepEqual(await resolve({ kind: 'conversation_state', conversation_id: cid, action: 'close' }), {
        applied: false,
      });

      const second = await client.conversations.create({
        from: { type: 'user', id: userId },
        body: 'Another',
        created_at: now - 100,
      });
      // Unassigning ('0') is met by no assignee (Intercom reports 0 or null), not by an assigned team.
      assert.ok(
        (
          await resolve({
            kind: 'conversation_state',
            conversation_id: second.conversation_id,
            action: 'assignment',
            assignee_type: 'team',
            assignee_id: '0',
          })
        ).applied,
      );
      assert.deepEqual(
        await resolve({
          kind: 'conversation_state',
          conversation_id: cid,
          action: 'assignment',
          assignee_type: 'team',
          assignee_id: '0',
        }),
        { applied: false },
      );
      const mine = await collect(client.conversations.search({ field: 'contact_ids', operator: '=', value: userId }));
      assert.deepEqual(new Set(mine.map((c) => c.id)), new Set([cid, second.conversation_id]));
      const listed = await collect(client.conversations.list(1));
      assert.equal(listed.length, 2);
      assert.equal((await client.conversations.delete(second.conversation_id)).deleted, true);
    },
  );

  await t.test('help center: collections, sections, articles', async () => {
    const centers = await client.helpCenter.listHelpCenters();
    assert.ok(centers.length > 0);
    const collection = await client.helpCenter.createCollection({
      name: 'Billing',
      description: 'Money',
      parent_id: null,
    });
    const section = await client.helpCenter.createCollection({ name: 'Invoices', parent_id: collection.id });
    assert.equal(section.parent_id, collection.id);
    assert.equal(
      (await client.helpCenter.updateCollection(collection.id, { description: 'Payments' })).description,
      'Payments',
    );
    assert.equal((await collect(client.helpCenter.listCollections())).length, 2);
    const c = await resolve({ kind: 'collection', name: 'Invoices', parent_id: collection.id });
    assert.equal(c.applied && c.id, section.id);
    const article = await client.helpCenter.createArticle({
      title: 'How to pay',
      author_id: Number(adminId),
      body: '<p>Pay</p>',
      state: 'draft',
      parent_id: Number(section.id),
      parent_type: 'collection',
    });
    assert.equal(article.state, 'draft');
    const published = await client.helpCenter.updateArticle(article.id, {
      state: 'published',
      parent_id: collection.id,
    });
    assert.equal(published.state, 'published');
    assert.equal((await client.helpCenter.getArticle(article.id)).title, 'How to pay');
    assert.equal((await collect(client.helpCenter.listArticles())).length, 1);
    const a = await resolve({ kind: 'article', title: 'How to pay', parent_id: collection.id });
    assert.equal(a.applied && a.id, article.id);
    assert.equal((await client.helpCenter.deleteArticle(article.id)).deleted, true);
    assert.equal((await client.helpCenter.deleteCollection(section.id)).deleted, true);
  });

  await t.test('custom object instances: upsert by external_id, get, find, delete', async () => {
    const call = await client.customObjects.createOrUpdate('Call', {
      external_id: 'call-1',
      external_created_at: now - 50,
      custom_attributes: {},
    });
    assert.equal(
      (await client.customObjects.createOrUpdate('Call', { external_id: 'call-1' })).id,
      call.id,
      'upsert on external_id',
    );
    assert.equal((await client.customObjects.get('Call', call.id)).external_id, 'call-1');
    assert.equal((await client.customObjects.findByExternalId('Call', 'call-1'))?.id, call.id);
    assert.equal(await client.customObjects.findByExternalId('Call', 'call-none'), undefined);
    assert.equal((await client.customObjects.delete('Call', call.id)).deleted, true);
    await client.customObjects.createOrUpdate('Call', { external_id: 'call-2' });
    assert.equal((await client.customObjects.deleteByExternalId('Call', 'call-2')).deleted, true);
  });

  await t.test('typed errors: plan gate, validation, revoked token', async () => {
    await control(sandbox, 'plan', { restricted: true });
    const gated = await client.conversations
      .list()
      .next()
      .catch((e: unknown) => e);
    assert.ok(gated instanceof PlanRestrictedError, String(gated));
    await control(sandbox, 'plan', { restricted: false });
    const bad = await client.contacts.create({ role: 'user', email: 'not-an-email' }).catch((e: unknown) => e);
    assert.ok(bad instanceof ValidationError, String(bad));
    sandbox.revokeToken();
    const auth = await client.admins.me().catch((e: unknown) => e);
    assert.ok(auth instanceof AuthError);
  });

  await t.test('no request was refused by OpenAPI validation', async (st) => {
    if (process.env['INTERCOM_OPENAPI'] === undefined) {
      st.skip('INTERCOM_OPENAPI is not set: the sandbox did not validate requests');
      return;
    }
    const refused = sandbox.requests().filter((r) => r.validationErrors !== undefined);
    assert.deepEqual(refused, []);
    // Prove the validator is on: a body the description rejects is refused.
    sandbox.setToken('contract-token-5b2e9c');
    const probe = await fetch(`${sandbox.url}/contacts`, {
      method: 'POST',
      headers: { Authorization: 'Bearer contract-token-5b2e9c', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(probe.status, 400);
    assert.ok(sandbox.requests().at(-1)?.validationErrors !== undefined);
  });
});
