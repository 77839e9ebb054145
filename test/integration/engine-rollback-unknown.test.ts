import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { rollbackRun } from '../../src/engine/rollback';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { mutateForDelta } from '../fixtures/dataset/mutate';
import {
  clientFor,
  makeDataset,
  migrate,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

// A rollback's conversation-part undos (reopen, close, assign back) have no id to look up: when
// the answer to one is lost, the rollback reads the conversation to decide it. The one Intercom
// applied (its answer dropped) is not sent again; the one it refused (503) is; and the rollback
// completes in one attempt instead of failing the undo for the next attempt to retry.

let dir: string;
let sandbox: RunningSandbox;

before(() => {
  dir = tempDir('rollback-unknown');
});

after(async () => {
  await sandbox?.close();
  removeDir(dir);
});

const PARTS = '^/conversations/[^/]+/parts$';
const conversationStates = (s: SandboxState) =>
  Object.fromEntries(
    Object.values(s.conversations).map((c) => [
      c.id,
      { state: c.state, admin: c.admin_assignee_id, team: c.team_assignee_id },
    ]),
  );

test('a dropped and a refused part undo are decided by reading the conversation; the rollback of the delta completes at once', async () => {
  const ds = await makeDataset(dir, 0.1, 5);
  // The 1st part the rollback sends is applied and its answer dropped; the 2nd is refused with a 503.
  const script = path.join(dir, 'part-faults.json');
  writeFileSync(
    script,
    JSON.stringify([
      { match: { method: 'POST', pathRegex: PARTS, nth: 1 }, fault: 'drop' },
      { match: { method: 'POST', pathRegex: PARTS, nth: 1 }, fault: '503' },
    ]),
  );
  sandbox = await startSeededSandbox(ds, { faults: `script:${script}` });
  sandbox.setFaults('');
  const ws = path.join(dir, 'ws');
  await writeMap(ws, ds, 'approved');
  const full = await migrate(ws, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  const afterFull = conversationStates(sandbox.state());
  mutateForDelta(ds.dbPath, { seed: 5 });
  const delta = await migrate(ws, ds, sandbox, 'delta');
  assert.equal(delta.status, 'completed', delta.message);

  sandbox.setFaults(`script:${script}`);
  const sentBefore = sandbox.requests().length;
  const result = await rollbackRun({
    workspaceDir: ws,
    runId: delta.runId,
    client: clientFor(sandbox),
    readSettleMs: 100,
  });
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.failed, []);

  const parts = sandbox
    .requests()
    .slice(sentBefore)
    .filter((r) => r.method === 'POST' && new RegExp(PARTS).test(r.path));
  const dropped = parts.findIndex((r) => r.fault === 'drop');
  const refused = parts.findIndex((r) => r.fault === '503');
  assert.ok(dropped >= 0 && refused >= 0, 'both faults met a part undo');
  const sameCall = (i: number) =>
    parts.filter((r, j) => j !== i && r.path === parts[i]!.path && r.bodyExcerpt === parts[i]!.bodyExcerpt);
  assert.deepEqual(sameCall(dropped), [], 'the applied undo was not sent again');
  assert.deepEqual(
    sameCall(refused).map((r) => r.status),
    [200],
    'the refused undo was sent once more, and taken',
  );

  // Every conversation the full run left is back to its state and assignees from before the delta.
  const now = conversationStates(sandbox.state());
  for (const [id, was] of Object.entries(afterFull)) assert.deepEqual(now[id], was, `conversation ${id}`);
});
