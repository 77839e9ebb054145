import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { type RollbackResult, rollbackRun } from '../../src/engine/rollback';
import { runMigration } from '../../src/engine/run-migration';
import type { MappingFile } from '../../src/model/mapping';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import {
  clientFor,
  type Dataset,
  type JournalLine,
  journalOf,
  makeDataset,
  openDataset,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/**
 * Issue "exactly once", item 6: a migration into a workspace that already holds data. A tag, a
 * company with the same company_id as a source organization, a contact with the email of a source
 * end user, a contact attribute and a help-center collection the map also wants were all there
 * before the run (the company makes the folder adopt what Intercom holds: `--adopt`). The run uses
 * them (found, never created); its rollback removes what it created, restores what it changed on
 * them from their before-images, and deletes or archives none of them.
 */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
let pristine: SandboxState;
let migrated: SandboxState;
let journal: JournalLine[];
let result: RollbackResult;
let goneConversation: string;
const pre = {
  tag: '',
  languageTag: '',
  priorityTag: '',
  company: '',
  bystander: '',
  matched: '',
  attribute: 0,
  collection: '',
};
let tagName: string;
let organizationId: number;
let matchedUserId: number;

const pristineLanguage = () => pristine.tags[pre.languageTag]!.name.slice('language: '.length);
const clone = (s: SandboxState): SandboxState => JSON.parse(JSON.stringify(s)) as SandboxState;

/** A source organization with a member whose contact the run creates by matching on email, and what else the test uses. */
async function pickSourceRecords(): Promise<{
  tag: string;
  organizationId: number;
  user: { id: number; email: string; language: string };
  priority: string;
  topCategory: string;
}> {
  const reader = await openDataset(ds);
  try {
    const duplicates = new Set(ds.manifest.hardCases.duplicateEmails.flatMap((d) => d.userIds));
    const users = new Map<number, { email: string; language: string }>();
    for await (const u of reader.endUsers())
      if (u.email && u.language && !u.deleted && !duplicates.has(u.id))
        users.set(u.id, { email: u.email, language: u.language });
    let pick: { organizationId: number; user: { id: number; email: string; language: string } } | undefined;
    for await (const m of reader.organizationMemberships()) {
      const user = users.get(m.userId);
      if (user && !pick) pick = { organizationId: m.organizationId, user: { id: m.userId, ...user } };
    }
    let tag: string | undefined;
    for await (const t of reader.tags()) if (!tag && !t.deleted && t.name?.trim()) tag = t.name.trim();
    let priority: string | undefined;
    for await (const t of reader.tickets())
      if (!priority && !t.deleted && !t.spam && t.priorityName?.trim()) priority = t.priorityName.trim();
    let topCategory: string | undefined;
    for await (const c of reader.kbCategories())
      if (!topCategory && c.parentId === null && c.name?.trim()) topCategory = c.name.trim();
    assert.ok(
      pick && tag && priority && topCategory,
      'the dataset has an organization member with an email and a language, a tag, a ticket priority and a top KB category',
    );
    return { tag, ...pick, priority, topCategory };
  } finally {
    await reader.close();
  }
}

/** Contacts get their language as a tag, conversations their priority: tags the workspace already has. */
function tagEdit(map: MappingFile): MappingFile {
  const retarget = (fields: MappingFile['objects']['contacts']['fields'], source: string, prefix: string) =>
    fields.map((f) => (f.source === source ? { ...f, target: { kind: 'tag' as const, prefix } } : f));
  return {
    ...map,
    objects: {
      ...map.objects,
      contacts: { ...map.objects.contacts, fields: retarget(map.objects.contacts.fields, 'language', 'language: ') },
      tickets: { ...map.objects.tickets, fields: retarget(map.objects.tickets.fields, 'priorityName', '') },
    },
  };
}

before(async () => {
  dir = tempDir('rollback-preexisting');
  ds = await makeDataset(dir, 0.1, 5);
  sandbox = await startSeededSandbox(ds);
  await writeMap(dir, ds, 'approved', tagEdit);
  const source = await pickSourceRecords();
  tagName = source.tag;
  organizationId = source.organizationId;
  matchedUserId = source.user.id;

  // What the workspace held before the migration, made the way anyone would: through the API.
  const client = clientFor(sandbox);
  pre.tag = (await client.tags.createOrUpdate(tagName)).id;
  pre.languageTag = (await client.tags.createOrUpdate(`language: ${source.user.language}`)).id;
  pre.priorityTag = (await client.tags.createOrUpdate(source.priority)).id;
  pre.bystander = (
    await client.contacts.create({ role: 'user', email: 'long.time.customer@example.org', name: 'Long-time Customer' })
  ).id;
  await client.tags.tagContact(pre.bystander, pre.tag);
  await client.tags.tagContact(pre.bystander, pre.languageTag);
  pre.company = (
    await client.companies.createOrUpdate({
      company_id: String(organizationId),
      name: 'Acme as the CRM knows it',
      website: 'https://crm.example.org',
      industry: 'Retail',
      size: 40,
    })
  ).id;
  await client.contacts.attachCompany(pre.bystander, pre.company);
  pre.matched = (
    await client.contacts.create({ role: 'user', email: source.user.email, name: 'Name kept in Intercom' })
  ).id;
  await client.tags.tagContact(pre.matched, pre.tag);
  pre.attribute = Number(
    (await client.dataAttributes.create({ name: 'Customer Tier', model: 'contact', data_type: 'string' })).id,
  );
  const helpCenterId = Number((await client.helpCenter.listHelpCenters())[0]!.id);
  pre.collection = (
    await client.helpCenter.createCollection({ name: source.topCategory, help_center_id: helpCenterId })
  ).id;
  pristine = clone(sandbox.state());

  // The company has a source organization's company_id: the folder must adopt what Intercom holds first.
  const reader = await openDataset(ds);
  const full = await runMigration({
    workspaceDir: dir,
    kind: 'full',
    reader,
    client,
    adopt: true,
    options: { concurrency: 8 },
  }).finally(() => reader.close());
  assert.ok(full.status === 'completed', full.message);
  journal = journalOf(dir, full.runId);
  migrated = clone(sandbox.state());

  // Someone deletes one of the run's conversations by hand before the rollback: it is already gone.
  goneConversation = Object.keys(migrated.conversations)[0]!;
  await client.conversations.delete(goneConversation);
  result = await rollbackRun({ workspaceDir: dir, runId: full.runId, client });
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

const intents = (filter: (e: JournalLine) => boolean) => journal.filter((e) => e.type === 'intent' && filter(e));

test('the run uses what was there: found objects are not created, the company update keeps its before-image', () => {
  assert.equal(
    intents(
      (e) =>
        e.op === 'create' &&
        (e.target as { resource: string }).resource === 'data_attribute' &&
        (e.target as { description: string }).description.includes('"Customer Tier"'),
    ).length,
    0,
  );
  assert.equal(
    intents(
      (e) =>
        e.op === 'create' &&
        e.objectType === 'kbCategories' &&
        (e.target as { description: string }).description.includes(`"${pristine.collections[pre.collection]!.name}"`),
    ).length,
    0,
  );
  const upserts = intents(
    (e) =>
      e.objectType === 'organizations' &&
      e.sourceId === String(organizationId) &&
      (e.op === 'create' || e.op === 'update'),
  );
  assert.equal(upserts.length, 1);
  assert.equal(upserts[0]!.op, 'update');
  assert.equal(upserts[0]!.existedBefore, true);
  assert.equal((upserts[0]!.beforeImage as { name: string }).name, 'Acme as the CRM knows it');
  // The run did change them: the company took the source's name, the matched contact the source link.
  assert.equal(Object.values(migrated.companies).filter((c) => c.company_id === String(organizationId)).length, 1);
  assert.notEqual(migrated.companies[pre.company]!.name, 'Acme as the CRM knows it');
  assert.equal(migrated.contacts[pre.matched]!.external_id, String(matchedUserId));
  assert.ok(
    migrated.contacts[pre.matched]!.company_ids.includes(pre.company),
    'the run attached the matched contact to the company',
  );
  assert.ok(
    Object.values(migrated.conversations).some((c) => c.tags.some((t) => t.id === pre.priorityTag)),
    'conversations carry an existing tag',
  );
  assert.deepEqual(
    [...migrated.contacts[pre.matched]!.tag_ids].sort(),
    [pre.tag, pre.languageTag].sort(),
    'the run tagged the matched contact with an existing tag',
  );
  const existingNames = [pre.tag, pre.languageTag, pre.priorityTag].map(
    (id) => `name:${pristine.tags[id]!.name.toLowerCase()}`,
  );
  assert.deepEqual(
    intents((e) => e.op === 'create' && e.objectType === 'tags' && existingNames.includes(String(e.sourceId))),
    [],
    'no existing tag is created',
  );
  const tagIntents = intents(
    (e) =>
      e.op === 'tag' &&
      e.objectType === 'endUsers' &&
      (e.beforeImage as { id?: string } | undefined)?.id === pre.matched,
  );
  assert.equal(tagIntents.length, 1);
  assert.deepEqual(tagIntents[0]!.beforeImage, {
    object: 'contact',
    id: pre.matched,
    tagId: pre.languageTag,
    tagName: `language: ${pristineLanguage()}`,
    tagged: false,
  });
  assert.deepEqual(
    (tagIntents[0]!.target as { tagged?: unknown }).tagged,
    { object: 'contact', id: pre.matched },
    'the journal names the tagged contact in a typed field',
  );
});

test('the rollback keeps the tag, and the contacts that had it keep it', () => {
  assert.equal(result.status, 'completed', result.message);
  assert.deepEqual(result.failed, []);
  const now = sandbox.state();
  assert.deepEqual(now.tags, pristine.tags, 'the tags that existed, and no other');
  assert.deepEqual(now.contacts[pre.bystander]!.tag_ids, [pre.tag, pre.languageTag]);
  assert.deepEqual(
    now.contacts[pre.matched]!.tag_ids,
    [pre.tag],
    'the tag the run added to the matched contact is taken off again',
  );
  assert.ok((result.plan.calls.untag?.contact ?? 0) >= 1);
});

test('the company that existed is restored, never archived, and keeps only its own contacts', () => {
  const before = pristine.companies[pre.company]!;
  const now = sandbox.state().companies[pre.company]!;
  assert.equal(now.archived, false);
  for (const field of ['company_id', 'name', 'website', 'industry', 'size', 'plan', 'monthly_spend'] as const)
    assert.deepEqual(now[field], before[field], field);
  assert.deepEqual(now.custom_attributes, before.custom_attributes);
  assert.deepEqual(now.tag_ids, before.tag_ids);
  const members = Object.values(sandbox.state().contacts)
    .filter((c) => c.company_ids.includes(pre.company))
    .map((c) => c.id);
  assert.deepEqual(members, [pre.bystander]);
});

test('the matched contact gets its fields back; only the external_id Intercom cannot clear is reported as left', () => {
  const before = pristine.contacts[pre.matched]!;
  const now = sandbox.state().contacts[pre.matched]!;
  for (const field of ['email', 'name', 'phone', 'role', 'archived'] as const)
    assert.deepEqual(now[field], before[field], field);
  assert.deepEqual(now.custom_attributes, before.custom_attributes);
  assert.deepEqual(now.company_ids, before.company_ids);
  const left = result.plan.impossible.filter((i) => i.description.includes(pre.matched));
  assert.equal(left.length, 1);
  assert.match(left[0]!.reason, /cannot clear external_id/);
});

test('the attribute and the collection that existed stay; everything the run created is gone', () => {
  const now = sandbox.state();
  assert.equal(now.dataAttributes[String(pre.attribute)]?.archived, false);
  assert.deepEqual(Object.keys(now.collections), [pre.collection]);
  assert.deepEqual(Object.keys(now.articles), []);
  assert.deepEqual(Object.keys(now.conversations), []);
  assert.deepEqual(Object.keys(now.contacts).sort(), [pre.bystander, pre.matched].sort());
  assert.deepEqual(
    Object.values(now.companies)
      .filter((c) => !c.archived)
      .map((c) => c.id),
    [pre.company],
  );
  const created = (items: Record<string, { archived: boolean }>, pristineItems: Record<string, unknown>) =>
    Object.entries(items).filter(([id]) => !(id in pristineItems));
  assert.ok(
    created(now.dataAttributes, pristine.dataAttributes).every(([, a]) => a.archived),
    'attributes the run created are archived',
  );
  assert.ok(created(now.conversationAttributes, pristine.conversationAttributes).every(([, a]) => a.archived));
});

test('an object already gone is counted as such, not as undone', () => {
  assert.equal(result.alreadyGone, 1, `the conversation deleted by hand (${goneConversation})`);
  const calls = Object.values(result.plan.calls).reduce(
    (n, byResource) => n + Object.values(byResource).reduce((a, b) => a + b, 0),
    0,
  );
  assert.equal(result.undone + result.alreadyGone, calls);
});
