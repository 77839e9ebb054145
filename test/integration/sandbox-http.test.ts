import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sandboxWithClient } from './sandbox-helpers';

test('sandbox auth: missing, wrong and revoked tokens get 401 unauthorized without rate-limit headers', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const missing = await fetch(`${sandbox.url}/me`);
  assert.equal(missing.status, 401);
  const body = (await missing.json()) as { type: string; request_id: string; errors: unknown[] };
  assert.equal(body.type, 'error.list');
  assert.match(body.request_id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(body.errors, [{ code: 'unauthorized', message: 'Access Token Invalid' }]);
  assert.equal(missing.headers.get('x-ratelimit-limit'), null);

  assert.equal((await call('GET', '/me', undefined, { Authorization: 'Bearer nope' })).status, 401);
  assert.equal((await call('GET', '/me')).status, 200);
  sandbox.revokeToken();
  assert.equal((await call('GET', '/me')).status, 401);
  sandbox.setToken('fresh-token');
  assert.equal((await call('GET', '/me', undefined, { Authorization: 'Bearer fresh-token' })).status, 200);
  assert.equal(sandbox.token, 'fresh-token');
});

test('sandbox version header: absent means the default, unknown versions are refused', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const me = await call('GET', '/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.app.name, 'Sandbox');
  assert.equal(me.body.app.region, 'US');
  assert.equal((await call('GET', '/me', undefined, { 'Intercom-Version': '2.16' })).status, 200);
  const bad = await call('GET', '/me', undefined, { 'Intercom-Version': '9.9' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].code, 'intercom_version_invalid');
});

test('sandbox routes: unknown routes get a 404 error list; seeded resources cannot be created', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const unknown = await call('GET', '/no/such/thing');
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.body.errors, [{ code: 'not_found', message: 'Resource Not Found' }]);
  for (const path of ['/admins', '/teams', '/help_center/help_centers']) {
    assert.equal((await call('POST', path, { name: 'x' })).status, 404, `POST ${path}`);
  }
  assert.equal((await call('GET', '/admins')).body.admins.length, 5);
  assert.equal((await call('GET', '/teams')).body.teams.length, 3);
  assert.equal((await call('GET', '/admins/991267002')).body.name, 'Ben Agent');
  assert.equal((await call('GET', '/admins/1')).body.errors[0].code, 'admin_not_found');
  assert.equal((await call('GET', '/teams/1')).body.errors[0].code, 'team_not_found');
  assert.equal((await call('GET', '/help_center/help_centers')).body.data.length, 1);
  const order = await call('POST', '/custom_object_instances/Order', { external_id: 'o1' });
  assert.equal(order.status, 404);
  assert.equal(order.body.errors[0].message, 'Custom object type `Order` not found');
});

async function burst(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call: (m: string, p: string) => Promise<{ status: number; headers: Headers; body: any }>,
  n: number,
) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await call('GET', '/me'));
  return out;
}

test('sandbox rate limit: headers on every response, 429 with Intercom body and no Retry-After once the window is spent', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ rateLimitPer10s: 3 });
  t.after(() => sandbox.close());
  // A burst can straddle a window boundary; retry until one burst sits inside a single window.
  for (let attempt = 0; attempt < 5; attempt++) {
    const responses = await burst(call, 5);
    const resets = new Set(responses.map((r) => r.headers.get('x-ratelimit-reset')));
    if (resets.size !== 1) continue;
    const reset = Number([...resets][0]);
    assert.equal(reset % 10, 0, 'windows are 10 s long and end on a 10 s boundary');
    assert.ok(reset * 1000 > Date.now() - 1000 && reset * 1000 <= Date.now() + 10_000);
    if (responses[0]?.status === 200) {
      // The first burst of a window: 3 allowed, then 429s.
      const statuses = responses.map((r) => r.status);
      const firstRejected = statuses.indexOf(429);
      assert.ok(firstRejected >= 1 && statuses.slice(firstRejected).every((s) => s === 429), statuses.join(','));
    }
    const rejected = responses.find((r) => r.status === 429);
    assert.ok(rejected);
    assert.deepEqual(rejected.body.errors, [
      { code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 3 in 10_seconds' },
    ]);
    assert.equal(rejected.headers.get('x-ratelimit-limit'), '3');
    assert.equal(rejected.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(rejected.headers.get('retry-after'), null);
    const remaining = responses
      .filter((r) => r.status === 200)
      .map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    assert.deepEqual(
      remaining,
      [...remaining].sort((a, b) => b - a),
      'remaining counts down',
    );
    return;
  }
  assert.fail('no burst fitted in one 10 s window');
});
