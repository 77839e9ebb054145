import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { rollbackRun } from '../../src/engine/rollback';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { type DeltaManifest, mutateForDelta } from '../fixtures/dataset/mutate';
import {
  CLI,
  cliArgs,
  clientFor,
  type Dataset,
  finished,
  type JournalLine,
  journalOf,
  makeDataset,
  migrate,
  removeDir,
  runCli,
  SEARCH_SETTLE_MS,
  spawnCli,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { KillProxy, type KillShot } from '../support/kill-proxy';

/**
 * A delta killed right after Intercom applied a contact update (response lost) and resumed: the
 * resumed attempt reads the contact again, already updated, and sends the update once more. Its
 * before-image must still be the contact as it was before the delta, or rolling the delta back
 * "restores" the new name. (Found by the SIGKILL suite.)
 */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
let proxy: KillProxy;
let changes: DeltaManifest;
let afterFull: SandboxState;
let deltaJournal: JournalLine[];
let shot: KillShot | undefined;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('before-image');
  ds = await makeDataset(dir, 0.1, 5);
  sandbox = await startSeededSandbox(ds);
  proxy = await KillProxy.start(sandbox.url);
  await writeMap(dir, ds, 'approved');
  const full = await migrate(dir, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  afterFull = JSON.parse(JSON.stringify(sandbox.state())) as SandboxState;
  changes = mutateForDelta(ds.dbPath, { seed: 5 });

  const args = cliArgs('delta', ds, dir, sandbox, ['--json', '--search-settle', String(SEARCH_SETTLE_MS / 1000)]).map(
    (a) => (a === sandbox.url ? proxy.url : a),
  );
  const child = spawnCli(args, sandbox.token);
  const done = finished(child);
  proxy.arm(
    1,
    'after-reply',
    () => child.kill('SIGKILL'),
    (method, path) => method === 'PUT' && path.startsWith('/contacts/'),
  );
  const killed = await done;
  shot = proxy.disarm();
  await proxy.idle();
  assert.equal(killed.signal, 'SIGKILL', `the delta was not killed:\n${killed.stdout}\n${killed.stderr}`);
  const resumed = await runCli(args, sandbox.token);
  assert.ok(resumed.code === 0 || resumed.code === 3, `${resumed.stdout}\n${resumed.stderr}`);
  const result = JSON.parse(
    resumed.stdout
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{'))!,
  ) as { runId: string; resumed: boolean; status: string };
  assert.equal(result.status, 'completed');
  assert.equal(result.resumed, true);
  deltaJournal = journalOf(dir, result.runId);
  const rollback = await rollbackRun({ workspaceDir: dir, runId: result.runId, client: clientFor(sandbox) });
  assert.equal(rollback.status, 'completed', rollback.message);
});

after(async () => {
  await proxy?.close();
  await sandbox?.close();
  if (dir) removeDir(dir);
});

const contactOf = (s: SandboxState, userId: number) =>
  Object.values(s.contacts).find((c) => c.external_id === String(userId));

test('the update resent after the kill carries the before-image of the interrupted one', () => {
  assert.match(shot?.path ?? '', /^\/contacts\//);
  const updates = deltaJournal.filter((e) => e.type === 'intent' && e.op === 'update' && e.objectType === 'endUsers');
  assert.equal(updates.length, 2, 'the interrupted update and the one sent again');
  const [userId] = changes.renamedEndUsers.map((r) => r.userId);
  const original = contactOf(afterFull, userId!)!.name;
  for (const u of updates) assert.equal((u.beforeImage as { name?: string }).name, original);
});

test('rolling the delta back restores the renamed contact', () => {
  for (const { userId, name } of changes.renamedEndUsers) {
    assert.notEqual(contactOf(afterFull, userId)!.name, name);
    assert.equal(contactOf(sandbox.state(), userId)!.name, contactOf(afterFull, userId)!.name);
  }
});
