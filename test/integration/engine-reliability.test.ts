import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runMigration, type MigrationResult } from '../../src/engine/run-migration';
import { IntercomClient } from '../../src/intercom';
import type { RunningSandbox } from '../../src/sandbox';
import { makeDataset, openDataset, removeDir, startSeededSandbox, tempDir, writeMap, type Dataset } from '../support/engine-fixtures';
import { snapshotOf } from '../support/sandbox-snapshot';

// Issue 8: faults and a revoked token change nothing in the end state: runs resume until complete.
let dir: string;
let ds: Dataset;
let baseline: ReturnType<typeof snapshotOf>;
const sandboxes: RunningSandbox[] = [];

async function run(workspace: string, sandbox: RunningSandbox, token = sandbox.token): Promise<MigrationResult> {
  const reader = await openDataset(ds);
  try {
    const client = new IntercomClient({ token, baseUrl: sandbox.url, rateLimiter: { concurrency: 16 } });
    return await runMigration({ workspaceDir: workspace, kind: 'full', reader, client, options: { attachmentsRoot: ds.attachmentsRoot, searchSettleMs: 3_000 } });
  } finally {
    await reader.close();
  }
}

before(async () => {
  dir = tempDir('reliability');
  ds = await makeDataset(dir, 0.1, 7);
  const clean = await startSeededSandbox(ds);
  sandboxes.push(clean);
  const ws = path.join(dir, 'clean');
  await writeMap(ws, ds, 'approved');
  const result = await run(ws, clean);
  assert.equal(result.status, 'completed', result.message);
  baseline = snapshotOf(clean.state());
});

after(async () => {
  for (const s of sandboxes) await s.close();
  removeDir(dir);
});

// The extra note this test once found was a chat's files note skipped in the unfaulted run (its id
// collided with an attachment's record id), fixed. It passes, but waits out 429 windows for ~7
// minutes (measured 418 s), too long for every run: ST2IC_SLOW_TESTS=1 includes it.
const SLOW = process.env.ST2IC_SLOW_TESTS ? false : 'takes ~7 minutes waiting out 429 windows; run with ST2IC_SLOW_TESTS=1';

test('a full run under 10% mixed faults ends in the same state as an unfaulted run', { skip: SLOW }, async () => {
  const faulty = await startSeededSandbox(ds, { faults: '429:0.02,500:0.03,502:0.02,503:0.01,drop:0.02,seed=11' });
  sandboxes.push(faulty);
  const ws = path.join(dir, 'faulty');
  await writeMap(ws, ds, 'approved');
  let result = await run(ws, faulty);
  // A fault can outlast the retries of one write; the same command resumes the run until it completes.
  for (let attempt = 1; result.status !== 'completed' && attempt < 4; attempt++) result = await run(ws, faulty);
  assert.equal(result.status, 'completed', result.message);
  const faults = faulty.requests().filter((r) => r.fault !== undefined).length;
  assert.ok(faults > 20, `faults were injected (${faults})`);
  faulty.setFaults('');
  assert.deepEqual(snapshotOf(faulty.state()), baseline);
});

test('a token revoked mid-run stops the run; with a new token it resumes and ends like an uninterrupted run', async () => {
  const sandbox = await startSeededSandbox(ds);
  sandboxes.push(sandbox);
  const ws = path.join(dir, 'revoked');
  await writeMap(ws, ds, 'approved');
  // Revoke once the run is well under way.
  const watch = setInterval(() => {
    if (sandbox.requests().length > 150) {
      sandbox.revokeToken();
      clearInterval(watch);
    }
  }, 5);
  const stopped = await run(ws, sandbox);
  clearInterval(watch);
  assert.equal(stopped.status, 'failed');
  assert.match(stopped.message ?? '', /refused|unauthorized|Access Token Invalid/i);
  assert.doesNotMatch(stopped.message ?? '', new RegExp(sandbox.token));

  sandbox.setToken('a-new-token');
  const resumed = await run(ws, sandbox, 'a-new-token');
  assert.equal(resumed.status, 'completed', resumed.message);
  assert.equal(resumed.resumed, true);
  assert.deepEqual(snapshotOf(sandbox.state()), baseline);
});
