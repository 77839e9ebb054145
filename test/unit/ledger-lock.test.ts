import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { test } from 'node:test';

import { LedgerInterruptedRunError, LedgerLockedError } from '../../src/ledger';
import { systemProbe } from '../../src/ledger/process-identity';
import { createContact, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

test('one writer per run: a second resume is refused while the first holds the lock', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const lock = JSON.parse(await readFile(ledger.paths.lock(run.runId), 'utf8'));
  assert.equal(lock.pid, process.pid);
  assert.equal(lock.hostname, os.hostname());

  const { ledger: other } = await quietLedger(ws.dir);
  // The workspace's writer lock refuses first (one writer per workspace), naming the holder.
  await assert.rejects(
    other.resumeRun(run.runId),
    (e: unknown) =>
      e instanceof LedgerLockedError &&
      e.message.includes(`pid ${process.pid} on host ${os.hostname()}`) &&
      e.message.includes(run.runId) &&
      !e.takeOverAllowed,
  );
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
  await writeFile(
    ledger.paths.lock(run.runId),
    JSON.stringify({ pid: dead, hostname: os.hostname(), since: '2026-01-01T00:00:00.000Z' }),
  );

  const { ledger: next, warnings } = await quietLedger(ws.dir);
  assert.equal((await next.listRuns())[0]?.interrupted, true);
  const resumed = await next.resumeRun(run.runId);
  assert.ok(
    warnings.some((w) => w.includes('stale lock') && w.includes(String(dead))),
    warnings.join('\n'),
  );
  assert.equal(JSON.parse(await readFile(next.paths.lock(run.runId), 'utf8')).pid, process.pid);
  await resumed.finish('completed');
});

test('a lock held from another host is refused (its liveness cannot be checked)', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  await writeFile(
    ledger.paths.lock(run.runId),
    JSON.stringify({ pid: 1, hostname: 'build-server-7', since: '2026-01-01T00:00:00.000Z' }),
  );
  await assert.rejects(
    ledger.resumeRun(run.runId),
    (e: unknown) =>
      e instanceof LedgerLockedError &&
      /another host/.test(e.message) &&
      e.message.includes(ledger.paths.lock(run.runId)),
  );
});

/** The start time /proc gives this process (field 22 of /proc/self/stat). */
function ownStartTime(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

const hasProc = existsSync('/proc/self/stat');

test(
  'a lock whose pid is alive but belongs to a later process (another start time) is taken over',
  { skip: !hasProc && 'no /proc here' },
  async (t) => {
    const ws = await tempWorkspace();
    t.after(ws.cleanup);
    const { ledger } = await quietLedger(ws.dir);
    const run = await ledger.startRun(fullRun);
    await run.close();
    // This very process's pid, as if it had been reused after a container restart: a start time that is not ours.
    const reused = {
      pid: process.pid,
      hostname: os.hostname(),
      since: '2026-01-01T00:00:00.000Z',
      startTime: String(Number(ownStartTime()) + 1),
    };
    await writeFile(ledger.paths.lock(run.runId), JSON.stringify(reused));
    await writeFile(ledger.paths.writerLock, JSON.stringify({ ...reused, kind: 'full', runId: run.runId }));

    const { ledger: next, warnings } = await quietLedger(ws.dir);
    assert.equal((await next.listRuns())[0]?.interrupted, true, 'the run counts as interrupted, not as held');
    const resumed = await next.resumeRun(run.runId);
    for (const file of [next.paths.writerLock, next.paths.lock(run.runId)]) {
      assert.ok(
        warnings.some((w) => w.includes(`stale lock ${file}`) && w.includes('reused pid')),
        warnings.join('\n'),
      );
      const now = JSON.parse(await readFile(file, 'utf8'));
      assert.equal(now.startTime, ownStartTime());
    }
    await resumed.finish('completed');
  },
);

test(
  'the same pid with the same start time is this very process: refused, never taken over',
  { skip: !hasProc && 'no /proc here' },
  async (t) => {
    const ws = await tempWorkspace();
    t.after(ws.cleanup);
    const { ledger } = await quietLedger(ws.dir);
    const run = await ledger.startRun(fullRun);
    const { ledger: other } = await quietLedger(ws.dir, { takeOver: true });
    await assert.rejects(
      other.startRun(fullRun),
      (e: unknown) => e instanceof LedgerLockedError && !e.takeOverAllowed,
      '--take-over does not take a lock from a process that provably runs',
    );
    await run.close();
  },
);

test('a lock written before a reboot (another boot id) is stale whatever its pid', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  await writeFile(
    ledger.paths.lock(run.runId),
    JSON.stringify({
      pid: process.pid,
      hostname: os.hostname(),
      since: '2026-01-01T00:00:00.000Z',
      startTime: '1',
      bootId: 'a-boot-long-ago',
    }),
  );
  const probe = { ...systemProbe, bootId: () => 'this-boot' };
  const { ledger: next, warnings } = await quietLedger(ws.dir, { probe });
  const resumed = await next.resumeRun(run.runId);
  assert.ok(
    warnings.some((w) => w.includes('restarted since')),
    warnings.join('\n'),
  );
  await resumed.finish('completed');
});

test('without /proc a live pid cannot be told from a reused one: refused, unless --take-over', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  // pid 1 always exists; this system "has no /proc".
  await writeFile(
    ledger.paths.lock(run.runId),
    JSON.stringify({ pid: 1, hostname: os.hostname(), since: '2026-01-01T00:00:00.000Z' }),
  );
  const probe = { ...systemProbe, bootId: () => undefined, startTime: () => undefined };
  const { ledger: plain } = await quietLedger(ws.dir, { probe });
  await assert.rejects(
    plain.resumeRun(run.runId),
    (e: unknown) =>
      e instanceof LedgerLockedError &&
      /no \/proc/.test(e.message) &&
      /--take-over/.test(e.message) &&
      e.takeOverAllowed,
  );
  const { ledger: forced, warnings } = await quietLedger(ws.dir, { probe, takeOver: true });
  const resumed = await forced.resumeRun(run.runId);
  assert.ok(
    warnings.some((w) => w.includes('taken over as asked')),
    warnings.join('\n'),
  );
  await resumed.finish('completed');
});

test('a run lock from another host is taken over with --take-over', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  await writeFile(
    ledger.paths.lock(run.runId),
    JSON.stringify({ pid: 1, hostname: 'build-server-7', since: '2026-01-01T00:00:00.000Z' }),
  );
  assert.equal((await ledger.listRuns())[0]?.locked, true);
  const { ledger: forced } = await quietLedger(ws.dir, { takeOver: true });
  assert.equal((await forced.listRuns())[0]?.interrupted, true);
  const resumed = await forced.resumeRun(run.runId);
  await resumed.finish('completed');
});

// ---- the workspace's writer lock ------------------------------------------------------------

test('one writer per workspace: a second writer is refused at open, naming pid, host, run, kind and since', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir, { writer: { kind: 'full' } });
  const held = JSON.parse(await readFile(ledger.paths.writerLock, 'utf8'));
  assert.equal(held.kind, 'full');
  assert.equal(held.runId, undefined, 'no run chosen yet');
  const run = await ledger.startRun(fullRun);
  assert.equal(
    JSON.parse(await readFile(ledger.paths.writerLock, 'utf8')).runId,
    run.runId,
    'the lock names the run once it is chosen',
  );

  for (const kind of ['delta', 'sample', 'configure'] as const) {
    await assert.rejects(
      quietLedger(ws.dir, { writer: { kind } }),
      (e: unknown) =>
        e instanceof LedgerLockedError &&
        e.message.includes(`pid ${process.pid} on host ${os.hostname()}`) &&
        e.message.includes(`a full run (${run.runId})`) &&
        e.message.includes(`since ${held.since}`) &&
        e.message.includes(ledger.paths.writerLock) &&
        /Wait for it to end/.test(e.message),
    );
  }
  // A different run of the same workspace, started by a ledger opened without the lock, is refused too.
  const { ledger: reader } = await quietLedger(ws.dir);
  await assert.rejects(reader.startRun({ ...fullRun, kind: 'delta' }), LedgerLockedError);
  // A dry run writes nothing to Intercom and does not need the lock.
  const dry = await reader.startRun({ ...fullRun, kind: 'dry-run' });
  await dry.finish('completed');

  await run.finish('completed');
  assert.ok(existsSync(ledger.paths.writerLock), 'held until the ledger closes');
  await ledger.close();
  assert.ok(!existsSync(ledger.paths.writerLock), 'released at close');
  const { ledger: next } = await quietLedger(ws.dir, { writer: { kind: 'delta' } });
  await next.close();
});

test('a writer lock from another host is refused without --take-over; with it, the interrupted run is the one to go on with', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.intent(createContact(1));
  await run.close();
  const foreign = { pid: 4242, hostname: 'old-container', since: '2026-01-01T00:00:00.000Z' };
  await writeFile(ledger.paths.lock(run.runId), JSON.stringify(foreign));
  await writeFile(ledger.paths.writerLock, JSON.stringify({ ...foreign, kind: 'full', runId: run.runId }));

  await assert.rejects(
    quietLedger(ws.dir, { writer: { kind: 'full' } }),
    (e: unknown) =>
      e instanceof LedgerLockedError &&
      e.takeOverAllowed &&
      /pid 4242 on host old-container/.test(e.message) &&
      e.message.includes(run.runId) &&
      /--take-over/.test(e.message),
  );
  // Another kind than the interrupted run's is refused even with --take-over: resume it or roll it back first.
  await assert.rejects(
    quietLedger(ws.dir, { writer: { kind: 'delta' }, takeOver: true }),
    (e: unknown) =>
      e instanceof LedgerInterruptedRunError &&
      e.runId === run.runId &&
      e.message.includes('`st2ic migrate`') &&
      e.message.includes(`st2ic rollback ${run.runId}`) &&
      /1 of its write/.test(e.message),
  );
  assert.equal(
    JSON.parse(await readFile(ledger.paths.writerLock, 'utf8')).hostname,
    'old-container',
    'a refused takeover gives the lock back',
  );
  await assert.rejects(
    quietLedger(ws.dir, { writer: { kind: 'delta' }, takeOver: true }),
    LedgerInterruptedRunError,
    'so asking again meets the same refusal',
  );

  const { ledger: forced, warnings } = await quietLedger(ws.dir, { writer: { kind: 'full' }, takeOver: true });
  assert.ok(
    warnings.some((w) => w.includes('taken over as asked')),
    warnings.join('\n'),
  );
  const [summary] = await forced.listRuns();
  assert.equal(summary?.interrupted, true, 'the interrupted run is resumable');
  const resumed = await forced.resumeRun(run.runId);
  assert.equal(resumed.pendingIntents().length, 1, 'its write of unknown outcome is there to be looked up');
  await resumed.close();
  await forced.close();
});

test('a rollback of the interrupted run is allowed after a takeover', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  const foreign = { pid: 4242, hostname: 'old-container', since: '2026-01-01T00:00:00.000Z' };
  await writeFile(ledger.paths.lock(run.runId), JSON.stringify(foreign));
  await writeFile(ledger.paths.writerLock, JSON.stringify({ ...foreign, kind: 'full', runId: run.runId }));
  const { ledger: forced } = await quietLedger(ws.dir, {
    writer: { kind: 'rollback', rollbackOf: run.runId },
    takeOver: true,
  });
  const rollback = await forced.startRun({ ...fullRun, kind: 'rollback', rollbackOf: run.runId });
  await rollback.finish('completed');
  await forced.close();
});

test('a run held by a live process without the writer lock (an older st2ic) keeps a new writer out', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  // What an older st2ic holding only the run's lock looks like: the writer lock is not there.
  await rm(ledger.paths.writerLock);
  await assert.rejects(
    quietLedger(ws.dir, { writer: { kind: 'delta' } }),
    (e: unknown) => e instanceof LedgerLockedError && e.message.includes(`Run ${run.runId} (full) is locked`),
  );
  await run.close();
});

test('a lock naming pid 0 or below (kill(0) would ask about a process group) names no holder: taken over as unreadable', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.close();
  await writeFile(
    ledger.paths.lock(run.runId),
    JSON.stringify({ pid: 0, hostname: os.hostname(), since: '2026-01-01T00:00:00.000Z' }),
  );
  const { ledger: next, warnings } = await quietLedger(ws.dir);
  const resumed = await next.resumeRun(run.runId);
  assert.ok(
    warnings.some((w) => w.includes('unreadable lock')),
    warnings.join('\n'),
  );
  await resumed.finish('completed');
});
