import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { type MigrationResult, runMigration } from '../../src/engine/run-migration';
import { IntercomClient } from '../../src/intercom';
import type { RunningSandbox } from '../../src/sandbox';
import {
  type Dataset,
  makeDataset,
  openDataset,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { snapshotOf } from '../support/sandbox-snapshot';

// Issue 19: a migration through two apps' tokens of one workspace, one of which Intercom stops
// accepting mid-run, ends exactly as a migration through one token: the refused token is dropped
// with one warning and its requests go on through the other.

let dir: string;
let ds: Dataset;
const sandboxes: RunningSandbox[] = [];

before(async () => {
  dir = tempDir('st2ic-tokens-');
  ds = await makeDataset(`${dir}/data`, 1);
});
after(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  removeDir(dir);
});

async function migrateWith(
  name: string,
  tokens: string[],
  sandbox: RunningSandbox,
  onRecord?: (n: number) => void,
): Promise<{ result: MigrationResult; warnings: string[] }> {
  const workspace = `${dir}/${name}`;
  await writeMap(workspace, ds, 'approved');
  const reader = await openDataset(ds);
  const warnings: string[] = [];
  let records = 0;
  try {
    const client = new IntercomClient({ token: tokens, baseUrl: sandbox.url, rateLimiter: { concurrency: 8 } });
    const progress = {
      phase: () => undefined,
      info: () => undefined,
      warn: (m: string) => warnings.push(m),
      record: () => onRecord?.(++records),
    };
    const result = await runMigration({ workspaceDir: workspace, kind: 'full', reader, client, progress });
    return { result, warnings };
  } finally {
    await reader.close();
  }
}

test('a token revoked mid-run is dropped with one warning; Intercom ends as after a run through one token', async () => {
  const single = await startSeededSandbox(ds);
  sandboxes.push(single);
  const baseline = await migrateWith('single', [single.token], single);

  const shared = await startSeededSandbox(ds, { tokens: ['app-a', 'app-b'] });
  sandboxes.push(shared);
  const { result, warnings } = await migrateWith('two', ['app-a', 'app-b'], shared, (n) => {
    if (n === 40) shared.revokeToken('app-b');
  });
  assert.equal(result.status, baseline.result.status, result.message);
  assert.deepEqual(result.counts, baseline.result.counts);
  const dropped = warnings.filter((w) => /access token 2 of 2 \(401\)/.test(w));
  assert.equal(dropped.length, 1, warnings.join('\n'));
  assert.deepEqual(snapshotOf(shared.state()), snapshotOf(single.state()));
});
