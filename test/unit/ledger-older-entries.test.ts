import assert from 'node:assert/strict';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { test, type TestContext } from 'node:test';

import { createContact, fullRun, quietLedger, sha256, tempWorkspace } from '../support/ledger-fixtures';

/** A ledger whose first run created contact 1 and left the journal open. */
async function runWithOneContact(t: TestContext) {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const created = await run.intent(createContact(1));
  run.outcome(created, { result: 'applied', intercomId: 'c-1' });
  return { ws, ledger, run };
}

/** Older versions journaled delta watermarks and phase checkpoints; nothing writes or reads them now. */
test('a journal holding watermark and checkpoint entries of an older version still reads, resumes and counts', async (t) => {
  const { ws, ledger, run } = await runWithOneContact(t);
  run.record({ objectType: 'endUsers', sourceId: '1', state: 'migrated', intercomId: 'c-1' });
  const pending = await run.intent(createContact(2));
  await run.close();
  const at = '2026-01-01T00:00:00.000Z';
  const older = [
    { v: 2, seq: pending + 1, at, runId: run.runId, type: 'watermark', objectType: 'endUsers', value: 1 },
    { v: 2, seq: pending + 2, at, runId: run.runId, type: 'checkpoint', phase: 'contacts', data: { after: 1 } },
  ];
  await appendFile(ledger.paths.journal(run.runId), older.map((e) => JSON.stringify(e) + '\n').join(''));
  await rm(ledger.paths.indexCache);

  const { ledger: reopened, warnings } = await quietLedger(ws.dir);
  assert.deepEqual(warnings, []);
  const details = await reopened.readRun(run.runId);
  assert.equal(details.entries, pending + 2, 'every line parsed, none refused as damage');
  assert.deepEqual(
    details.pendingIntents.map((i) => i.seq),
    [pending],
    'the intent without an outcome stays pending',
  );
  assert.equal(details.interrupted, true);
  assert.equal(reopened.intercomIdFor('endUsers', '1'), 'c-1');
  assert.equal('watermarks' in reopened.indexSnapshot(), false, 'the index keeps no watermarks');

  const resumed = await reopened.resumeRun(run.runId);
  const outcome = resumed.outcome(pending, { result: 'not-applied', reason: 'lookup found nothing' });
  assert.equal(outcome, pending + 4, "numbering goes on after the older entries and the resume's run-status entry");
  const meta = await resumed.finish('completed');
  assert.equal(meta.counts?.endUsers?.migrated, 1);
});

test('an index cache of an older version holding watermarks is read as it is (the field is dropped), not rebuilt', async (t) => {
  const { ws, ledger, run } = await runWithOneContact(t);
  await run.finish('completed');
  const [, text] = (await readFile(ledger.paths.indexCache, 'utf8')).split('\n');
  const body = JSON.parse(text!) as { index: Record<string, unknown> };
  body.index.watermarks = [
    [
      run.runId,
      [
        ['endUsers', 13],
        ['organizations', '2025-06-01'],
      ],
    ],
  ];
  const olderBody = JSON.stringify(body);
  await writeFile(
    ledger.paths.indexCache,
    `${JSON.stringify({ version: 2, sha256: sha256(olderBody) })}\n${olderBody}\n`,
  );

  const { ledger: reopened, warnings } = await quietLedger(ws.dir);
  assert.deepEqual(warnings, [], 'no "rebuilding it from the journals" warning');
  assert.equal(reopened.intercomIdFor('endUsers', '1'), 'c-1');
});
