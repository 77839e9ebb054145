import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { LedgerWriteError } from '../../src/ledger';
import { JournalEntry } from '../../src/model/journal';
import { createContact, fullRun, quietLedger } from '../support/ledger-fixtures';

/** A tiny tmpfs of our own, when this process may mount (root in a container); otherwise the test is skipped. */
async function tinyDisk(): Promise<
  { dir: string; mount: (options: string) => void; cleanup: () => Promise<void> } | undefined
> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'st2ic-ledger-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    mount: (options) => execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'ignore' }),
    cleanup: async () => {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test('a full disk (ENOSPC) stops the run with a typed error; after freeing space the run resumes cleanly', async (t) => {
  const disk = await tinyDisk();
  if (!disk) return t.skip('cannot mount a tmpfs here (needs root)');
  t.after(disk.cleanup);
  const { ledger } = await quietLedger(disk.dir);
  const run = await ledger.startRun(fullRun);
  let error: unknown;
  let durable = 0;
  for (let i = 0; i < 10_000 && !error; i++) {
    try {
      const seq = await run.intent(createContact(`${i}-${'x'.repeat(200)}`));
      run.outcome(seq, { result: 'applied', intercomId: `c-${i}` });
      durable = i + 1;
    } catch (e) {
      error = e;
    }
  }
  assert.ok(error instanceof LedgerWriteError, String(error));
  assert.equal(error.code, 'ENOSPC');
  assert.match(error.message, /journal\.jsonl: the disk is full/);
  assert.match(error.message, /resume run/);
  assert.ok(durable > 10, `only ${durable} writes fit`);
  await run.close();

  disk.mount('size=4m');
  const { ledger: after } = await quietLedger(disk.dir);
  const details = await after.readRun(run.runId);
  assert.equal(details.tornBytes, 0, 'the partial batch was cut off');
  const pending = details.pendingIntents.map((i) => i.sourceId);
  assert.ok(pending.length <= 1, `at most the last intent can be pending, got ${pending.length}`);
  const resumed = await after.resumeRun(run.runId);
  for (const intent of resumed.pendingIntents())
    resumed.outcome(intent.seq, { result: 'not-applied', reason: 'lookup found nothing' });
  const seq = await resumed.intent(createContact('after'));
  resumed.outcome(seq, { result: 'applied', intercomId: 'c-after' });
  await resumed.finish('completed');
  const lines = (await readFile(after.paths.journal(run.runId), 'utf8')).trimEnd().split('\n');
  for (const line of lines) JournalEntry.parse(JSON.parse(line));
  assert.equal(after.intercomIdFor('endUsers', 'after'), 'c-after');
});

test('a read-only file system (EROFS): reading still works, writing fails with a typed error, resume works once writable', async (t) => {
  const disk = await tinyDisk();
  if (!disk) return t.skip('cannot mount a tmpfs here (needs root)');
  t.after(disk.cleanup);
  disk.mount('size=4m');
  const { ledger } = await quietLedger(disk.dir);
  const run = await ledger.startRun(fullRun);
  const seq = await run.intent(createContact(1));
  run.outcome(seq, { result: 'applied', intercomId: 'c-1' });
  await run.close();

  disk.mount('ro');
  const { ledger: readOnly } = await quietLedger(disk.dir);
  assert.equal(readOnly.intercomIdFor('endUsers', '1'), 'c-1');
  assert.equal((await readOnly.listRuns())[0]?.interrupted, true);
  await assert.rejects(
    readOnly.resumeRun(run.runId),
    (e: unknown) => e instanceof LedgerWriteError && e.code === 'EROFS' && /read-only/.test(e.message),
  );
  await assert.rejects(readOnly.startRun(fullRun), (e: unknown) => e instanceof LedgerWriteError && e.code === 'EROFS');

  disk.mount('rw');
  const resumed = await readOnly.resumeRun(run.runId);
  await resumed.finish('completed');
  assert.equal((await readOnly.listRuns()).length, 1, 'the refused start left no run behind');
});
