import assert from 'node:assert/strict';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { test } from 'node:test';

import type { Ledger } from '../../src/ledger';
import { createContact, createIntent, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

/** ledger-index.json: a header line (format, checksum of the body), then the body. */
async function readCache(file: string): Promise<{
  header: { version: number; sha256: string };
  body: { fingerprints: { runId: string; sha256: string }[]; index: unknown };
}> {
  const [header, body] = (await readFile(file, 'utf8')).split('\n');
  return { header: JSON.parse(header!), body: JSON.parse(body!) };
}

async function rebuiltSnapshot(dir: string): ReturnType<Ledger['indexSnapshot']> extends infer S ? Promise<S> : never {
  const { ledger } = await quietLedger(dir);
  await ledger.rebuildIndex();
  return ledger.indexSnapshot();
}

test('the cached index equals the index rebuilt from the journals, also after tails were appended', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  for (let i = 0; i < 50; i++) {
    const seq = await run.intent(createContact(i));
    if (i % 7 !== 0) run.outcome(seq, { result: 'applied', intercomId: `c-${i}` });
    if (i % 7 !== 0)
      run.record({ objectType: 'endUsers', sourceId: String(i), state: 'migrated', intercomId: `c-${i}` });
  }
  await run.close();
  const cacheFile = ledger.paths.indexCache;
  const cached = await readCache(cacheFile);
  assert.equal(cached.header.version, 2);
  assert.deepEqual(cached.body.index, await rebuiltSnapshot(ws.dir));
  await copyFile(cacheFile, `${cacheFile}.old`);

  // More work in the same run and a new run, then put the older cache back: opening folds only the tails.
  const { ledger: second } = await quietLedger(ws.dir);
  const resumed = await second.resumeRun(run.runId);
  for (const pending of resumed.pendingIntents())
    resumed.outcome(pending.seq, { result: 'not-applied', reason: 'lookup found nothing' });
  await resumed.finish('completed');
  const next = await second.startRun({ ...fullRun, kind: 'delta' });
  const seq = await next.intent(createIntent('organizations', 3));
  next.outcome(seq, { result: 'applied', intercomId: 'co-3' });
  await next.finish('completed');
  await copyFile(`${cacheFile}.old`, cacheFile);

  const { ledger: third, warnings } = await quietLedger(ws.dir);
  assert.deepEqual(warnings, [], 'a stale but compatible cache is extended, not rebuilt');
  assert.equal(third.intercomIdFor('organizations', '3'), 'co-3');
  assert.deepEqual(third.indexSnapshot(), await rebuiltSnapshot(ws.dir));
  assert.deepEqual(
    (await readCache(cacheFile)).body.index,
    third.indexSnapshot(),
    'the extended cache was written back',
  );
});

test('an unreadable or mismatched cache is rebuilt from the journals with a warning', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const a = await ledger.startRun(fullRun);
  const seq = await a.intent(createContact(1));
  a.outcome(seq, { result: 'applied', intercomId: 'c-1' });
  await a.finish('completed');
  const b = await ledger.startRun({ ...fullRun, kind: 'delta' });
  const seq2 = await b.intent(createContact(2));
  b.outcome(seq2, { result: 'applied', intercomId: 'c-2' });
  await b.finish('completed');

  await writeFile(ledger.paths.indexCache, '{"version":1,');
  const { ledger: afterCorrupt, warnings } = await quietLedger(ws.dir);
  assert.ok(warnings.some((w) => w.includes('unreadable')));
  assert.equal(afterCorrupt.intercomIdFor('endUsers', '2'), 'c-2');

  // History changed under the cache: the first run's folder is gone.
  await rm(ledger.paths.runDir(a.runId), { recursive: true });
  const { ledger: afterRemoval, warnings: w2 } = await quietLedger(ws.dir);
  assert.ok(w2.some((w) => w.includes('does not match')));
  assert.equal(afterRemoval.intercomIdFor('endUsers', '1'), undefined);
  assert.equal(afterRemoval.intercomIdFor('endUsers', '2'), 'c-2');
});

test('dry runs never reach the index', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const dry = await ledger.startRun({ ...fullRun, kind: 'dry-run' });
  dry.record({ objectType: 'endUsers', sourceId: '1', state: 'migrated', intercomId: 'would-be' });
  await dry.finish('completed');
  assert.equal(ledger.intercomIdFor('endUsers', '1'), undefined);
  assert.equal((await ledger.countRun(dry.runId)).endUsers?.migrated, 1, 'its own report still counts');
});
