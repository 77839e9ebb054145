import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AppliedWrite, RunJournal } from '../../src/ledger';
import { createContact, createIntent, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

async function migrateSome(run: RunJournal): Promise<void> {
  for (const id of [1, 2]) {
    const seq = await run.intent(createIntent('organizations', id));
    run.outcome(seq, { result: 'applied', intercomId: `co-${id}` });
    run.record({ objectType: 'organizations', sourceId: String(id), state: 'migrated', intercomId: `co-${id}` });
  }
  for (const id of [10, 11]) {
    const seq = await run.intent(createContact(id));
    run.outcome(seq, { result: 'applied', intercomId: `c-${id}` });
    run.record({ objectType: 'endUsers', sourceId: String(id), state: 'migrated', intercomId: `c-${id}` });
  }
  const failed = await run.intent(createContact(12));
  run.outcome(failed, {
    result: 'failed',
    error: { errorClass: 'conflict', message: 'contact exists', httpStatus: 409 },
  });
  const updated = await run.intent({
    op: 'update',
    objectType: 'endUsers',
    sourceId: '13',
    existedBefore: true,
    beforeImage: { name: 'Old Name' },
    target: { resource: 'contact', intercomId: 'c-13', description: 'PUT /contacts/c-13' },
    lookup: { by: 'intercom_id', id: 'c-13' },
  });
  run.outcome(updated, { result: 'applied', intercomId: 'c-13' });
  run.record({ objectType: 'endUsers', sourceId: '13', state: 'migrated', intercomId: 'c-13' });
}

/** Journals the intent to undo one write; returns its seq. */
function undoIntent(rollback: RunJournal, write: AppliedWrite): Promise<number> {
  const { intent, outcome } = write;
  return rollback.intent({
    op: intent.op === 'create' ? 'delete' : 'restore',
    objectType: intent.objectType,
    sourceId: intent.sourceId,
    target: {
      resource: intent.target.resource,
      intercomId: outcome.outcome.intercomId,
      description: `undo seq ${intent.seq}`,
    },
    lookup: { by: 'intercom_id', id: outcome.outcome.intercomId },
    undoes: { runId: intent.runId, seq: intent.seq, op: intent.op },
  });
}

async function undo(rollback: RunJournal, write: AppliedWrite): Promise<void> {
  rollback.outcome(await undoIntent(rollback, write), {
    result: 'applied',
    intercomId: write.outcome.outcome.intercomId,
  });
}

test('applied writes come back latest first, without failed ones, for rollback', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await migrateSome(run);
  await run.finish('completed');
  const writes = await ledger.appliedWrites(run.runId);
  assert.deepEqual(
    writes.map((w) => w.outcome.outcome.intercomId),
    ['c-13', 'c-11', 'c-10', 'co-2', 'co-1'],
  );
  assert.deepEqual(writes[0]?.intent.beforeImage, { name: 'Old Name' });
  assert.ok(writes.every((w, i) => i === 0 || (writes[i - 1]?.intent.seq ?? 0) > w.intent.seq));
});

test('rollback is resumable: already-undone writes are skipped, and a completed rollback clears the index', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const before = await ledger.startRun(fullRun);
  before.record({ objectType: 'endUsers', sourceId: '5', state: 'migrated', intercomId: 'c-5' });
  await before.finish('completed');
  const run = await ledger.startRun({ ...fullRun, kind: 'delta' });
  await migrateSome(run);
  await run.finish('completed');

  const rollback = await ledger.startRun({ ...fullRun, kind: 'rollback', rollbackOf: run.runId });
  const plan = await rollback.writesToUndo();
  assert.equal(plan.length, 5);
  await undo(rollback, plan[0] as AppliedWrite);
  await undo(rollback, plan[1] as AppliedWrite);
  // The third undo is sent but the process dies before its outcome.
  const third = plan[2] as AppliedWrite;
  await rollback.intent({
    op: 'delete',
    objectType: third.intent.objectType,
    sourceId: third.intent.sourceId,
    target: { resource: 'contact', intercomId: third.outcome.outcome.intercomId, description: 'DELETE contact' },
    lookup: { by: 'intercom_id', id: third.outcome.outcome.intercomId },
    undoes: { runId: run.runId, seq: third.intent.seq, op: 'create' },
  });
  await rollback.close();
  assert.equal(ledger.intercomIdFor('endUsers', '11'), undefined, 'undone create is gone from the index');
  assert.equal(ledger.intercomIdFor('endUsers', '13'), 'c-13', 'a restored pre-existing record keeps its id');
  assert.equal(ledger.intercomIdFor('endUsers', '10'), 'c-10');

  const { ledger: reopened } = await quietLedger(ws.dir);
  const resumed = await reopened.resumeRun(rollback.runId);
  await assert.rejects(resumed.writesToUndo(), /pending undo intent/);
  const [pending] = resumed.pendingIntents();
  assert.equal(pending?.undoes?.seq, third.intent.seq);
  resumed.outcome(pending?.seq ?? 0, { result: 'applied', intercomId: 'c-10', resolvedBy: 'lookup' });
  const rest = await resumed.writesToUndo();
  assert.deepEqual(
    rest.map((w) => w.outcome.outcome.intercomId),
    ['co-2', 'co-1'],
  );
  for (const w of rest) await undo(resumed, w);
  assert.deepEqual(await resumed.writesToUndo(), []);
  await resumed.finish('completed');

  for (const [type, id] of [
    ['organizations', '1'],
    ['organizations', '2'],
    ['endUsers', '10'],
    ['endUsers', '11'],
  ] as const) {
    assert.equal(reopened.intercomIdFor(type, id), undefined, `${type} ${id}`);
    assert.equal(reopened.recordState(type, id), undefined, `${type} ${id}`);
  }
  assert.equal(reopened.recordState('endUsers', '13'), undefined);
  assert.equal(reopened.mapping('endUsers', '13')?.existedBefore, true);
  // The next delta compares the source with what the runs before the rolled-back one recorded.
  assert.equal(
    reopened.recordState('endUsers', '5')?.runId,
    before.runId,
    'records of earlier runs survive the rollback',
  );
  assert.equal(reopened.intercomIdFor('endUsers', '5'), 'c-5');

  const { ledger: rebuilt } = await quietLedger(ws.dir);
  await rebuilt.rebuildIndex();
  assert.deepEqual(rebuilt.indexSnapshot(), reopened.indexSnapshot());
});

test('a rollback run counts its undo calls by outcome, each write once by its latest (the Runs view shows them)', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await migrateSome(run);
  await run.finish('completed');
  const rollback = await ledger.startRun({ ...fullRun, kind: 'rollback', rollbackOf: run.runId });
  const [a, b, c, d, e] = (await rollback.writesToUndo()) as AppliedWrite[];
  await undo(rollback, a!);
  await undo(rollback, b!);
  rollback.outcome(await undoIntent(rollback, c!), {
    result: 'applied',
    intercomId: 'c-10',
    relatedIds: { note: 'already gone' },
  });
  // Failed once, then undone by the next try: undone, not failed.
  rollback.outcome(await undoIntent(rollback, d!), {
    result: 'failed',
    error: { errorClass: 'server', message: '500' },
  });
  await undo(rollback, d!);
  rollback.outcome(await undoIntent(rollback, e!), {
    result: 'failed',
    error: { errorClass: 'server', message: '500' },
  });
  await rollback.finish('failed');
  assert.deepEqual(await ledger.undoCounts(rollback.runId), { undone: 3, alreadyGone: 1, covered: 0, failed: 1 });
  assert.deepEqual(
    await ledger.countRun(rollback.runId),
    {},
    'no record entries: the record counts alone read "0 migrated"',
  );
});
