import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import {
  CLI,
  cliArgs,
  type CliResult,
  type Dataset,
  makeDataset,
  removeDir,
  runCli,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/**
 * Issue "exactly once", item 7: records whose latest state is failed are retried by the next run of
 * the same kind and by a delta, once their cause is fixed. `migrate` without the attachments folder
 * fails every file; the same command with it (or a delta with it) sends each of those files once, and
 * the reconciliation then counts them migrated. A further run sends nothing more.
 */

interface AttachmentCounts {
  migrated: number;
  failed: number;
  skipped: number;
  failedReasons: { errorClass: string; count: number }[];
}

let ds: Dataset;
let root: string;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  root = tempDir('retry-failed');
  ds = await makeDataset(path.join(root, 'ds'), 0.1, 5);
});

after(() => {
  if (root) removeDir(root);
});

/** The CLI arguments without `--attachments <dir>`: the run cannot read any file. */
function withoutAttachments(args: string[]): string[] {
  const i = args.indexOf('--attachments');
  return i < 0 ? args : [...args.slice(0, i), ...args.slice(i + 2)];
}

/** `st2ic validate` over the workspace (latest record per source record): the attachments row of its JSON report. */
async function validate(workspace: string, sandbox: RunningSandbox): Promise<AttachmentCounts> {
  const result = await runCli(cliArgs('validate', ds, workspace, sandbox, ['--json', '--sample', '0']), sandbox.token);
  assert.ok(result.code === 0 || result.code === 3, `validate: ${result.stderr}`);
  const { files } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { files: { json: string } };
  const report = JSON.parse(readFileSync(files.json, 'utf8')) as {
    types: (AttachmentCounts & { objectType: string })[];
  };
  const row = report.types.find((t) => t.objectType === 'attachments');
  assert.ok(row, 'the reconciliation has an attachments row');
  return row;
}

/** Every file carried by a conversation part in Intercom. */
function filesIn(state: SandboxState): number {
  return Object.values(state.conversations).reduce(
    (n, c) => n + c.parts.reduce((m, p) => m + p.attachments.length, 0),
    0,
  );
}

function ok(result: CliResult, label: string): void {
  assert.ok(
    result.code === 0 || result.code === 3,
    `${label} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
  );
}

async function scenario(
  name: string,
  retryVerb: 'migrate' | 'delta',
  t: { diagnostic(message: string): void },
): Promise<void> {
  const workspace = path.join(root, name);
  const sandbox = await startSeededSandbox(ds);
  try {
    await writeMap(workspace, ds, 'approved');
    const first = await runCli(
      withoutAttachments(cliArgs('migrate', ds, workspace, sandbox, ['--json'])),
      sandbox.token,
    );
    assert.equal(first.code, 3, `the first run ends with failed records:\n${first.stderr}`);
    const failedFirst = await validate(workspace, sandbox);
    t.diagnostic(`without the folder: ${JSON.stringify(failedFirst)}`);
    assert.ok(failedFirst.failed > 0, 'files fail without the attachments folder');
    assert.equal(failedFirst.migrated, 0);
    assert.equal(filesIn(sandbox.state()), 0);

    const retry = await runCli(cliArgs(retryVerb, ds, workspace, sandbox, ['--json']), sandbox.token);
    ok(retry, `${retryVerb} with the folder`);
    const afterRetry = await validate(workspace, sandbox);
    t.diagnostic(`after ${retryVerb} with the folder: ${JSON.stringify(afterRetry)}`);
    // Every file that failed only for want of the folder is migrated now; what still fails, fails for a reason of its own.
    assert.ok(afterRetry.migrated > 0);
    assert.equal(
      afterRetry.migrated + afterRetry.failed,
      failedFirst.failed,
      'each failed file is now migrated or still failed',
    );
    assert.equal(afterRetry.skipped, failedFirst.skipped);
    assert.equal(
      afterRetry.failed,
      ds.manifest.hardCases.missingAttachmentIds.length,
      'only the files missing on disk still fail',
    );
    assert.deepEqual(
      afterRetry.failedReasons.map((r) => r.errorClass),
      ['attachment_missing'],
    );
    // Each migrated file was sent once: Intercom holds exactly as many files as the ledger says migrated.
    assert.equal(filesIn(sandbox.state()), afterRetry.migrated);

    // Once more: nothing left to send for them.
    const partsBefore = Object.values(sandbox.state().conversations).reduce((n, c) => n + c.parts.length, 0);
    const again = await runCli(cliArgs(retryVerb, ds, workspace, sandbox, ['--json']), sandbox.token);
    ok(again, `${retryVerb} once more`);
    const afterAgain = await validate(workspace, sandbox);
    assert.deepEqual(
      { migrated: afterAgain.migrated, failed: afterAgain.failed },
      { migrated: afterRetry.migrated, failed: afterRetry.failed },
    );
    assert.equal(filesIn(sandbox.state()), afterRetry.migrated);
    assert.equal(
      Object.values(sandbox.state().conversations).reduce((n, c) => n + c.parts.length, 0),
      partsBefore,
      'no new part',
    );
  } finally {
    await sandbox.close();
  }
}

test('migrate again with the attachments folder sends the files that failed, once', async (t) => {
  await scenario('migrate', 'migrate', t);
});

test('a delta with the attachments folder sends the files that failed, once', async (t) => {
  await scenario('delta', 'delta', t);
});

test('a user whose contact an earlier run made for their conversations (as a customer) becomes that contact whole, as if created at once', async (t) => {
  const { migrate } = await import('../support/engine-fixtures');
  const { snapshotOf } = await import('../support/sandbox-snapshot');
  const reference = await startSeededSandbox(ds);
  const sandbox = await startSeededSandbox(ds);
  t.after(async () => {
    await reference.close();
    await sandbox.close();
  });
  const refWs = path.join(root, 'customer-ref');
  await writeMap(refWs, ds, 'approved');
  assert.equal((await migrate(refWs, ds, reference, 'full')).status, 'completed');

  // First run without end users: each ticket's customer gets a contact from the ticket's email.
  const ws = path.join(root, 'customer-first');
  await writeMap(ws, ds, 'approved', (map) => ({
    ...map,
    objects: { ...map.objects, contacts: { ...map.objects.contacts, enabled: false } },
  }));
  assert.equal((await migrate(ws, ds, sandbox, 'full')).status, 'completed');
  const visitors = Object.values(sandbox.state().contacts).filter(
    (c) => c.external_id?.startsWith('st-visitor-') && c.email,
  );
  assert.ok(visitors.length > 0, 'the customers got contacts of their own');

  await writeMap(ws, ds, 'approved');
  assert.equal((await migrate(ws, ds, sandbox, 'full')).status, 'completed');
  const contacts = (s: SandboxState) => snapshotOf(s).contacts;
  assert.deepEqual(
    contacts(sandbox.state()),
    contacts(reference.state()),
    'each user is one contact with its own fields, as after one clean run',
  );
});
