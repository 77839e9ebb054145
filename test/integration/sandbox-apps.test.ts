import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startSandbox } from '../../src/sandbox';

// Issue 19: the sandbox models Intercom's two limits, per app (token) and per workspace across apps,
// with the app's headers on every answer, one token's revocation, and a token of another workspace.
// The sandbox's clock is pinned: a window rolls over only when a test moves the clock, never because
// the machine was slow.

const WINDOW_START_MS = Date.parse('2026-12-04T12:00:00Z');

function pinnedClock(at = WINDOW_START_MS + 3_500) {
  let ms = at;
  return { now: () => new Date(ms), advance: (by: number) => void (ms += by) };
}

const get = (url: string, token: string, path = '/admins') =>
  fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}`, 'Intercom-Version': '2.16' } });

interface Answer {
  status: number;
  limit: string | null;
  remaining: string | null;
  reset: string | null;
}

async function answer(url: string, token: string, path?: string): Promise<Answer> {
  const r = await get(url, token, path);
  await r.arrayBuffer();
  return {
    status: r.status,
    limit: r.headers.get('x-ratelimit-limit'),
    remaining: r.headers.get('x-ratelimit-remaining'),
    reset: r.headers.get('x-ratelimit-reset'),
  };
}

const ok = (answers: Answer[]) => answers.filter((a) => a.status === 200).length;

test('two apps at 50 each under a workspace of 80: each app at most 50, both together at most 80, 429s with the app headers', async (t) => {
  const clock = pinnedClock();
  const sandbox = await startSandbox({
    port: 0,
    tokens: ['app-a', 'app-b'],
    appLimitPer10s: 50,
    workspaceLimitPer10s: 80,
    clock,
  });
  t.after(() => sandbox.close());
  assert.deepEqual(sandbox.tokens, ['app-a', 'app-b']);
  assert.equal(sandbox.token, 'app-a');
  const windowEnd = String(WINDOW_START_MS / 1000 + 10);

  // One app alone: its own limit.
  const a = [];
  for (let i = 0; i < 55; i++) a.push(await answer(sandbox.url, 'app-a'));
  assert.equal(ok(a), 50, 'app a: its own limit');
  assert.deepEqual(
    a.slice(0, 3).map((x) => x.remaining),
    ['49', '48', '47'],
    "app a's own count",
  );
  assert.deepEqual(a[54], { status: 429, limit: '50', remaining: '0', reset: windowEnd });

  // The other app: what the workspace has left (80 − 50), then 429s that still speak of its own app.
  const b = [];
  for (let i = 0; i < 40; i++) b.push(await answer(sandbox.url, 'app-b'));
  assert.equal(ok(b), 30, 'app b: the workspace has 30 left');
  assert.equal(b[0]!.remaining, '49', "app b's window is its own");
  assert.equal(b[29]!.remaining, '20');
  for (const refused of b.slice(30))
    assert.deepEqual(refused, { status: 429, limit: '50', remaining: '0', reset: windowEnd });
  const body = (await (await get(sandbox.url, 'app-b')).json()) as { type: string; errors: { code: string }[] };
  assert.equal(body.type, 'error.list');
  assert.equal(body.errors[0]!.code, 'rate_limit_exceeded');

  // The next window: both apps at once, concurrently; the workspace's 80 is shared, neither app passes 50.
  clock.advance(10_000);
  const both = await Promise.all(
    Array.from({ length: 120 }, (_, i) => answer(sandbox.url, i % 2 === 0 ? 'app-a' : 'app-b')),
  );
  const of = (n: number) => both.filter((_, i) => i % 2 === n);
  assert.ok(ok(of(0)) <= 50 && ok(of(1)) <= 50, `${ok(of(0))} and ${ok(of(1))}`);
  assert.equal(ok(both), 80, 'both together: the workspace limit');
  for (const refused of both.filter((x) => x.status === 429)) {
    assert.equal(refused.limit, '50');
    assert.equal(refused.remaining, '0');
    assert.equal(refused.reset, String(WINDOW_START_MS / 1000 + 20));
  }
});

test('a workspace limit below the app limit is allowed: the workspace stops the app first', async (t) => {
  const clock = pinnedClock();
  const sandbox = await startSandbox({ port: 0, appLimitPer10s: 50, workspaceLimitPer10s: 10, clock });
  t.after(() => sandbox.close());
  const answers = [];
  for (let i = 0; i < 12; i++) answers.push(await answer(sandbox.url, sandbox.token));
  assert.equal(ok(answers), 10);
  assert.equal(answers[9]!.remaining, '40');
  assert.deepEqual(answers[10], {
    status: 429,
    limit: '50',
    remaining: '0',
    reset: String(WINDOW_START_MS / 1000 + 10),
  });
});

test('a single token behaves as before: its limit alone, the workspace never below it', async (t) => {
  const clock = pinnedClock();
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 5000, clock });
  t.after(() => sandbox.close());
  assert.deepEqual(sandbox.tokens, ['sandbox-token']);
  const answers: Answer[] = [];
  for (let batch = 0; batch < 42; batch++)
    answers.push(...(await Promise.all(Array.from({ length: 100 }, () => answer(sandbox.url, sandbox.token, '/me')))));
  assert.equal(ok(answers), 4200, 'above 4,167: the workspace limit follows a higher app limit');
  assert.equal(Math.min(...answers.map((x) => Number(x.remaining))), 800);
  assert.ok(answers.every((x) => x.limit === '5000'));

  // The same limiter as before: 3 per window, the 4th refused with the app's headers.
  const small = await startSandbox({ port: 0, rateLimitPer10s: 3, clock });
  t.after(() => small.close());
  const four = [];
  for (let i = 0; i < 4; i++) four.push(await answer(small.url, small.token, '/me'));
  assert.deepEqual(
    four.map((x) => [x.status, x.remaining]),
    [
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ],
  );
});

test('revoking one token leaves the others working, in code and through /__sandbox/revoke', async (t) => {
  const clock = pinnedClock();
  const sandbox = await startSandbox({ port: 0, token: 'app-a', tokens: ['app-b', 'app-c', 'app-d'], clock });
  t.after(() => sandbox.close());
  assert.deepEqual(sandbox.tokens, ['app-a', 'app-b', 'app-c', 'app-d'], '`token` is the first app, prepended');
  const control = (body: unknown, token = sandbox.token) =>
    fetch(`${sandbox.url}/__sandbox/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  sandbox.revokeToken('app-b');
  const refused = await get(sandbox.url, 'app-b');
  assert.equal(refused.status, 401);
  assert.deepEqual(((await refused.json()) as { errors: unknown[] }).errors, [
    { code: 'unauthorized', message: 'Access Token Invalid' },
  ]);
  assert.equal(refused.headers.get('x-ratelimit-limit'), null, 'no rate-limit headers without valid credentials');
  assert.equal((await get(sandbox.url, 'app-a')).status, 200);
  assert.throws(() => sandbox.revokeToken('no-such-app'), /not one of/);

  // The control endpoint: by token or by place; it needs the control token (the first app's).
  assert.equal((await control({ token: 'app-c' }, 'app-d')).status, 401, 'another app cannot use the control plane');
  const byToken = await control({ token: 'app-c' });
  assert.equal(byToken.status, 200);
  assert.deepEqual(await byToken.json(), { revoked: true, index: 2 });
  assert.equal((await get(sandbox.url, 'app-c')).status, 401);
  assert.equal((await control({ token: 'nobody' })).status, 404);
  assert.equal((await control({ index: 9 })).status, 404);
  assert.equal((await control({ index: -1 })).status, 400);
  assert.equal((await control({})).status, 400);
  assert.equal((await get(sandbox.url, 'app-d')).status, 200);

  // The first app revoked: the API refuses it, the control plane still takes it.
  const first = await control({ index: 0 });
  assert.deepEqual(await first.json(), { revoked: true, index: 0 });
  assert.equal((await get(sandbox.url, 'app-a')).status, 401);
  assert.equal((await get(sandbox.url, 'app-d')).status, 200, 'the last app keeps working');
  assert.equal(
    (await fetch(`${sandbox.url}/__sandbox/state`, { headers: { Authorization: 'Bearer app-a' } })).status,
    200,
  );
});

test('every app of the workspace names the same workspace in /me; a foreign token names another and writes nothing', async (t) => {
  const clock = pinnedClock();
  const sandbox = await startSandbox({ port: 0, tokens: ['app-a', 'app-b'], foreignTokens: ['elsewhere'], clock });
  t.after(() => sandbox.close());
  const me = async (token: string) =>
    (await (await get(sandbox.url, token, '/me')).json()) as { app: { id_code: string; name: string } };
  const [a, b, theirs] = [await me('app-a'), await me('app-b'), await me('elsewhere')];
  assert.equal(a.app.id_code, b.app.id_code);
  assert.equal(a.app.name, b.app.name);
  assert.notEqual(theirs.app.id_code, a.app.id_code);
  assert.equal(theirs.app.name, 'Another workspace');
  assert.equal((await get(sandbox.url, 'elsewhere')).status, 401);
  const before = Object.keys(sandbox.state().contacts).length;
  const write = await fetch(`${sandbox.url}/contacts`, {
    method: 'POST',
    headers: { Authorization: 'Bearer elsewhere', 'Content-Type': 'application/json', 'Intercom-Version': '2.16' },
    body: JSON.stringify({ role: 'user', email: 'foreign@example.com' }),
  });
  assert.equal(write.status, 401);
  assert.equal(Object.keys(sandbox.state().contacts).length, before, 'nothing written');
  await assert.rejects(startSandbox({ port: 0, tokens: ['app-a', 'app-b', 'app-b'] }), /listed twice/);
  await assert.rejects(
    startSandbox({ port: 0, tokens: ['app-a'], foreignTokens: ['app-a'] }),
    /also given as another workspace's/,
  );
  await assert.rejects(startSandbox({ port: 0, appLimitPer10s: 1.5 }), /app limit/);
});
