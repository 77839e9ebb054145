import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RecordTally } from '../../src/ledger';
import { fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

test('counts: the latest record entry per source record wins across resumed attempts', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  run.record({
    objectType: 'tickets',
    sourceId: '1',
    state: 'failed',
    error: { errorClass: 'server', message: '500' },
  });
  run.record({
    objectType: 'tickets',
    sourceId: '2',
    state: 'failed',
    error: { errorClass: 'validation', message: 'too long', field: 'subject' },
  });
  run.record({ objectType: 'tickets', sourceId: '3', state: 'skipped', reason: 'spam' });
  run.record({ objectType: 'tags', sourceId: 'vip', state: 'migrated', intercomId: 't-1' });
  await run.finish('failed', 'server errors');

  const resumed = await ledger.resumeRun(run.runId);
  resumed.record({ objectType: 'tickets', sourceId: '1', state: 'migrated', intercomId: 'conv-1' });
  resumed.record({ objectType: 'tickets', sourceId: '4', state: 'skipped', reason: 'spam' });
  const meta = await resumed.finish('completed');

  const expected = {
    tickets: {
      migrated: 1,
      skipped: 2,
      failed: 1,
      skippedReasons: { spam: 2 },
      failedReasons: { 'validation: subject': 1 },
    },
    tags: { migrated: 1, skipped: 0, failed: 0, skippedReasons: {}, failedReasons: {} },
  };
  assert.deepEqual(meta.counts, expected);
  assert.deepEqual(await ledger.countRun(run.runId), expected);
  assert.equal(ledger.recordState('tickets', '1')?.result.state, 'migrated');
});

test('RecordTally on its own', () => {
  const tally = new RecordTally();
  tally.add({ objectType: 'kbArticles', sourceId: '1', result: { state: 'skipped', reason: 'draft' } });
  tally.add({ objectType: 'kbArticles', sourceId: '1', result: { state: 'skipped', reason: 'private' } });
  assert.deepEqual(tally.counts().kbArticles?.skippedReasons, { private: 1 });
  assert.equal(tally.size, 1);
});
