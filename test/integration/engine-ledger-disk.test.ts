import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import {
  CLI,
  cliArgs,
  type CliResult,
  type Dataset,
  finished,
  journalOf,
  makeDataset,
  migrate,
  removeDir,
  runCli,
  runIds,
  SEARCH_SETTLE_MS,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { isWrite } from '../support/kill-proxy';
import { snapshotOf } from '../support/sandbox-snapshot';

/**
 * Issue 8: a full ledger disk stops a real `st2ic migrate` cleanly (status failed, a message naming
 * the journal and the cause, no stack, no secret), with no Intercom write sent before its intent was
 * durable; a ledger that cannot be written refuses the resume before any request; once the disk is
 * writable again the same command resumes the run to the state of an uninterrupted one.
 *
 * How the disk fails, honestly, in the journal writer's own appends (its LedgerWriteError path):
 * - as root (CI's container): `migration/runs` is a tiny tmpfs of its own, so the journal hits a real
 *   ENOSPC mid-run; between attempts it is remounted read-only (EROFS). chmod cannot stand in: root
 *   ignores permissions. Nor can a read-only remount mid-run: it is refused (EBUSY) while the run holds
 *   the journal open for writing, which is also why a mode change mid-run would not stop the appends.
 * - as another user (no mount): the CLI runs under `ulimit -f`, so the journal's write fails with
 *   EFBIG once it reaches the limit (Node ignores SIGXFSZ, so the process is not killed); between
 *   attempts the run's folder and journal are made read-only with chmod (EACCES).
 */

let dir: string;
let ds: Dataset;
let reference: RunningSandbox;
let sandbox: RunningSandbox;
let runs: string;
/** How the ledger disk is made to fail here; undefined: neither way is available (root without mount). */
let disk: Disk | undefined;
let expected: ReturnType<typeof snapshotOf>;
let expectedExit: number;
let journalBytes = 0;

const ws = () => path.join(dir, 'workspace');
const clone = (s: SandboxState): SandboxState => JSON.parse(JSON.stringify(s)) as SandboxState;
const args = () =>
  cliArgs('migrate', ds, ws(), sandbox, [
    '--json',
    '--concurrency',
    '8',
    '--search-settle',
    String(SEARCH_SETTLE_MS / 1000),
  ]);
const writesSeen = () => sandbox.requests().filter((r) => isWrite(r.method, r.path)).length;

interface Disk {
  /** Runs the CLI with `args` so that the journal cannot grow past what fits. */
  runFull(args: string[]): Promise<CliResult>;
  fullCause: RegExp;
  readOnly(runId: string): void;
  readOnlyCause: RegExp;
  writable(runId: string): void;
  cleanup(): void;
}

/** Root: a tmpfs of `kib` KiB over migration/runs. */
function tmpfsDisk(kib: number): Disk | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', runs], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const remount = (options: string) => execFileSync('mount', ['-o', `remount,${options}`, runs], { stdio: 'ignore' });
  return {
    runFull: (a) => runCli(a, sandbox.token),
    fullCause: /Cannot write \S*journal\.jsonl: the disk is full \(ENOSPC/,
    readOnly: () => remount('ro'),
    readOnlyCause: /Cannot write \S+: the file system is read-only \(EROFS/,
    writable: () => remount('rw,size=64m'),
    cleanup: () => execFileSync('umount', ['-l', runs], { stdio: 'ignore' }),
  };
}

/** Another user: a file size limit on the CLI, and chmod between attempts. */
function ulimitDisk(kib: number): Disk {
  return {
    runFull: (a) =>
      finished(
        spawn('/bin/sh', ['-c', `ulimit -f ${kib * 2} && exec "$0" "$@"`, process.execPath, CLI, ...a], {
          env: { ...process.env, INTERCOM_TOKEN: sandbox.token, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      ),
    fullCause: /Cannot write \S*journal\.jsonl: the file reached the size limit .*\(EFBIG/,
    readOnly: (runId) => {
      chmodSync(path.join(runs, runId, 'journal.jsonl'), 0o444);
      chmodSync(path.join(runs, runId), 0o555);
    },
    readOnlyCause: /Cannot write \S+: permission denied \(EACCES/,
    writable: (runId) => {
      chmodSync(path.join(runs, runId), 0o755);
      chmodSync(path.join(runs, runId, 'journal.jsonl'), 0o644);
    },
    cleanup: () => undefined,
  };
}

function resultOf(r: CliResult): { status: string; resumed: boolean; message?: string; runId: string } {
  const line = r.stdout
    .trim()
    .split('\n')
    .find((l) => l.startsWith('{'));
  assert.ok(line, `no JSON result (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line) as { status: string; resumed: boolean; message?: string; runId: string };
}

/** What a person sees must say what to fix, without a stack trace or the token. */
function assertClearFailure(r: CliResult, cause: RegExp): void {
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.code, 1, out);
  assert.match(out, cause);
  assert.doesNotMatch(out, /^\s+at /m, 'no stack trace');
  assert.ok(!out.includes(sandbox.token), 'the token is not printed');
}

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('ledger-disk');
  ds = await makeDataset(path.join(dir, 'source'), 0.1, 9);
  reference = await startSeededSandbox(ds);
  sandbox = await startSeededSandbox(ds, { token: 'disk-test-token-3f9a' });
  const refWs = path.join(dir, 'reference');
  await writeMap(refWs, ds, 'approved');
  await writeMap(ws(), ds, 'approved');
  const ref = await migrate(refWs, ds, reference, 'full');
  assert.equal(ref.status, 'completed', ref.message);
  expectedExit = Object.values(ref.counts).some((c) => (c?.failed ?? 0) > 0) ? 3 : 0;
  expected = snapshotOf(clone(reference.state()));
  journalBytes = statSync(path.join(refWs, 'migration', 'runs', ref.runId, 'journal.jsonl')).size;

  // Room for about a third of the journal: the disk fills well into the run.
  runs = path.join(ws(), 'migration', 'runs');
  mkdirSync(runs, { recursive: true });
  const kib = Math.max(64, Math.round(journalBytes / 3 / 4096) * 4);
  const root = process.getuid?.() === 0;
  disk = root ? tmpfsDisk(kib) : ulimitDisk(kib);
});

after(async () => {
  disk?.cleanup();
  await reference?.close();
  await sandbox?.close();
  if (dir) removeDir(dir);
});

test('a full ledger disk stops the run cleanly, a read-only one refuses the resume, and once writable the run resumes to the uninterrupted state', async (t) => {
  if (!disk) return t.skip('running as root but cannot mount a tmpfs (root ignores chmod and file modes)');
  t.diagnostic(`ledger disk: ${process.getuid?.() === 0 ? 'tmpfs' : 'ulimit -f and chmod'}`);
  const started = Date.now();

  // 1. The disk fills mid-run.
  const full = await disk.runFull(args());
  assertClearFailure(full, disk.fullCause);
  t.diagnostic(
    `disk full: ${full.stderr
      .split('\n')
      .find((l) => l.includes('Cannot write'))
      ?.trim()}`,
  );
  const failed = resultOf(full);
  assert.equal(failed.status, 'failed');
  assert.match(failed.message ?? '', disk.fullCause);
  const [runId] = runIds(ws());
  assert.match(failed.message ?? '', new RegExp(`fix the cause and resume run ${runId}`));
  assert.ok(runId && failed.runId === runId);

  // No write reached Intercom without a durable intent: one request per intent (no faults here),
  // so the writes Intercom saw cannot outnumber the intents that survived on disk.
  const journal = journalOf(ws(), runId);
  const intents = journal.filter((e) => e.type === 'intent');
  const sent = writesSeen();
  t.diagnostic(
    `disk full after ${intents.length} durable intents (${statSync(path.join(runs, runId, 'journal.jsonl')).size} of ${journalBytes} bytes); ${sent} writes reached Intercom`,
  );
  assert.ok(sent > 20, `the run got going before the disk filled (${sent} writes)`);
  assert.ok(sent <= intents.length, `${sent} writes reached Intercom, only ${intents.length} intents are durable`);

  // 2. Read-only: the same command refuses before it touches Intercom.
  disk.readOnly(runId);
  // It may read (the bound workspace and the probes of what Intercom holds), never write.
  const writesBefore = writesSeen();
  const readOnly = await runCli(args(), sandbox.token);
  assertClearFailure(readOnly, disk.readOnlyCause);
  t.diagnostic(
    `read-only: ${readOnly.stderr
      .split('\n')
      .find((l) => l.includes('Cannot write'))
      ?.trim()}`,
  );
  assert.equal(writesSeen(), writesBefore, 'no write while the ledger cannot be written');

  // 3. Space again: the same command resumes the same run and ends as the uninterrupted one.
  disk.writable(runId);
  const resumed = await runCli(args(), sandbox.token);
  assert.equal(resumed.code, expectedExit, `${resumed.stdout}\n${resumed.stderr}`);
  const done = resultOf(resumed);
  assert.equal(done.status, 'completed');
  assert.equal(done.resumed, true);
  assert.deepEqual(runIds(ws()), [runId], 'the interrupted run was resumed, not started again');
  const final = journalOf(ws(), runId);
  const outcomes = new Set(final.filter((e) => e.type === 'outcome').map((e) => e.intentSeq));
  assert.deepEqual(
    final.filter((e) => e.type === 'intent' && !outcomes.has(e.seq)).map((e) => e.seq),
    [],
    'every intent has an outcome',
  );
  assert.deepEqual(snapshotOf(clone(sandbox.state())), expected);
  t.diagnostic(`three attempts took ${Date.now() - started} ms`);
});
