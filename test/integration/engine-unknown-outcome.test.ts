import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { MigrationKind } from '../../src/engine/run-migration';
import { type MigrationResult, runMigration } from '../../src/engine/run-migration';
import { IntercomClient } from '../../src/intercom';
import type { RunningSandbox } from '../../src/sandbox';
import {
  type Dataset,
  journalOf,
  makeDataset,
  openDataset,
  removeDir,
  runIds,
  SEARCH_SETTLE_MS,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { cleanBaseline, snapshotOf } from '../support/sandbox-snapshot';

// A write whose outcome stays unknown (the create was applied, then every lookup failed) is never
// closed as failed nor sent again: its intent stays pending, the run ends failed, and the next run,
// of the same kind or a delta, decides it by lookup first.

let dir: string;
let ds: Dataset;
let baseline: ReturnType<typeof snapshotOf>;
const sandboxes: RunningSandbox[] = [];

async function run(workspace: string, sandbox: RunningSandbox, kind: MigrationKind = 'full'): Promise<MigrationResult> {
  const reader = await openDataset(ds);
  try {
    const client = new IntercomClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      rateLimiter: { concurrency: 16 },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    return await runMigration({
      workspaceDir: workspace,
      kind,
      reader,
      client,
      options: { searchSettleMs: SEARCH_SETTLE_MS, readSettleMs: 100 },
    });
  } finally {
    await reader.close();
  }
}

/** The first conversation create is applied and its answer lost; every search after it fails. */
function blindSandbox(name: string): Promise<RunningSandbox> {
  const script = path.join(dir, `${name}-faults.json`);
  writeFileSync(
    script,
    JSON.stringify([
      { match: { method: 'POST', pathRegex: '^/conversations$', nth: 1 }, fault: 'drop' },
      { match: { method: 'POST', pathRegex: '^/conversations/search$' }, fault: '500' },
    ]),
  );
  return startSeededSandbox(ds, { faults: `script:${script}` }).then((s) => (sandboxes.push(s), s));
}

function conversationKeys(sandbox: RunningSandbox): string[] {
  return Object.values(sandbox.state().conversations).map(
    (c) => `${c.contact_ids.join()}|${c.created_at}|${c.source_body}`,
  );
}

/** Intents of a run's journal without an outcome. */
function pendingOf(workspace: string, runId: string) {
  const lines = journalOf(workspace, runId);
  const decided = new Set(lines.filter((l) => l.type === 'outcome').map((l) => l.intentSeq));
  return lines.filter((l) => l.type === 'intent' && !decided.has(l.seq));
}

before(async () => {
  dir = tempDir('unknown-outcome');
  ds = await makeDataset(dir, 0.1, 7);
  baseline = await cleanBaseline(dir, ds, () => startSeededSandbox(ds), run, sandboxes);
});

after(async () => {
  for (const s of sandboxes) await s.close();
  removeDir(dir);
});

test('a create whose lookups all fail stays pending, and the same command then finds it instead of sending it again', async () => {
  const sandbox = await blindSandbox('same');
  const ws = path.join(dir, 'same');
  await writeMap(ws, ds, 'approved');
  const first = await run(ws, sandbox);
  assert.equal(first.status, 'failed');
  assert.match(first.message ?? '', /1 write\(s\) still have no outcome; run again to resolve them/);
  const [runId] = runIds(ws);
  const pending = pendingOf(ws, runId!);
  assert.equal(pending.length, 1, JSON.stringify(pending));
  assert.equal(pending[0]!.op, 'create');
  assert.equal((pending[0]!.target as { resource: string }).resource, 'conversation');
  const failedOutcomes = journalOf(ws, runId!).filter(
    (l) => l.type === 'outcome' && (l.outcome as { result: string }).result === 'failed',
  );
  assert.deepEqual(failedOutcomes, [], 'no write is closed as failed when its outcome is unknown');

  sandbox.setFaults('');
  const second = await run(ws, sandbox);
  assert.equal(second.status, 'completed', second.message);
  assert.equal(second.resumed, true);
  assert.deepEqual(snapshotOf(sandbox.state()), baseline);
});

test('a delta after such a run decides the pending create by lookup before it sends anything: no second conversation', async () => {
  const sandbox = await blindSandbox('delta');
  const ws = path.join(dir, 'delta');
  await writeMap(ws, ds, 'approved');
  const first = await run(ws, sandbox);
  assert.equal(first.status, 'failed');
  const [fullRun] = runIds(ws);
  assert.equal(pendingOf(ws, fullRun!).length, 1);

  // Intercom still cannot be searched: the delta refuses to send anything.
  const refused = await run(ws, sandbox, 'delta').then(
    () => null,
    (e: Error) => e,
  );
  assert.match(refused?.message ?? '', /1 write\(s\) of run .* still have no known outcome .*nothing was sent/);
  assert.equal(pendingOf(ws, fullRun!).length, 1);

  sandbox.setFaults('');
  const delta = await run(ws, sandbox, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  assert.equal(pendingOf(ws, fullRun!).length, 0, 'the delta journaled the outcome in the run that made the write');
  const keys = conversationKeys(sandbox);
  assert.equal(new Set(keys).size, keys.length, 'no conversation twice');
  assert.equal(keys.length, baseline.conversations.length);
});
