import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intercomWorkspaceOf } from '../../src/engine/target-binding';
import { EngineUsageError } from '../../src/engine/errors';
import { IntercomClient } from '../../src/intercom';
import { startSandbox } from '../../src/sandbox';

// Issue 19: several tokens are each checked before anything is written, named by their place in the
// list; a token Intercom refuses during a run is dropped and the requests go on with the others.

test('a refused token among several stops the checks, named by its place, never by its value', async (t) => {
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  const client = new IntercomClient({ token: [sandbox.token, 'revoked-app-token'], baseUrl: sandbox.url });
  await assert.rejects(intercomWorkspaceOf(client), (error: unknown) => {
    assert.ok(error instanceof EngineUsageError);
    assert.match(error.message, /access token 2 of 2 \(401\)/);
    assert.ok(!error.message.includes('revoked-app-token'), 'the token itself is never printed');
    return true;
  });
  const single = await intercomWorkspaceOf(new IntercomClient({ token: [sandbox.token, sandbox.token], baseUrl: sandbox.url }));
  assert.ok(single.appIdCode, 'the same token twice is one token');
});

test('a token refused mid-run is dropped with one warning; every request still succeeds on the other', async (t) => {
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  const client = new IntercomClient({ token: ['revoked-app-token', sandbox.token], baseUrl: sandbox.url });
  const heard: string[] = [];
  client.transport.lanes.onDrop((m) => heard.push(m));
  const results = await Promise.all(Array.from({ length: 12 }, () => client.admins.list()));
  assert.equal(results.length, 12);
  assert.ok(results.every((admins) => admins.length > 0));
  assert.equal(heard.length, 1);
  assert.match(heard[0]!, /access token 1 of 2 \(401\)/);
  assert.deepEqual(client.transport.lanes.live().map((l) => l.number), [2]);
  const refused = sandbox.requests().filter((r) => r.status === 401);
  assert.ok(refused.length >= 1 && refused.length <= 2, `${refused.length} requests were refused before the token was dropped`);
});
