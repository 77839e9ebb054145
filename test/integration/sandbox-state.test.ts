import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { startSandbox } from '../../src/sandbox';
import { logFileOf, recoverState } from '../../src/sandbox/state/durable-state';
import { createUser, sandboxWithClient } from './sandbox-helpers';

test('sandbox state: persisted on close and reloaded on start; ids keep counting', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-'));
  const stateFile = path.join(dir, 'state.json');
  const first = await sandboxWithClient({ stateFile });
  const id = await createUser(first.call, { email: 'keep@example.com' });
  const conversationId = (await first.call('POST', '/conversations', { from: { type: 'user', id }, body: 'kept' })).body
    .conversation_id;
  await first.sandbox.close();
  assert.ok(JSON.parse(readFileSync(stateFile, 'utf8')).contacts[id]);

  const second = await sandboxWithClient({ stateFile });
  try {
    assert.equal((await second.call('GET', `/contacts/${id}`)).body.email, 'keep@example.com');
    assert.equal((await second.call('GET', `/conversations/${conversationId}`)).body.source.body, '<p>kept</p>');
    assert.equal((await second.call('POST', '/contacts', { role: 'user', email: 'keep@example.com' })).status, 409);
    const next = (await second.call('POST', '/conversations', { from: { type: 'user', id }, body: 'new' })).body
      .conversation_id;
    assert.notEqual(next, conversationId);
  } finally {
    await second.sandbox.close();
  }
});

test('sandbox state: inspection endpoints, reset, and a request log that never holds the token', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ token: 'secret-token-123' });
  t.after(() => sandbox.close());
  await createUser(call, { email: 'log@example.com' });
  await call('GET', '/me');
  const requests = await (
    await fetch(`${sandbox.url}/__sandbox/requests`, { headers: { Authorization: `Bearer ${sandbox.token}` } })
  ).text();
  assert.doesNotMatch(requests, /secret-token-123/);
  assert.doesNotMatch(JSON.stringify(sandbox.requests()), /secret-token-123|authorization/i);
  const entries = JSON.parse(requests) as {
    method: string;
    path: string;
    status: number;
    time: string;
    bodyExcerpt: string;
  }[];
  assert.deepEqual(
    entries.map((e) => `${e.method} ${e.path} ${e.status}`),
    ['POST /contacts 200', 'GET /me 200'],
  );
  assert.match(entries[0]?.bodyExcerpt ?? '', /log@example.com/);

  const state = (await (
    await fetch(`${sandbox.url}/__sandbox/state`, { headers: { Authorization: `Bearer ${sandbox.token}` } })
  ).json()) as { contacts: object; admins: unknown[] };
  assert.equal(Object.keys(state.contacts).length, 1);
  assert.equal(
    (
      await fetch(`${sandbox.url}/__sandbox/reset`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandbox.token}` },
      })
    ).status,
    200,
  );
  assert.equal(Object.keys(sandbox.state().contacts).length, 0);
  assert.equal(sandbox.state().admins.length, 5, 'reset returns to the seed');
  const before = Object.keys(state.contacts)[0];
  assert.notEqual(await createUser(call, { email: 'log@example.com' }), before, 'ids are not reused after a reset');
});

test('sandbox state: a seed file supplies the workspace, admins, teams and custom object types', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-'));
  const seedFile = path.join(dir, 'seed.json');
  writeFileSync(
    seedFile,
    JSON.stringify({
      workspace: { name: 'Acme Support', region: 'EU' },
      admins: [{ id: '42', name: 'Only Admin', email: 'only@acme.example' }],
      teams: [{ id: '7', name: 'Tier 1' }],
      customObjectTypes: ['Order'],
    }),
  );
  const { sandbox, call } = await sandboxWithClient({ seedFile });
  t.after(() => sandbox.close());
  const me = await call('GET', '/me');
  assert.equal(me.body.app.name, 'Acme Support');
  assert.equal(me.body.app.region, 'EU');
  assert.equal(me.body.id, '42');
  assert.deepEqual(
    (await call('GET', '/teams')).body.teams.map((t: { name: string }) => t.name),
    ['Tier 1'],
  );
  assert.equal((await call('POST', '/custom_object_instances/Order', { external_id: 'o-1' })).status, 200);
  assert.equal((await call('POST', '/custom_object_instances/Call', { external_id: 'c-1' })).status, 404);
});

test('sandbox state: a write is on disk (state file + log) by the time its answer arrives', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-'));
  const stateFile = path.join(dir, 'state.json');
  const { sandbox, call } = await sandboxWithClient({ stateFile });
  t.after(() => sandbox.close());
  const id = await createUser(call, { email: 'early@example.com' });
  // No polling: what a restart would read already holds it, through the write-ahead log.
  const recovered = recoverState(stateFile, () => assert.fail('the state file is written at start'));
  assert.equal(recovered.state.contacts[id]?.email, 'early@example.com');
  assert.equal(recovered.replayed, 1);
  assert.ok(statSync(logFileOf(stateFile)).size > 0);
});

test('sandbox state: a reset goes back to the seed as written, and a segment added in one sandbox never shows in another', async () => {
  const first = await startSandbox({ openapiPath: '' });
  const second = await startSandbox({ openapiPath: '' });
  try {
    const post = (url: string, route: string, body?: unknown) =>
      fetch(url + route, {
        method: 'POST',
        headers: { Authorization: 'Bearer sandbox-token' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    assert.equal((await post(first.url, '/__sandbox/segments', { name: 'Only here', tag_ids: [] })).status, 200);
    assert.deepEqual(second.state().segments, []);
    await post(first.url, '/__sandbox/reset');
    assert.deepEqual(first.state().segments, [], 'the built-in seed has no segments');
  } finally {
    await first.close();
    await second.close();
  }
});
