import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { ProgressSink } from '../../src/engine/progress';
import { runMigration } from '../../src/engine/run-migration';
import { IntercomClient } from '../../src/intercom';
import type { RunningSandbox } from '../../src/sandbox';
import {
  type Dataset,
  journalOf,
  makeDataset,
  openDataset,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { assertSameSnapshot, cleanBaseline, snapshotOf } from '../support/sandbox-snapshot';

// An end user whose contact create cannot be decided during the contacts phase (its answer lost,
// then every lookup refused) makes that customer's conversations and company links wait, not go
// to a contact made from the email: at the end of the run the end user is asked again, its create
// is found, and its records follow, in the same run, ending as a run without faults.

let dir: string;
let ds: Dataset;
let baseline: ReturnType<typeof snapshotOf>;
const sandboxes: RunningSandbox[] = [];

async function run(ws: string, sandbox: RunningSandbox, notes: string[] = []) {
  const reader = await openDataset(ds);
  const progress: ProgressSink = {
    phase() {},
    record() {},
    info: (m) => void notes.push(m),
    warn: (m) => void notes.push(m),
  };
  try {
    const client = new IntercomClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      rateLimiter: { concurrency: 16 },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    return await runMigration({
      workspaceDir: ws,
      kind: 'full',
      reader,
      client,
      progress,
      options: { readSettleMs: 100 },
    });
  } finally {
    await reader.close();
  }
}

before(async () => {
  dir = tempDir('second-pass');
  ds = await makeDataset(dir, 0.1, 7);
  baseline = await cleanBaseline(dir, ds, () => startSeededSandbox(ds), run, sandboxes);
});

after(async () => {
  for (const s of sandboxes) await s.close();
  removeDir(dir);
});

test('a contact undecided in its phase holds back its conversations and links, and the end of the run asks them all again', async () => {
  // The first contact create is applied and its answer dropped. Reads by external_id: the run's
  // first five (its checks before writing) pass; the next fifteen (three lookups of five tries) get a 500.
  const read = { method: 'GET', pathRegex: '^/contacts/find_by_external_id/' };
  const script = path.join(dir, 'faults.json');
  writeFileSync(
    script,
    JSON.stringify([
      { match: { method: 'POST', pathRegex: '^/contacts$', nth: 1 }, fault: 'drop' },
      ...Array.from({ length: 5 }, () => ({ match: { ...read, nth: 1 }, fault: 'slow' })),
      ...Array.from({ length: 15 }, () => ({ match: { ...read, nth: 1 }, fault: '500' })),
    ]),
  );
  const sandbox = await startSeededSandbox(ds, { faults: `script:${script},slow-ms=0` });
  sandboxes.push(sandbox);
  const ws = path.join(dir, 'faulty');
  await writeMap(ws, ds, 'approved');
  const notes: string[] = [];
  const result = await run(ws, sandbox, notes);
  assert.equal(result.status, 'completed', result.message);

  // The faults met the record they were meant for: the dropped create's lookups.
  const dropped = sandbox.requests().find((r) => r.fault === 'drop');
  const externalId = /"external_id":"(\d+)"/.exec(dropped?.bodyExcerpt ?? '')?.[1];
  assert.ok(externalId, 'a user create was dropped');
  const refused = sandbox.requests().filter((r) => r.fault === '500');
  assert.equal(refused.length, 15);
  assert.ok(
    refused.every((r) => r.path === `/contacts/find_by_external_id/${externalId}`),
    'every refused read was a lookup of that create',
  );

  // In the run: the end user failed once, its conversations waited for it, then all were migrated.
  const records = journalOf(ws, result.runId).filter((e) => e.type === 'record');
  const states = (type: string, id: string) =>
    records.filter((e) => e.objectType === type && e.sourceId === id).map((e) => (e.result as { state: string }).state);
  assert.deepEqual(states('endUsers', externalId), ['failed', 'migrated']);
  const waited = records.filter(
    (e) => (e.result as { error?: { errorClass: string } }).error?.errorClass === 'missing_dependency',
  );
  assert.ok(waited.length > 0, 'some record waited for the undecided contact');
  for (const e of waited)
    assert.equal(
      states(String(e.objectType), String(e.sourceId)).at(-1),
      'migrated',
      `${String(e.objectType)} ${String(e.sourceId)} migrated in the end`,
    );
  assert.ok(
    notes.some((n) => /^Asking again for \d+ record\(s\)/.test(n)),
    'the run said it asked again',
  );
  assert.ok(
    !notes.some((n) =>
      n.includes(`end user ${externalId} has no Intercom contact; using the record's customer email instead`),
    ),
    'no conversation went to a contact made from the email',
  );

  const failed = Object.values(result.counts).reduce((n, c) => n + c.failed, 0);
  assert.equal(failed, 1, 'only the attachment whose file is missing (by design) failed');
  sandbox.setFaults('');
  assertSameSnapshot(snapshotOf(sandbox.state()), baseline, 'the run ends as one without faults');
});
