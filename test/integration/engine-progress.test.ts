import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { ProgressSink } from '../../src/engine/progress';
import { runMigration } from '../../src/engine/run-migration';
import type { RunningSandbox } from '../../src/sandbox';
import {
  clientFor,
  type Dataset,
  makeDataset,
  openDataset,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

// What a run streams to its driver (the status bar, the CLI) must add up to what its ledger says.
let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  dir = tempDir('progress');
  ds = await makeDataset(dir, 0.1, 6);
  sandbox = await startSeededSandbox(ds);
  await writeMap(dir, ds, 'approved');
});

after(async () => {
  await sandbox?.close();
  removeDir(dir);
});

test('every record the ledger counts was streamed to the progress sink, once, and the phases in dependency order', async () => {
  const streamed = new Map<string, number>();
  const phases: string[] = [];
  const progress: ProgressSink = {
    phase: (name, total) => phases.push(total === undefined ? name : `${name} (${total})`),
    info() {},
    warn() {},
    record: (objectType, _id, outcome) =>
      streamed.set(`${objectType} ${outcome}`, (streamed.get(`${objectType} ${outcome}`) ?? 0) + 1),
  };
  const reader = await openDataset(ds);
  try {
    const result = await runMigration({
      workspaceDir: dir,
      kind: 'full',
      reader,
      client: clientFor(sandbox),
      progress,
    });
    assert.equal(result.status, 'completed', result.message);
    const counted = new Map<string, number>();
    for (const [type, c] of Object.entries(result.counts)) {
      for (const outcome of ['migrated', 'skipped', 'failed'] as const)
        if (c && c[outcome] > 0) counted.set(`${type} ${outcome}`, c[outcome]);
    }
    assert.deepEqual(Object.fromEntries([...streamed].sort()), Object.fromEntries([...counted].sort()));
    // Phases are announced in dependency order (a second pass, when one runs, follows).
    assert.deepEqual(
      phases.slice(0, 10).map((p) => p.replace(/\(\d+\)$/, '(n)')),
      [
        'configure workspace (n)',
        'admins, teams and fields',
        'tags',
        'companies',
        'contacts',
        'company memberships',
        'conversations from tickets',
        'conversations from live chats',
        'call logs',
        'help center',
      ],
    );
  } finally {
    await reader.close();
  }
});
