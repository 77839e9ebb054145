import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WorkspaceApps } from '../../src/sandbox/http/apps';

// The two windows of issue 19, on a pinned clock: the app's and the workspace's across apps.

test('workspace apps: a request the workspace refuses uses up nothing of its app; the 429 says the app limit, 0 left, the workspace reset', () => {
  const now = 1_700_000_003_500;
  const apps = new WorkspaceApps(['a', 'b'], new Set(['x']), { appLimitPer10s: 3, workspaceLimitPer10s: 4 }, () => now);
  const kinds = ['a', 'a', 'a', 'b', 'b'].map((t) => apps.take(t));
  const allowed = kinds.map((k) => (k.kind === 'app' ? k.verdict.allowed : undefined));
  assert.deepEqual(allowed, [true, true, true, true, false]);
  const refused = kinds[4]!;
  assert.equal(refused.kind, 'app');
  if (refused.kind !== 'app') return;
  assert.deepEqual(refused.verdict.headers, {
    'X-RateLimit-Limit': '3',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': '1700000010',
  });
  assert.equal(refused.verdict.limit, 3);
  assert.equal(apps.headersOf('b')['X-RateLimit-Remaining'], '2', "b's window holds only the request that passed");
  assert.deepEqual(apps.take('x'), { kind: 'foreign' });
  assert.deepEqual(apps.take('nobody'), { kind: 'unknown' });
  assert.deepEqual(apps.take(undefined), { kind: 'unknown' });
  assert.ok(apps.revoke('b'));
  assert.equal(apps.revoke('nobody'), false);
  assert.deepEqual(apps.take('b'), { kind: 'unknown' });
  assert.ok(apps.has('b'), 'a revoked app is still one of the workspace');
});

test('workspace apps: a new window restores both limits', () => {
  let now = 1_700_000_003_500;
  const apps = new WorkspaceApps(['a', 'b'], new Set(), { appLimitPer10s: 2, workspaceLimitPer10s: 3 }, () => now);
  const allowed = (t: string) => {
    const k = apps.take(t);
    return k.kind === 'app' && k.verdict.allowed;
  };
  assert.deepEqual(['a', 'a', 'a', 'b', 'b'].map(allowed), [true, true, false, true, false]);
  now = 1_700_000_010_000;
  assert.deepEqual(['b', 'b', 'b', 'a', 'a'].map(allowed), [true, true, false, true, false]);
});
