import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { IntercomClient, OutcomeUndecidedError, SearchBehindError, writeAtMostOnce } from '../../src/intercom';
import { startSandbox } from '../../src/sandbox';

// Issue 21: a conversation create whose outcome is unknown is decided by witnesses (conversations
// this client created after it ended) as soon as search shows them, not after the whole settle
// time; and while search does not show them, it is never concluded "not applied".

async function sandboxFailingFirstConversation(fault: '500' | 'drop', searchLagMs: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-witnesses-'));
  const script = path.join(dir, 'faults.json');
  writeFileSync(script, JSON.stringify([{ match: { method: 'POST', pathRegex: '^/conversations$', nth: 1 }, fault }]));
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 100_000, searchLagMs, faults: `script:${script}` });
  const client = new IntercomClient({
    token: sandbox.token,
    baseUrl: sandbox.url,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  const ada = await client.contacts.create({ role: 'user', external_id: 'st-user-1', email: 'ada@example.com' });
  const bob = await client.contacts.create({ role: 'user', external_id: 'st-user-2', email: 'bob@example.com' });
  return { sandbox, client, ada, bob };
}

const opening = (contactId: string, body: string) => ({
  from: { type: 'user' as const, id: contactId },
  body,
  created_at: 1_600_000_000,
});

test('a conversation create answered 500 is decided "not applied" by a witness, long before the settle time, and exists once', async (t) => {
  const { sandbox, client, ada, bob } = await sandboxFailingFirstConversation('500', 0);
  t.after(() => sandbox.close());
  const slept: number[] = [];
  let witness: string | undefined;
  const result = await writeAtMostOnce(client, () => client.conversations.create(opening(ada.id, 'Printer on fire')), {
    searchSettleMs: 600_000,
    // The run goes on while the record waits: another record's conversation is created meanwhile.
    sleep: async (ms) => {
      slept.push(ms);
      witness ??= (await client.conversations.create(opening(bob.id, 'Another ticket'))).conversation_id;
    },
  });

  assert.equal(result.outcome, 'created', 'sent again once search had caught up');
  const ours = Object.values(sandbox.state().conversations).filter((c) => c.source_body.includes('Printer on fire'));
  assert.equal(ours.length, 1, 'exactly one conversation');
  assert.ok(witness !== undefined);
  assert.ok(
    slept.reduce((a, b) => a + b, 0) < 10_000,
    `decided after ${slept.join('+')} ms of waits, not the 600-s settle time`,
  );
  const witnessSearch = sandbox
    .requests()
    .filter((r) => r.path.startsWith('/conversations/search') && r.bodyExcerpt.includes(witness!));
  assert.ok(witnessSearch.length > 0, 'search was asked for the witness');
});

test('while search does not show the witnesses, an unknown create is undecided at the end of the settle time, never sent twice', async (t) => {
  // The create is applied, then its connection dropped; search lags a minute behind every create.
  const { sandbox, client, ada, bob } = await sandboxFailingFirstConversation('drop', 60_000);
  t.after(() => sandbox.close());
  let witnessed = false;
  await assert.rejects(
    writeAtMostOnce(client, () => client.conversations.create(opening(ada.id, 'Printer on fire')), {
      searchSettleMs: 300,
      sleep: async (ms) => {
        if (!witnessed) {
          witnessed = true;
          await client.conversations.create(opening(bob.id, 'Another ticket'));
        }
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    }),
    (error: unknown) => error instanceof OutcomeUndecidedError && error.lookupError instanceof SearchBehindError,
  );
  const ours = Object.values(sandbox.state().conversations).filter((c) => c.source_body.includes('Printer on fire'));
  assert.equal(ours.length, 1, 'the applied create was not sent again');
});

test('without any witness, the settle time alone decides, as before', async (t) => {
  const { sandbox, client, ada } = await sandboxFailingFirstConversation('500', 0);
  t.after(() => sandbox.close());
  const result = await writeAtMostOnce(client, () => client.conversations.create(opening(ada.id, 'Printer on fire')), {
    searchSettleMs: 200,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  assert.equal(result.outcome, 'created');
  assert.equal(
    Object.values(sandbox.state().conversations).filter((c) => c.source_body.includes('Printer on fire')).length,
    1,
  );
});

test('a witness sent late in the settle time is given the index lag to show: the lookup waits for it instead of calling search behind', async (t) => {
  // The create is applied, then its connection dropped; search shows each create 1.5 s after it, the settle time is 1 s.
  const { sandbox, client, ada, bob } = await sandboxFailingFirstConversation('drop', 1_500);
  t.after(() => sandbox.close());
  let sleeps = 0;
  const result = await writeAtMostOnce(client, () => client.conversations.create(opening(ada.id, 'Printer on fire')), {
    searchSettleMs: 1_000,
    sleep: async (ms) => {
      // The witness is created half a second into the wait, so at the end of the settle time it is only 0.5 s old.
      if (++sleeps === 2) await client.conversations.create(opening(bob.id, 'Another ticket'));
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  });
  assert.equal(result.outcome, 'existing', 'found once search showed it, not left undecided');
  const ours = Object.values(sandbox.state().conversations).filter((c) => c.source_body.includes('Printer on fire'));
  assert.equal(ours.length, 1);
});
