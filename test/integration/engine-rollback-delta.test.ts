import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { rollbackRun } from '../../src/engine/rollback';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { type DeltaManifest, mutateForDelta } from '../fixtures/dataset/mutate';
import {
  clientFor,
  type Dataset,
  makeDataset,
  migrate,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/** Issue 4: rolling back a delta and then the full run leaves Intercom as it was before each. */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
let changes: DeltaManifest;
let pristine: SandboxState;
let afterFull: SandboxState;
let fullRunId: string;
let deltaRunId: string;

const clone = (s: SandboxState): SandboxState => JSON.parse(JSON.stringify(s)) as SandboxState;
const live = <T extends { archived: boolean }>(items: Record<string, T>) =>
  Object.values(items).filter((x) => !x.archived);

before(async () => {
  dir = tempDir('rollback');
  ds = await makeDataset(dir, 0.2, 11);
  sandbox = await startSeededSandbox(ds);
  pristine = clone(sandbox.state());
  await writeMap(dir, ds, 'approved');
  const full = await migrate(dir, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  fullRunId = full.runId;
  afterFull = clone(sandbox.state());
  changes = mutateForDelta(ds.dbPath, { seed: 11 });
  const delta = await migrate(dir, ds, sandbox, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  deltaRunId = delta.runId;
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

test('rolling back the delta removes what it created and restores what it changed', async (t) => {
  const result = await rollbackRun({ workspaceDir: dir, runId: deltaRunId, client: clientFor(sandbox) });
  t.diagnostic(
    `delta rollback: ${result.undone} undone, plan ${JSON.stringify(result.plan.calls)}, ${result.plan.impossible.length} impossible`,
  );
  assert.equal(result.status, 'completed', result.message);
  assert.deepEqual(result.failed, []);
  const now = sandbox.state();
  // New conversations and the new contact are gone.
  assert.deepEqual(Object.keys(now.conversations).sort(), Object.keys(afterFull.conversations).sort());
  assert.deepEqual(Object.keys(now.contacts).sort(), Object.keys(afterFull.contacts).sort());
  // The renamed contact has its name back; closed and reopened conversations their state.
  for (const { userId } of changes.renamedEndUsers) {
    const before = Object.values(afterFull.contacts).find((c) => c.external_id === String(userId))!;
    assert.equal(now.contacts[before.id]?.name, before.name);
  }
  for (const [id, c] of Object.entries(afterFull.conversations))
    assert.equal(now.conversations[id]?.state, c.state, `conversation ${id} state`);
  // Replies added to existing conversations cannot be deleted through Intercom's API: the plan says so.
  const replies = changes.repliesOnExisting.reduce((n, r) => n + r.messageIds.length, 0);
  assert.ok(
    result.plan.impossible.length >= replies,
    `${result.plan.impossible.length} writes reported as impossible to undo (${replies} replies)`,
  );
});

test('rolling back the full run leaves no migrated contact, conversation or live company', async (t) => {
  const result = await rollbackRun({ workspaceDir: dir, runId: fullRunId, client: clientFor(sandbox) });
  t.diagnostic(
    `full rollback: ${result.undone} undone, plan ${JSON.stringify(result.plan.calls)}, ${result.plan.impossible.length} impossible`,
  );
  assert.equal(result.status, 'completed', result.message);
  assert.deepEqual(result.failed, []);
  const now = sandbox.state();
  assert.equal(Object.keys(now.conversations).length, 0);
  assert.equal(live(now.contacts).length, live(pristine.contacts).length);
  assert.equal(live(now.companies).length, 0, 'companies are archived (Intercom cannot delete them)');
  assert.equal(Object.keys(now.articles).length, 0);
  assert.equal(Object.keys(now.collections).length, 0);
  assert.equal(Object.keys(now.tags).length, Object.keys(pristine.tags).length);
  assert.equal(live(now.dataAttributes).length, live(pristine.dataAttributes).length, 'attributes are archived');
});
