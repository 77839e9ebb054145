import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Intercom, IntercomError } from 'intercom-client';

import { sandboxWithClient } from './sandbox-helpers';
import { sdkFor } from './sdk-helpers';

// Writes through Intercom's own Node SDK against the sandbox: the calls a migration makes, and the
// error shapes the SDK turns into its typed errors.

const ADMIN = '991267001';

/** The error a call rejects with, checked to be the SDK's own. */
async function sdkError(call: Promise<unknown>): Promise<IntercomError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof IntercomError, `an IntercomError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

interface ErrorBody {
  type: string;
  request_id?: string;
  errors: { code: string; message: string }[];
}

test("SDK writes: duplicate email and external_id give 409 with Intercom's error body naming the contact", async (t) => {
  const { sandbox } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const sdk = sdkFor(sandbox);
  const created = await sdk.contacts.create({
    role: 'user',
    email: 'dup@example.com',
    external_id: 'src-1',
    name: 'Dup',
  });
  assert.ok(created.id);
  for (const body of [
    { role: 'user', email: 'DUP@example.com' },
    { role: 'user', external_id: 'src-1' },
  ] as const) {
    const error = await sdkError(sdk.contacts.create(body));
    assert.equal(error.statusCode, 409);
    const envelope = error.body as ErrorBody;
    assert.equal(envelope.type, 'error.list');
    assert.ok(envelope.request_id);
    assert.equal(envelope.errors[0]?.code, 'conflict');
    assert.equal(envelope.errors[0]?.message, `A contact matching those details already exists with id=${created.id}`);
  }
  const lead = await sdk.contacts.create({ role: 'lead', email: 'dup@example.com' });
  assert.notEqual(lead.id, created.id, 'leads are exempt');
  const found = await sdk.contacts.showContactByExternalId({ external_id: 'src-1' });
  assert.equal(found?.id, created.id);
});

test('SDK writes: company upsert on company_id, attach, archive by delete (carried out after the archive lag)', async (t) => {
  let now = Date.parse('2026-02-02T12:00:00Z');
  const { sandbox } = await sandboxWithClient({ clock: { now: () => new Date(now) }, archiveLagMs: 2_000 });
  t.after(() => sandbox.close());
  const sdk = sdkFor(sandbox);
  const first = await sdk.companies.createOrUpdate({
    company_id: 'org-7',
    name: 'Acme',
    remote_created_at: 1_500_000_000,
  });
  const second = await sdk.companies.createOrUpdate({ company_id: 'org-7', name: 'Acme Ltd', plan: 'pro' });
  assert.equal(second.id, first.id);
  assert.equal(second.name, 'Acme Ltd');
  assert.equal(second.remote_created_at, 1_500_000_000);
  const contact = await sdk.contacts.create({ role: 'user', email: 'member@example.com' });
  await sdk.companies.attachContact({ contact_id: contact.id!, id: first.id });
  assert.equal((await sdk.companies.find({ company_id: first.id })).user_count, 1);
  const deleted = await sdk.companies.delete({ company_id: first.id });
  assert.equal(deleted.deleted, true);
  assert.equal(
    (await sdk.companies.find({ company_id: first.id })).id,
    first.id,
    'accepted; Intercom archives it later',
  );
  now += 2_000;
  const gone = await sdkError(sdk.companies.find({ company_id: first.id }));
  assert.equal(gone.statusCode, 404);
});

test('SDK writes: a conversation with replies and notes at their created_at, closed and opened, tagged and untagged', async (t) => {
  const { sandbox } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const sdk = sdkFor(sandbox);
  const contact = await sdk.contacts.create({ role: 'user', email: 'asker@example.com' });
  const message = await sdk.conversations.create({
    from: { type: 'user', id: contact.id! },
    body: 'My printer is on fire',
    created_at: 1_600_000_000,
  });
  const conversationId = message.conversation_id!;
  assert.notEqual(message.id, conversationId, 'the create answers with the message, whose id is not the conversation');
  await sdk.conversations.reply({
    conversation_id: conversationId,
    body: { message_type: 'comment', type: 'admin', admin_id: ADMIN, body: 'Unplug it', created_at: 1_600_000_100 },
  });
  await sdk.conversations.reply({
    conversation_id: conversationId,
    body: {
      message_type: 'note',
      type: 'admin',
      admin_id: ADMIN,
      body: '<p>Internal: third fire this week</p>',
      created_at: 1_600_000_200,
    },
  });
  await sdk.conversations.reply({
    conversation_id: conversationId,
    body: {
      message_type: 'comment',
      type: 'user',
      intercom_user_id: contact.id!,
      body: 'Done, thanks',
      created_at: 1_600_000_300,
    },
  });
  const closed = await sdk.conversations.manage({
    conversation_id: conversationId,
    body: { message_type: 'close', type: 'admin', admin_id: ADMIN },
  });
  assert.equal(closed.state, 'closed');
  const opened = await sdk.conversations.manage({
    conversation_id: conversationId,
    body: { message_type: 'open', admin_id: ADMIN },
  });
  assert.equal(opened.state, 'open');

  const conversation = await sdk.conversations.find({ conversation_id: conversationId });
  const parts = conversation.conversation_parts?.conversation_parts ?? [];
  assert.deepEqual(
    parts.slice(0, 3).map((p) => [p.part_type, p.created_at, p.author?.type]),
    [
      ['comment', 1_600_000_100, 'admin'],
      ['note', 1_600_000_200, 'admin'],
      ['comment', 1_600_000_300, 'user'],
    ],
  );
  assert.deepEqual(
    parts.slice(3).map((p) => p.part_type),
    ['close', 'open'],
  );
  assert.equal(conversation.created_at, 1_600_000_000);
  assert.equal(conversation.source?.body, '<p>My printer is on fire</p>', 'bodies are stored as Intercom reports them');
  assert.equal(parts[0]?.body, '<p>Unplug it</p>');
  assert.equal(parts[1]?.body, '<p>Internal: third fire this week</p>', 'HTML is kept as sent');

  const tag = await sdk.tags.create({ name: 'migrated' });
  await sdk.tags.tagConversation({ conversation_id: conversationId, id: tag.id, admin_id: ADMIN });
  await sdk.tags.tagContact({ contact_id: contact.id!, id: tag.id });
  assert.deepEqual(
    (await sdk.conversations.find({ conversation_id: conversationId })).tags?.tags?.map((x) => x.name),
    ['migrated'],
  );
  assert.deepEqual(
    (await sdk.contacts.listAttachedTags({ contact_id: contact.id! })).data?.map((x) => x.id),
    [tag.id],
  );
  await sdk.tags.untagConversation({ conversation_id: conversationId, tag_id: tag.id, admin_id: ADMIN });
  await sdk.tags.untagContact({ contact_id: contact.id!, tag_id: tag.id });
  assert.deepEqual((await sdk.conversations.find({ conversation_id: conversationId })).tags?.tags ?? [], []);
  await sdk.tags.delete({ tag_id: tag.id });
  assert.equal((await sdkError(sdk.tags.find({ tag_id: tag.id }))).statusCode, 404);

  const deleted = await sdk.conversations.deleteConversation({ conversation_id: Number(conversationId) });
  assert.equal(deleted.deleted, true);
  assert.equal((await sdkError(sdk.conversations.find({ conversation_id: conversationId }))).statusCode, 404);
});

test('SDK writes: contacts are archived, unarchived and deleted', async (t) => {
  const { sandbox } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const sdk = sdkFor(sandbox);
  const contact = await sdk.contacts.create({ role: 'user', external_id: 'arch-1' });
  assert.equal((await sdk.contacts.archive({ contact_id: contact.id! })).archived, true);
  const conflict = await sdkError(sdk.contacts.create({ role: 'user', external_id: 'arch-1' }));
  assert.equal(conflict.statusCode, 409, 'an archived user still holds its external_id');
  assert.match(
    (conflict.body as ErrorBody).errors[0]!.message,
    /^An archived contact matching those details already exists with id=/,
  );
  assert.equal((await sdk.contacts.unarchive({ contact_id: contact.id! })).archived, false);
  assert.equal((await sdk.contacts.delete({ contact_id: contact.id! })).deleted, true);
  assert.equal((await sdkError(sdk.contacts.find({ contact_id: contact.id! }))).statusCode, 404);
});

test("SDK errors: 401, 404 and 429 come back as the SDK's typed errors with Intercom's bodies", async (t) => {
  const { sandbox } = await sandboxWithClient({ rateLimitPer10s: 3 });
  t.after(() => sandbox.close());
  const wrong = await sdkError(sdkFor(sandbox, 'not-the-token').admins.list());
  assert.ok(wrong instanceof Intercom.UnauthorizedError);
  assert.equal((wrong.body as ErrorBody).errors[0]?.code, 'unauthorized');
  assert.equal(
    wrong.rawResponse?.headers.get('x-ratelimit-limit'),
    null,
    'no rate-limit headers without valid credentials',
  );

  const sdk = sdkFor(sandbox);
  // tags.find declares its 404 (the SDK maps it to NotFoundError); contacts.find only declares 401.
  const missingTag = await sdkError(sdk.tags.find({ tag_id: '424242' }));
  assert.ok(missingTag instanceof Intercom.NotFoundError);
  assert.equal((missingTag.body as ErrorBody).errors[0]?.code, 'not_found');
  const missing = await sdkError(sdk.contacts.find({ contact_id: '000000000000000000000000' }));
  assert.equal(missing.statusCode, 404);
  assert.equal((missing.body as ErrorBody).type, 'error.list');

  let limited: IntercomError | undefined;
  for (let i = 0; i < 5 && !limited; i++) {
    try {
      await sdk.admins.list();
    } catch (error) {
      limited = error as IntercomError;
    }
  }
  // Only the export endpoints declare 429 in the SDK, so this is its generic error with the status.
  assert.equal(limited?.statusCode, 429, `429, not ${String(limited)}`);
  assert.equal((limited!.body as ErrorBody).errors[0]?.code, 'rate_limit_exceeded');
  assert.equal(limited!.rawResponse?.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(limited!.rawResponse?.headers.get('x-ratelimit-reset')) > 0);
  assert.equal(limited!.rawResponse?.headers.get('retry-after'), null);
});
