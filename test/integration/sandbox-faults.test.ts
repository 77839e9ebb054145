import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { sandboxWithClient } from './sandbox-helpers';

const contact = (n: number) => ({ role: 'user', external_id: `f-${n}` });

test('sandbox faults: 429, 500, 502 and 503 are answered before the write, in Intercom shapes', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  sandbox.setFaults('429:1');
  const limited = await call('POST', '/contacts', contact(1));
  assert.equal(limited.status, 429);
  assert.equal(limited.body.errors[0].code, 'rate_limit_exceeded');
  assert.ok(limited.headers.get('x-ratelimit-reset'));
  assert.equal(limited.headers.get('retry-after'), null);

  sandbox.setFaults('500:1');
  const failed = await call('POST', '/contacts', contact(2));
  assert.equal(failed.status, 500);
  assert.equal(failed.body.type, 'error.list');

  sandbox.setFaults('502:1');
  const gateway = await call('POST', '/contacts', contact(3));
  assert.equal(gateway.status, 502);
  assert.match(gateway.headers.get('content-type') ?? '', /text\/html/);

  sandbox.setFaults('503:1');
  const unavailable = await call('POST', '/contacts', contact(4));
  assert.equal(unavailable.status, 503);
  assert.equal(unavailable.body.errors[0].code, 'service_unavailable');

  assert.equal(Object.keys(sandbox.state().contacts).length, 0, 'no injected error applied the write');
  assert.deepEqual(
    sandbox.requests().map((r) => r.fault),
    ['429', '500', '502', '503'],
  );
});

test('sandbox faults: drop applies the write, then closes the connection without answering', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  sandbox.setFaults('drop:1');
  await assert.rejects(call('POST', '/contacts', { role: 'user', email: 'dropped@example.com' }));
  sandbox.setFaults('');
  const contacts = Object.values(sandbox.state().contacts);
  assert.equal(contacts.length, 1);
  assert.equal(contacts[0]?.email, 'dropped@example.com');
  const retry = await call('POST', '/contacts', { role: 'user', email: 'dropped@example.com' });
  assert.equal(retry.status, 409, 'a blind retry after a drop meets the contact it already created');
  assert.equal(sandbox.requests()[0]?.fault, 'drop');
});

test('sandbox faults: slow delays but answers; /__sandbox is never faulted', async (t) => {
  const { sandbox, call } = await sandboxWithClient({ faults: 'slow:1,slow-ms=20' });
  t.after(() => sandbox.close());
  const r = await call('GET', '/me');
  assert.equal(r.status, 200);
  assert.equal(sandbox.requests()[0]?.fault, 'slow');
  sandbox.setFaults('500:1');
  const state = await fetch(`${sandbox.url}/__sandbox/state`, {
    headers: { Authorization: `Bearer ${sandbox.token}` },
  });
  assert.equal(state.status, 200);
  const set = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sandbox.token}` },
    body: JSON.stringify({ spec: '' }),
  });
  assert.equal(set.status, 200);
  assert.equal((await call('GET', '/me')).status, 200, 'faults cleared at run time through the control endpoint');
  const invalid = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sandbox.token}` },
    body: JSON.stringify({ spec: '500:7' }),
  });
  assert.equal(invalid.status, 400);
});

test('sandbox faults: a script hits exactly the nth matching request', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-'));
  const script = path.join(dir, 'faults.json');
  writeFileSync(
    script,
    JSON.stringify([
      { match: { method: 'POST', pathRegex: '^/conversations/[0-9]+/reply$', nth: 2 }, fault: 'drop' },
      { match: { method: 'GET', pathRegex: '^/teams$' }, fault: '503' },
    ]),
  );
  const { sandbox, call } = await sandboxWithClient({ faults: `script:${script}` });
  t.after(() => sandbox.close());
  const contactId = (await call('POST', '/contacts', { role: 'user', email: 's@example.com' })).body.id;
  const id = (await call('POST', '/conversations', { from: { type: 'user', id: contactId }, body: 'hi' })).body
    .conversation_id;
  const reply = { message_type: 'comment', type: 'admin', admin_id: '991267001', body: 'r' };
  assert.equal((await call('POST', `/conversations/${id}/reply`, reply)).status, 200);
  await assert.rejects(call('POST', `/conversations/${id}/reply`, reply));
  assert.equal((await call('POST', `/conversations/${id}/reply`, reply)).status, 200);
  assert.equal(sandbox.state().conversations[id]?.parts.length, 3, 'the dropped reply was applied');
  assert.equal((await call('GET', '/teams')).status, 503);
  assert.equal((await call('GET', '/teams')).status, 503);
});
