import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { type MigrationKind, runMigration } from '../../src/engine/run-migration';
import type { RecordState } from '../../src/model/journal';
import type { RunningSandbox } from '../../src/sandbox';
import {
  clientFor,
  type Dataset,
  makeDataset,
  openDataset,
  recordResults,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/**
 * Issue 14, build point 4: a dry run reaches the same outcomes as the real run would. The same
 * dataset goes through a dry run and then a full run against one fresh sandbox, each in a workspace
 * of its own: every source record ends in the same state (migrated, or skipped / failed with the same
 * reason), and the dry run sent nothing but reads.
 */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  dir = tempDir('dry-outcomes');
  // The generator's hard cases: a customer known only by user id (no email on the ticket), a missing
  // attachment file, organization filters linking contacts to companies.
  ds = await makeDataset(path.join(dir, 'source'), 0.2, 1);
  sandbox = await startSeededSandbox(ds);
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

async function run(kind: MigrationKind): Promise<Map<string, RecordState>> {
  const workspace = path.join(dir, kind);
  await writeMap(workspace, ds, 'approved');
  const reader = await openDataset(ds);
  try {
    const result = await runMigration({
      workspaceDir: workspace,
      kind,
      reader,
      client: clientFor(sandbox),
      options: { concurrency: 8 },
    });
    assert.equal(result.status, 'completed', result.message);
    return recordResults<RecordState>(workspace, result.runId);
  } finally {
    await reader.close();
  }
}

/** What a person compares: the state, and for skipped or failed records the reason. */
function outcome(state: RecordState | undefined): string {
  if (!state) return 'no record';
  if (state.state === 'migrated') return 'migrated';
  if (state.state === 'skipped') return `skipped: ${state.reason}`;
  return `failed: ${state.error.errorClass} ${state.error.message}`;
}

function countsByType(results: Map<string, RecordState>): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const [key, state] of results) {
    const type = key.slice(0, key.indexOf(':'));
    const row = (counts[type] ??= { migrated: 0, skipped: 0, failed: 0 });
    row[state.state] = (row[state.state] ?? 0) + 1;
  }
  return counts;
}

test('a dry run predicts, record by record, the outcome of the full run that follows it, writing nothing', async () => {
  const writes = () => sandbox.requests().filter((r) => r.method !== 'GET' && !/\/search$/.test(r.path));
  const writesBefore = writes().length;
  const dry = await run('dry-run');
  const sent = writes().slice(writesBefore);
  assert.deepEqual(
    sent.map((r) => `${r.method} ${r.path}`),
    [],
    'the dry run wrote to Intercom',
  );
  const full = await run('full');

  assert.deepEqual(countsByType(dry), countsByType(full));
  const differences: string[] = [];
  for (const key of new Set([...dry.keys(), ...full.keys()])) {
    const [a, b] = [outcome(dry.get(key)), outcome(full.get(key))];
    if (a !== b) differences.push(`${key}: dry run "${a}", full run "${b}"`);
  }
  assert.deepEqual(differences.sort(), []);
  // The comparison covers the cases that depend on earlier answers: failures and skips exist on both sides.
  const failedOrSkipped = [...full.values()].filter((s) => s.state !== 'migrated').length;
  assert.ok(failedOrSkipped > 0, 'the dataset has skipped or failed records to compare');
  assert.ok(
    [...full.keys()].some((k) => k.startsWith('organizationMemberships:')),
    'company links are compared',
  );
});
