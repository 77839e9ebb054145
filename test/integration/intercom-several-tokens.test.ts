import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EngineUsageError } from '../../src/engine/errors';
import { intercomWorkspaceOf } from '../../src/engine/target-binding';
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
  const single = await intercomWorkspaceOf(
    new IntercomClient({ token: [sandbox.token, sandbox.token], baseUrl: sandbox.url }),
  );
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
  assert.deepEqual(
    client.transport.lanes.live().map((l) => l.number),
    [2],
  );
  const refused = sandbox.requests().filter((r) => r.status === 401);
  assert.ok(
    refused.length >= 1 && refused.length <= 2,
    `${refused.length} requests were refused before the token was dropped`,
  );
});

test("a token of another workspace is refused before anything is written, naming both workspaces and the token's place", async (t) => {
  const sandbox = await startSandbox({
    port: 0,
    tokens: ['app-a', 'app-b'],
    foreignTokens: ['elsewhere'],
    rateLimitPer10s: 100_000,
  });
  t.after(() => sandbox.close());
  const ok = await intercomWorkspaceOf(new IntercomClient({ token: ['app-a', 'app-b'], baseUrl: sandbox.url }));
  assert.ok(ok.appIdCode);
  await assert.rejects(
    intercomWorkspaceOf(new IntercomClient({ token: ['app-a', 'elsewhere', 'app-b'], baseUrl: sandbox.url })),
    (error: unknown) => {
      assert.ok(error instanceof EngineUsageError);
      assert.match(error.message, /access token 2 of 3 belongs to Intercom workspace "Another workspace"/i);
      assert.ok(!error.message.includes('elsewhere'));
      return true;
    },
  );
  assert.equal(sandbox.requests().filter((r) => r.method !== 'GET').length, 0, 'nothing was written');
});

test('requests spread over the tokens, each within its own app limit', async (t) => {
  const sandbox = await startSandbox({ port: 0, tokens: ['app-a', 'app-b', 'app-c'], appLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  const client = new IntercomClient({ token: ['app-a', 'app-b', 'app-c'], baseUrl: sandbox.url });
  await Promise.all(Array.from({ length: 60 }, () => client.admins.list()));
  const stats = client.transport.lanes.live().map((l) => l.limiter.stats().completed);
  assert.equal(
    stats.reduce((a, b) => a + b, 0),
    60,
  );
  assert.ok(
    stats.every((n) => n >= 10),
    `requests per token: ${stats.join(' ')}`,
  );
});
