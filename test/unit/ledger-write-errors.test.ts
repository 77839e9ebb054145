import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { type LedgerFs, LedgerWriteError, nodeLedgerFs } from '../../src/ledger';
import { JournalEntry } from '../../src/model/journal';
import { createContact, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

/** Node's fs, except that once `broken` is set, appends write half their bytes and then fail like a denied write. */
function flakyFs(state: { broken: boolean; truncateFails: boolean }): LedgerFs {
  return {
    writeFileAtomic: nodeLedgerFs.writeFileAtomic,
    async openAppend(file) {
      const real = await nodeLedgerFs.openAppend(file);
      return {
        async append(data) {
          if (!state.broken) return real.append(data);
          await real.append(data.subarray(0, Math.floor(data.length / 2)));
          throw Object.assign(new Error(`EACCES: permission denied, write`), { code: 'EACCES' });
        },
        sync: () => real.sync(),
        async truncate(length) {
          if (state.truncateFails)
            throw Object.assign(new Error('EACCES: permission denied, ftruncate'), { code: 'EACCES' });
          return real.truncate(length);
        },
        close: () => real.close(),
      };
    },
  };
}

for (const truncateFails of [false, true]) {
  test(`EACCES mid-batch (cleanup truncate ${truncateFails ? 'fails too' : 'works'}): typed error, nothing half-written kept, resume works`, async (t) => {
    const ws = await tempWorkspace();
    t.after(ws.cleanup);
    const state = { broken: false, truncateFails };
    const { ledger } = await quietLedger(ws.dir, { fs: flakyFs(state) });
    const run = await ledger.startRun(fullRun);
    const ok = await run.intent(createContact(1));
    run.outcome(ok, { result: 'applied', intercomId: 'c-1' });
    await run.flush();

    state.broken = true;
    run.record({ objectType: 'endUsers', sourceId: '1', state: 'migrated', intercomId: 'c-1' });
    const error = await run.intent(createContact(2)).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof LedgerWriteError, String(error));
    assert.equal(error.code, 'EACCES');
    assert.equal(error.file, ledger.paths.journal(run.runId));
    assert.match(error.message, /permission denied/);
    assert.match(error.message, new RegExp(`resume run ${run.runId}`));
    assert.throws(
      () => run.record({ objectType: 'endUsers', sourceId: '3', state: 'skipped', reason: 'x' }),
      LedgerWriteError,
    );
    await assert.rejects(run.flush(), LedgerWriteError);
    await run.close();

    const { ledger: after, warnings } = await quietLedger(ws.dir);
    const details = await after.readRun(run.runId);
    assert.equal(details.pendingIntents.length, 0, 'the intent that failed to write is not pending: it was never sent');
    assert.equal(details.tornBytes > 0, truncateFails);
    assert.equal(
      warnings.some((w) => w.includes('torn line')),
      truncateFails,
    );
    const resumed = await after.resumeRun(run.runId);
    const retry = await resumed.intent(createContact(2));
    resumed.outcome(retry, { result: 'applied', intercomId: 'c-2' });
    await resumed.finish('completed');
    const lines = (await readFile(after.paths.journal(run.runId), 'utf8')).trimEnd().split('\n');
    const entries = lines.map((l) => JournalEntry.parse(JSON.parse(l)));
    // When even the cleanup truncate fails, complete lines of the failed batch can survive (here the
    // record, in the first half of the bytes): true statements, in order; the cut line after them is dropped.
    const survivors = truncateFails ? ['record'] : [];
    assert.deepEqual(
      entries.map((e) => e.type),
      ['run-status', 'intent', 'outcome', ...survivors, 'run-status', 'intent', 'outcome', 'run-status'],
    );
    assert.equal(after.intercomIdFor('endUsers', '2'), 'c-2');
  });
}

test('a failure to write run.json is a LedgerWriteError naming the file', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const fs: LedgerFs = {
    openAppend: nodeLedgerFs.openAppend,
    writeFileAtomic: async () => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    },
  };
  const { ledger } = await quietLedger(ws.dir, { fs });
  await assert.rejects(
    ledger.startRun(fullRun),
    (e: unknown) =>
      e instanceof LedgerWriteError && e.code === 'EROFS' && /run\.json: the file system is read-only/.test(e.message),
  );
  assert.deepEqual(await ledger.listRuns(), [], 'no half-created run folder is left behind');
});

test('a file size limit (EFBIG, e.g. ulimit -f) is named as such', () => {
  const error = new LedgerWriteError(
    '/w/migration/runs/r/journal.jsonl',
    Object.assign(new Error('EFBIG: file too large, write'), { code: 'EFBIG' }),
    { runId: 'r' },
  );
  assert.equal(error.code, 'EFBIG');
  assert.match(
    error.message,
    /journal\.jsonl: the file reached the size limit of this process or file system \(EFBIG: file too large, write\)\. .*resume run r\./,
  );
});
