import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';

import { LedgerUsageError } from '../../src/ledger';
import { JournalEntry } from '../../src/model/journal';
import { createContact, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

test('intent, outcome and record round-trip through the journal, run.json and the index', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);

  const seq = await run.intent(createContact(7));
  run.outcome(seq, { result: 'applied', intercomId: 'c-7', relatedIds: { workspace: 'abc' } });
  run.record({ objectType: 'endUsers', sourceId: '7', state: 'migrated', intercomId: 'c-7' });
  run.record({ objectType: 'endUsers', sourceId: '8', state: 'skipped', reason: 'no email and no external id' });
  const failedSeq = await run.intent(createContact(9));
  run.outcome(failedSeq, {
    result: 'failed',
    error: { errorClass: 'validation', message: 'email is invalid', field: 'email', httpStatus: 400 },
  });
  run.record({
    objectType: 'endUsers',
    sourceId: '9',
    state: 'failed',
    error: { errorClass: 'validation', message: 'email is invalid', field: 'email' },
  });
  const meta = await run.finish('completed');

  const lines = (await readFile(ledger.paths.journal(run.runId), 'utf8')).trimEnd().split('\n');
  const entries = lines.map((l) => JournalEntry.parse(JSON.parse(l)));
  assert.deepEqual(
    entries.map((e) => e.type),
    ['run-status', 'intent', 'outcome', 'record', 'record', 'intent', 'outcome', 'record', 'run-status'],
  );
  assert.deepEqual(
    entries.map((e) => e.seq),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.ok(entries.every((e) => e.runId === run.runId && !Number.isNaN(Date.parse(e.at))));
  const outcome = entries[2];
  assert.equal(outcome?.type === 'outcome' && outcome.intentSeq, seq);

  assert.equal(meta.status, 'completed');
  assert.deepEqual(meta.counts?.endUsers, {
    migrated: 1,
    skipped: 1,
    failed: 1,
    skippedReasons: { 'no email and no external id': 1 },
    failedReasons: { 'validation: email': 1 },
  });
  const runJson = JSON.parse(await readFile(ledger.paths.runMeta(run.runId), 'utf8'));
  assert.equal(runJson.status, 'completed');
  assert.equal(runJson.kind, 'full');
  assert.equal(runJson.mappingHash, 'sha256:0f3a');

  assert.equal(ledger.intercomIdFor('endUsers', '7'), 'c-7');
  assert.equal(ledger.intercomIdFor('endUsers', '9'), undefined);
  assert.equal(ledger.mapping('endUsers', '7')?.createdByRun, run.runId);
  assert.equal(ledger.recordState('endUsers', '8')?.result.state, 'skipped');

  const details = await ledger.readRun(run.runId);
  assert.equal(details.pendingIntents.length, 0);
  assert.equal(details.entries, 9);
  assert.equal(details.interrupted, false);
});

test('an outcome needs a pending intent of the same run, once', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const seq = await run.intent(createContact(1));
  assert.throws(() => run.outcome(seq + 100, { result: 'not-applied', reason: 'x' }), LedgerUsageError);
  run.outcome(seq, { result: 'applied', intercomId: 'c-1' });
  assert.throws(() => run.outcome(seq, { result: 'applied', intercomId: 'c-1' }), /already has an outcome/);
  assert.throws(
    () => run.record({ objectType: 'endUsers', sourceId: '', state: 'skipped', reason: 'x' } as never),
    LedgerUsageError,
  );
  await run.finish('completed');
  assert.throws(() => run.record({ objectType: 'endUsers', sourceId: '1', state: 'skipped', reason: 'x' }), /finished/);
});

test('pendingIntents lists intents without an outcome; an existing record updated keeps its before-image', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const a = await run.intent(createContact(1));
  const b = await run.intent(createContact(2));
  const c = await run.intent({
    op: 'update',
    objectType: 'organizations',
    sourceId: '5',
    existedBefore: true,
    beforeImage: { name: 'Acme (old)', plan: null },
    target: { resource: 'company', intercomId: 'co-5', description: 'PUT /companies/co-5' },
    lookup: { by: 'intercom_id', id: 'co-5' },
  });
  run.outcome(b, { result: 'applied', intercomId: 'c-2' });
  assert.deepEqual(
    run.pendingIntents().map((i) => i.seq),
    [a, c],
  );
  run.outcome(c, { result: 'applied', intercomId: 'co-5' });
  assert.deepEqual(
    run.pendingIntents().map((i) => i.seq),
    [a],
  );
  await assert.rejects(run.finish('completed'), /1 write\(s\) have no outcome/);
  await run.close();

  const { ledger: reopened } = await quietLedger(ws.dir);
  const runs = await reopened.listRuns();
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.interrupted, true);
  assert.deepEqual(
    (await reopened.readRun(run.runId)).pendingIntents.map((i) => i.sourceId),
    ['1'],
  );
  assert.deepEqual(reopened.mapping('organizations', '5'), {
    intercomId: 'co-5',
    runId: run.runId,
    existedBefore: true,
    beforeImage: { name: 'Acme (old)', plan: null },
  });
  const resumed = await reopened.resumeRun(run.runId);
  assert.equal(resumed.attempt, 2);
  assert.deepEqual(
    resumed.pendingIntents().map((i) => i.seq),
    [a],
  );
  resumed.outcome(a, { result: 'applied', intercomId: 'c-1', resolvedBy: 'lookup' });
  assert.equal(resumed.pendingIntents().length, 0);
  const meta = await resumed.finish('completed');
  assert.equal(meta.attempts, 2);
  assert.equal(reopened.intercomIdFor('endUsers', '1'), 'c-1');
});

test('a rollback run must name a real, rollback-able run and only journals undo writes', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  await assert.rejects(ledger.startRun({ ...fullRun, kind: 'rollback' }), /needs rollbackOf/);
  await assert.rejects(
    ledger.startRun({ ...fullRun, rollbackOf: '20260101T000000000Z-full-abcd' }),
    /only for rollback/,
  );
  const run = await ledger.startRun(fullRun);
  await assert.rejects(ledger.startRun({ ...fullRun, kind: 'rollback', rollbackOf: run.runId }), /still running/);
  await run.finish('completed');
  const rollback = await ledger.startRun({ ...fullRun, kind: 'rollback', rollbackOf: run.runId });
  await assert.rejects(rollback.intent(createContact(1)), /undoes/);
  await assert.rejects(
    ledger.startRun({ ...fullRun, kind: 'rollback', rollbackOf: rollback.runId }),
    /nothing to roll back/,
  );
  await rollback.finish('completed');
});

test('a create is never journaled twice blindly: not while unresolved, not after it applied in the run', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const seq = await run.intent(createContact(1));
  await assert.rejects(run.intent(createContact(1)), /has no outcome yet; resolve it by lookup/);
  run.outcome(seq, { result: 'failed', error: { errorClass: 'network', message: 'socket hang up' } });
  const retry = await run.intent(createContact(1));
  run.outcome(retry, { result: 'applied', intercomId: 'c-1' });
  await assert.rejects(run.intent(createContact(1)), /already created in this run \(c-1\)/);
  await run.finish('completed');
});

test('a run whose journal says completed but whose run.json lags is repaired, not resumed', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const meta = await run.finish('completed');
  await writeFile(
    ledger.paths.runMeta(run.runId),
    JSON.stringify({ ...meta, status: 'running', finishedAt: undefined }),
  );
  assert.equal((await ledger.readRun(run.runId)).meta.status, 'completed', 'readRun trusts the journal');
  await assert.rejects(ledger.resumeRun(run.runId), /is completed/);
  assert.equal((await ledger.listRuns())[0]?.meta.status, 'completed');
  assert.equal((await ledger.listRuns())[0]?.interrupted, false);
});

test('hasPendingWrite: a record with a write of unknown outcome, in any run, until that write has an outcome', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const seq = await run.intent(createContact(1));
  await run.close();
  const { ledger: reader } = await quietLedger(ws.dir);
  assert.equal(reader.hasPendingWrite('endUsers', '1'), true);
  assert.equal(reader.intercomIdFor('endUsers', '1'), undefined);
  assert.equal(reader.hasPendingWrite('endUsers', '2'), false);
  const resumed = await reader.resumeRun(run.runId);
  resumed.outcome(seq, { result: 'applied', intercomId: 'c-1', resolvedBy: 'lookup' });
  assert.equal(reader.hasPendingWrite('endUsers', '1'), false);
  assert.equal(reader.intercomIdFor('endUsers', '1'), 'c-1');
  await resumed.finish('completed');
});
