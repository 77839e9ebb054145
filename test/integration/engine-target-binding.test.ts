import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { EngineUsageError } from '../../src/engine/errors';
import { rollbackRun } from '../../src/engine/rollback';
import { type MigrationKind, type MigrationResult, runMigration } from '../../src/engine/run-migration';
import { TargetMismatchError, UnadoptedTargetError } from '../../src/engine/target-binding';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';
import { testClock } from '../support/clock';
import {
  cliArgs,
  clientFor,
  type Dataset,
  makeDataset,
  openDataset,
  removeDir,
  runCli,
  runIds,
  SEARCH_SETTLE_MS,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { snapshotOf } from '../support/sandbox-snapshot';

// A migration folder is bound to one Intercom workspace, and Intercom itself can tell what is
// already migrated: a second folder, a lost ledger or another workspace lead to a refusal or an
// adoption, never to a second copy.

let dir: string;
let ds: Dataset;
let filled: RunningSandbox;
let other: RunningSandbox;
let baseline: ReturnType<typeof snapshotOf>;
let fullRunId: string;
const home = () => path.join(dir, 'home');

async function run(
  workspace: string,
  sandbox: RunningSandbox,
  kind: MigrationKind = 'full',
  adopt = false,
): Promise<MigrationResult> {
  const reader = await openDataset(ds);
  try {
    return await runMigration({
      workspaceDir: workspace,
      kind,
      reader,
      client: clientFor(sandbox),
      clock: testClock,
      adopt,
      options: { concurrency: 8, searchSettleMs: SEARCH_SETTLE_MS },
    });
  } finally {
    await reader.close();
  }
}

/** Requests that change something (searches and reads excluded). */
const writesTo = (sandbox: RunningSandbox) =>
  sandbox
    .requests()
    .filter((r) => r.method !== 'GET' && !r.path.includes('/search') && !r.path.startsWith('/__sandbox')).length;

before(async () => {
  dir = tempDir('binding');
  ds = await makeDataset(dir, 0.1, 7);
  filled = await startSeededSandbox(ds);
  await writeMap(home(), ds, 'approved');
  const result = await run(home(), filled);
  assert.equal(result.status, 'completed', result.message);
  fullRunId = result.runId;
  baseline = snapshotOf(filled.state());
  // The same preparation in another Intercom workspace.
  const reader = await openDataset(ds);
  const seed = await seedForSource(reader, new Set([ds.manifest.hardCases.unmatchedAgentId])).finally(() =>
    reader.close(),
  );
  const seedFile = path.join(dir, 'other-seed.json');
  writeFileSync(
    seedFile,
    JSON.stringify({ ...seed, workspace: { ...seed.workspace, id_code: 'otherws1', name: 'Other workspace' } }),
  );
  other = await startSandbox({ rateLimitPer10s: 100_000, searchLagMs: 0, seedFile });
});

after(async () => {
  await filled?.close();
  await other?.close();
  removeDir(dir);
});

test('the folder records its Intercom workspace at the first write', () => {
  const target = JSON.parse(readFileSync(path.join(home(), 'migration', 'target.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.equal(target.appIdCode, 'rehearsal');
  assert.equal(target.appName, 'Rehearsal workspace');
});

test('another Intercom workspace is refused before anything is written, naming both', async () => {
  const before = writesTo(other);
  await assert.rejects(
    run(home(), other, 'delta'),
    (e: unknown) =>
      e instanceof TargetMismatchError &&
      /"Rehearsal workspace" \(rehearsal, US\)/.test(e.message) &&
      /"Other workspace" \(otherws1, US\)/.test(e.message),
  );
  await assert.rejects(
    rollbackRun({ workspaceDir: home(), runId: fullRunId, client: clientFor(other) }),
    TargetMismatchError,
  );
  assert.equal(writesTo(other), before);
  assert.equal(Object.keys(other.state().contacts).length, 0);
});

test('a new folder pointed at a filled Intercom refuses; --adopt rebuilds its ledger from Intercom and writes nothing twice', async () => {
  const fresh = path.join(dir, 'fresh');
  await writeMap(fresh, ds, 'approved');
  const before = writesTo(filled);
  await assert.rejects(
    run(fresh, filled),
    (e: unknown) =>
      e instanceof UnadoptedTargetError &&
      /already holds objects of this SmarterTrack source/.test(e.message) &&
      /--adopt/.test(e.message),
  );
  assert.equal(writesTo(filled), before, 'nothing was written');
  assert.equal(existsSync(path.join(fresh, 'migration', 'target.json')), false);

  await assert.rejects(run(fresh, filled, 'delta'), UnadoptedTargetError);
  const adopted = await run(fresh, filled, 'full', true);
  assert.equal(adopted.status, 'completed', adopted.message);
  assert.deepEqual(snapshotOf(filled.state()), baseline, 'no contact, conversation, part, article or collection twice');
  assert.ok(runIds(fresh).some((id) => id.includes('-adopt-')));
  assert.equal(JSON.parse(readFileSync(path.join(fresh, 'migration', 'target.json'), 'utf8')).appIdCode, 'rehearsal');
});

test('a delta in a folder with no migration to start from is refused', async () => {
  const empty = path.join(dir, 'empty');
  await writeMap(empty, ds, 'approved');
  const sandbox = await startSeededSandbox(ds);
  try {
    await assert.rejects(
      run(empty, sandbox, 'delta'),
      (e: unknown) => e instanceof EngineUsageError && /run the full migration first/.test(e.message),
    );
    assert.equal(Object.keys(sandbox.state().conversations).length, 0);
  } finally {
    await sandbox.close();
  }
});

test("a lost target.json is bound again only where the ledger's contacts are", async () => {
  const copy = path.join(dir, 'copy');
  cpSync(home(), copy, { recursive: true });
  rmSync(path.join(copy, 'migration', 'target.json'));
  await assert.rejects(
    run(copy, other, 'delta'),
    (e: unknown) => e instanceof TargetMismatchError && /target\.json is missing/.test(e.message),
  );
  const delta = await run(copy, filled, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  assert.equal(JSON.parse(readFileSync(path.join(copy, 'migration', 'target.json'), 'utf8')).appIdCode, 'rehearsal');
  assert.deepEqual(snapshotOf(filled.state()), baseline);
});

test('a lost ledger refuses to write; st2ic ledger rebuild --from-intercom recovers it and a delta then writes nothing twice', async () => {
  const lost = path.join(dir, 'lost');
  cpSync(home(), lost, { recursive: true });
  rmSync(path.join(lost, 'migration', 'runs'), { recursive: true });
  rmSync(path.join(lost, 'migration', 'ledger-index.json'), { force: true });
  await assert.rejects(run(lost, filled, 'full'), UnadoptedTargetError);

  const cli = await runCli(
    ['ledger', 'rebuild', '--from-intercom', ...cliArgs('x', ds, lost, filled).slice(1)],
    filled.token,
  );
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /Adopt run \S+-adopt-\S+: .*endUsers \d+.*tickets \d+/);
  const delta = await run(lost, filled, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  assert.deepEqual(snapshotOf(filled.state()), baseline);
});
