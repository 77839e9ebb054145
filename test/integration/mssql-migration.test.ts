import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { proposeMap } from '../../src/engine/propose-map';
import { runMigration } from '../../src/engine/run-migration';
import { IntercomClient } from '../../src/intercom';
import { writeMappingFile } from '../../src/mapping/mapping-file';
import { confirmMap } from '../../src/mapping/review';
import { type RunningSandbox, type SandboxState, startSandbox } from '../../src/sandbox';
import type { SourceReader } from '../../src/source/reader';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';
import { snapshotOf } from '../support/sandbox-snapshot';
import { serveDataset, type ServedDataset } from './mssql-helpers';

// Issue 7: the same help desk migrated through SQL Server (mssql + TDS fixture) and through SQLite
// leaves the two sandboxes in the same state.
let served: ServedDataset;
let work: string;
const sandboxes: RunningSandbox[] = [];

before(async () => {
  served = await serveDataset({ seed: 2, scale: 0.1 });
  work = mkdtempSync(path.join(tmpdir(), 'st2ic-mssql-migration-'));
});

after(async () => {
  for (const s of sandboxes) await s.close();
  await served?.dispose();
  rmSync(work, { recursive: true, force: true });
});

async function migrateInto(open: () => Promise<SourceReader>, name: string, seedFile: string): Promise<SandboxState> {
  const sandbox = await startSandbox({ port: 0, seedFile, rateLimitPer10s: 100_000 });
  sandboxes.push(sandbox);
  const workspace = path.join(work, name);
  const reader = await open();
  try {
    await writeMappingFile(workspace, confirmMap(await proposeMap(reader), 'approved', 'Test Reviewer'));
    const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, rateLimiter: { concurrency: 16 } });
    const result = await runMigration({
      workspaceDir: workspace,
      kind: 'full',
      reader,
      client,
      options: { concurrency: 8 },
    });
    assert.equal(result.status, 'completed', result.message);
  } finally {
    await reader.close();
  }
  return sandbox.state();
}

test('a full migration through SQL Server and through SQLite ends in the same Intercom state', async () => {
  const seedReader = await served.openSqlite();
  const seed = await seedForSource(seedReader, new Set([served.manifest.hardCases.unmatchedAgentId]));
  await seedReader.close();
  const seedFile = path.join(work, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));

  const viaSqlite = snapshotOf(await migrateInto(() => served.openSqlite(), 'sqlite', seedFile));
  const viaMssql = snapshotOf(await migrateInto(() => served.openMssql(), 'mssql', seedFile));
  assert.ok(
    viaSqlite.conversations.length > 10 && viaSqlite.contacts.length > 10,
    'the migration moved a real help desk',
  );
  assert.deepEqual(viaMssql, viaSqlite);
  // And only SELECT statements reached the SQL Server side during the whole migration.
  const writes = served.fixture.statements().filter((s) => !/^\s*(select|set\b)/i.test(s.sql));
  assert.deepEqual(
    writes.map((s) => s.sql),
    [],
  );
});
