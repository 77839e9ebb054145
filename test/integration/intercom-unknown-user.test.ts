import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { IntercomClient, LOOKUP_PAUSE_MS, writeAtMostOnce } from '../../src/intercom';
import { startSandbox } from '../../src/sandbox';

// Issue 21: a user's create whose answer is lost is decided by a direct read (find_by_external_id)
// and Intercom's 409 on a second create, never by waiting for search to catch up: with search
// lagging a full minute, the create is decided without a single search request, and exists once.

async function sandboxDropping(nthPost: 'drop' | '502') {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-unknown-user-'));
  const script = path.join(dir, 'faults.json');
  writeFileSync(
    script,
    JSON.stringify([{ match: { method: 'POST', pathRegex: '^/contacts$', nth: 1 }, fault: nthPost }]),
  );
  return startSandbox({ port: 0, rateLimitPer10s: 100_000, searchLagMs: 60_000, faults: `script:${script}` });
}

for (const fault of ['drop', '502'] as const) {
  test(`a user create answered with ${fault === 'drop' ? 'a dropped connection (applied)' : 'a 502'} is decided without search and exists once`, async (t) => {
    const sandbox = await sandboxDropping(fault);
    t.after(() => sandbox.close());
    const client = new IntercomClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const body = { role: 'user' as const, external_id: 'st-user-7', email: 'seven@example.com' };
    const result = await writeAtMostOnce(client, () => client.contacts.create(body), {
      searchSettleMs: 60_000,
      readSettleMs: 500,
    });

    const users = Object.values(sandbox.state().contacts).filter((c) => c.external_id === 'st-user-7');
    assert.equal(users.length, 1, 'one contact for the user');
    const id = result.outcome === 'created' ? result.value.id : result.id;
    assert.equal(id, users[0]!.id);
    const searches = sandbox.requests().filter((r) => r.path.startsWith('/contacts/search'));
    assert.deepEqual(searches, [], 'search was never asked');
    assert.ok(
      sandbox.requests().some((r) => r.path.startsWith('/contacts/find_by_external_id/')),
      'decided by the direct read',
    );
  });
}

test("a lookup that fails through all of the client's retries is asked again, and decides the create without sending it twice", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-unknown-user-'));
  const script = path.join(dir, 'faults.json');
  // The create is applied and its answer dropped; the first five reads (one call's retries) get a 500.
  const read = { method: 'GET', pathRegex: '^/contacts/find_by_external_id/', nth: 1 };
  writeFileSync(
    script,
    JSON.stringify([
      { match: { method: 'POST', pathRegex: '^/contacts$', nth: 1 }, fault: 'drop' },
      ...Array.from({ length: 5 }, () => ({ match: read, fault: '500' })),
    ]),
  );
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 100_000, searchLagMs: 0, faults: `script:${script}` });
  t.after(() => sandbox.close());
  const client = new IntercomClient({
    token: sandbox.token,
    baseUrl: sandbox.url,
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 5 },
  });
  const pauses: number[] = [];
  const body = { role: 'user' as const, external_id: 'st-user-8', email: 'eight@example.com' };
  const result = await writeAtMostOnce(client, () => client.contacts.create(body), {
    readSettleMs: 100,
    sleep: async (ms) => void pauses.push(ms),
  });

  assert.equal(result.outcome, 'existing');
  const users = Object.values(sandbox.state().contacts).filter((c) => c.external_id === 'st-user-8');
  assert.equal(users.length, 1);
  assert.equal(result.outcome === 'existing' && result.id, users[0]!.id);
  assert.equal(
    sandbox.requests().filter((r) => r.method === 'POST' && r.path === '/contacts').length,
    1,
    'the create was sent once',
  );
  assert.deepEqual(pauses, [LOOKUP_PAUSE_MS], 'one pause, then the second lookup found it');
});
