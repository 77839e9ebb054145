import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { findSecret, LedgerSecretError, registerSecret, unregisterSecret } from '../../src/ledger';
import { createContact, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

const PASSWORD = 'Tr0ub4dor&3-smartertrack';

test('entries holding a registered secret or a token-shaped string are rejected before reaching the file', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  registerSecret(PASSWORD);
  t.after(() => unregisterSecret(PASSWORD));
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);

  const seq = await run.intent(createContact(1));
  assert.throws(
    () =>
      run.outcome(seq, {
        result: 'failed',
        error: { errorClass: 'auth', message: `login failed for sa with ${PASSWORD}` },
      }),
    (e: unknown) =>
      e instanceof LedgerSecretError && e.path === '$.outcome.error.message' && !e.message.includes(PASSWORD),
  );
  assert.throws(
    () =>
      run.record({
        objectType: 'endUsers',
        sourceId: '1',
        state: 'failed',
        error: { errorClass: 'http', message: 'sent Authorization: Bearer dG9rOmFiY2RlZjEyMzQ1Njc4OTA6MToy' },
      }),
    LedgerSecretError,
  );
  await assert.rejects(
    run.intent({ ...createContact(2), beforeImage: { headers: { 'x-key': 'sk-proj-abcdefghijklmnopqrstuvwxyz' } } }),
    LedgerSecretError,
  );
  // The rejected calls consumed no seq and wrote nothing.
  run.outcome(seq, { result: 'applied', intercomId: 'c-1' });
  await run.finish('completed');
  const text = await readFile(ledger.paths.journal(run.runId), 'utf8');
  assert.ok(!text.includes(PASSWORD) && !text.includes('dG9rOmFi') && !text.includes('sk-proj'));
  const seqs = text
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as { seq: number }).seq);
  assert.deepEqual(seqs, [1, 2, 3, 4]);
});

test('run metadata with credentials in the source description is refused', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  await assert.rejects(
    ledger.startRun({
      ...fullRun,
      source: { kind: 'soap', description: 'https://admin:hunter22@help.example.com/Services2' },
    }),
    /credentials in a URL/,
  );
  assert.deepEqual(await ledger.listRuns(), []);
});

test('findSecret walks keys and nested values; ordinary text passes', () => {
  assert.equal(findSecret({ body: 'Bearer of bad news', note: 'basic plan' }), undefined);
  assert.equal(findSecret({ a: [{ b: 'x' }, { c: 'Bearer abcdefghijkl' }] })?.path, '$.a[1].c');
  registerSecret('tiny');
  assert.equal(findSecret({ tiny: 'tiny' }), undefined, 'values too short to be secrets are not registered');
});
