import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../src/sandbox';

// Issue 19: the sandbox models Intercom's two limits, per app (token) and per workspace across apps,
// with the app's headers on every answer, one token's revocation, and a token of another workspace.

const get = (url: string, token: string, path = '/admins') => fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}`, 'Intercom-Version': '2.16' } });

test('each app gets its own window; all apps together stop at the workspace limit; 429s carry the app headers', async (t) => {
  // A 60-s window keeps the whole test inside one window whatever the machine's speed.
  const sandbox = await startSandbox({ port: 0, tokens: ['app-a', 'app-b'], appLimitPer10s: 50, workspaceLimitPer10s: 80, rateLimitWindowSeconds: 60 });
  t.after(() => sandbox.close());
  assert.deepEqual(sandbox.tokens, ['app-a', 'app-b']);
  const statuses = async (token: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await get(sandbox.url, token)).status);
    return out;
  };
  const a = await statuses('app-a', 55);
  assert.equal(a.filter((s) => s === 200).length, 50, 'app a: its own limit');
  const b = await statuses('app-b', 40);
  assert.equal(b.filter((s) => s === 200).length, 30, 'app b: what the workspace has left (80 − 50)');
  const refused = await get(sandbox.url, 'app-b');
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('x-ratelimit-limit'), '50', "the app's limit");
  assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(refused.headers.get('x-ratelimit-reset')) > Date.now() / 1000 - 1);
});

test('a single token behaves as before: its limit alone, the workspace never below it', async (t) => {
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 5000, rateLimitWindowSeconds: 60 });
  t.after(() => sandbox.close());
  let ok = 0;
  for (let i = 0; i < 4200; i += 1) if ((await get(sandbox.url, sandbox.token, '/me')).status === 200) ok++;
  assert.equal(ok, 4200, 'above 4,167: the workspace limit follows a higher app limit');
});

test('revoking one token leaves the others working; a token of another workspace only answers /me, naming it', async (t) => {
  const sandbox = await startSandbox({ port: 0, tokens: ['app-a', 'app-b'], foreignTokens: ['elsewhere'], rateLimitPer10s: 100_000 });
  t.after(() => sandbox.close());
  sandbox.revokeToken('app-b');
  assert.equal((await get(sandbox.url, 'app-b')).status, 401);
  assert.equal((await get(sandbox.url, 'app-a')).status, 200);
  const ours = (await (await get(sandbox.url, 'app-a', '/me')).json()) as { app: { id_code: string } };
  const theirs = (await (await get(sandbox.url, 'elsewhere', '/me')).json()) as { app: { id_code: string; name: string } };
  assert.notEqual(theirs.app.id_code, ours.app.id_code);
  assert.equal(theirs.app.name, 'Another workspace');
  assert.equal((await get(sandbox.url, 'elsewhere')).status, 401);
});
