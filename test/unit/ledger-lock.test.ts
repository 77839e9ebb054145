import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { LedgerLockedError } from '../../src/ledger';
import { fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

test('one writer per run: a second resume is refused while the first holds the lock', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const lock = JSON.parse(await readFile(ledger.paths.lock(run.runId), 'utf8'));
  assert.equal(lock.pid, process.pid);
  assert.equal(lock.hostname, os.hostname());

  const { ledger: other } = await quietLedger(ws.dir);
  await assert.rejects(other.resumeRun(run.runId), (e: unknown) => e instanceof LedgerLockedError && /another writer/.test(e.message));
  const listed = await other.listRuns();
  assert.equal(listed[0]?.locked, true);
  assert.equal(listed[0]?.interrupted, false);

  await run.close();
  const resumed = await other.resumeRun(run.runId);
  await resumed.finish('cancelled', 'stopped by the user');
  assert.equal((await other.listRuns())[0]?.meta.status, 'cancelled');
});

test('a stale lock from a dead pid on this host is taken over with a warning', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  // A pid that surely no longer runs: a child that has exited.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  await writeFile(ledger.paths.lock(run.runId), JSON.stringify({ pid: dead, hostname: os.hostname(), since: '2026-01-01T00:00:00.000Z' }));

  const { ledger: next, warnings } = await quietLedger(ws.dir);
  assert.equal((await next.listRuns())[0]?.interrupted, true);
  const resumed = await next.resumeRun(run.runId);
  assert.ok(warnings.some((w) => w.includes('stale lock') && w.includes(String(dead))), warnings.join('\n'));
  assert.equal(JSON.parse(await readFile(next.paths.lock(run.runId), 'utf8')).pid, process.pid);
  await resumed.finish('completed');
});

test('a lock held from another host is refused (its liveness cannot be checked)', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  await writeFile(ledger.paths.lock(run.runId), JSON.stringify({ pid: 1, hostname: 'build-server-7', since: '2026-01-01T00:00:00.000Z' }));
  await assert.rejects(ledger.resumeRun(run.runId), (e: unknown) => e instanceof LedgerLockedError && /another host/.test(e.message) && e.message.includes(ledger.paths.lock(run.runId)));
});
