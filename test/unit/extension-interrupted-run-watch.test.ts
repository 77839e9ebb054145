import assert from 'node:assert/strict';
import { test } from 'node:test';

import { interruptedRunToTell } from '../../src/extension/interrupted-run-watch';
import type { PhaseInputs } from '../../src/extension/phase-state';

type Run = PhaseInputs['runs'][number];
const counts = { migrated: 0, skipped: 0, failed: 0 } as unknown as Run['counts'];
const full = (status: Run['status'], interrupted: boolean): Run => ({
  id: 'f1',
  kind: 'full',
  status,
  interrupted,
  counts,
});
const noticeOf = (runs: PhaseInputs['runs']) => runs.find((r) => r.interrupted)?.id;

/** The ledger as successive reads see it: each refresh moves to the next view. */
function ledger(views: Run[][]) {
  let read = 0;
  const waits: number[] = [];
  return {
    runs: () => views[Math.min(read, views.length - 1)] ?? [],
    refresh: async () => void read++,
    wait: async (ms: number) => void waits.push(ms),
    reads: () => read,
    waits,
  };
}

test('after a reload, a run still locked by the closing window is told once its lock is gone', async () => {
  const l = ledger([[full('running', false)], [full('running', false)], [full('running', true)]]);
  const told = await interruptedRunToTell({ ...l, noticeOf, runActive: () => false });
  assert.equal(told, 'f1');
  assert.equal(l.reads(), 2, 'the ledger read again until the run showed interrupted');
  assert.deepEqual(l.waits, [2000, 2000]);
});

test('nothing running: told at once or not at all, without a second read', async () => {
  const interrupted = ledger([[full('running', true)]]);
  assert.equal(await interruptedRunToTell({ ...interrupted, noticeOf, runActive: () => false }), 'f1');
  const done = ledger([[full('completed', false)]]);
  assert.equal(await interruptedRunToTell({ ...done, noticeOf, runActive: () => false }), undefined);
  assert.equal(interrupted.reads() + done.reads(), 0);
});

test('a run alive in another window is watched for a bounded time; a run of this window ends the watch', async () => {
  const alive = ledger([[full('running', false)]]);
  assert.equal(await interruptedRunToTell({ ...alive, noticeOf, runActive: () => false, tries: 4 }), undefined);
  assert.equal(alive.reads(), 4);
  const ours = ledger([[full('running', false)]]);
  assert.equal(await interruptedRunToTell({ ...ours, noticeOf, runActive: () => true }), undefined);
  assert.equal(ours.reads(), 0);
});
