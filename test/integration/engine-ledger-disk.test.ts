import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { CLI, cliArgs, journalOf, makeDataset, migrate, removeDir, runCli, runIds, startSeededSandbox, tempDir, writeMap, type CliResult, type Dataset } from '../support/engine-fixtures';
import { isWrite } from '../support/kill-proxy';
import { snapshotOf } from '../support/sandbox-snapshot';

/**
 * Issue 8: a full ledger disk stops a real `st2ic migrate` cleanly (status failed, a message naming
 * the journal and the cause, no stack, no secret), with no Intercom write sent before its intent was
 * durable; a read-only ledger refuses the resume before any write; once the disk is writable again
 * the same command resumes the run to the state of an uninterrupted one.
 *
 * How the disk fails, honestly: `migration/runs` is a tiny tmpfs of its own, so the journal's own
 * appends hit a real ENOSPC mid-run (the LedgerWriteError path of the journal writer). chmod cannot
 * stand in: the tests run as root, which ignores permissions, and even for another user the journal
 * stays open for writing, so a mode change mid-run would not stop its appends. For the same reason a
 * read-only remount is refused while the run holds the journal open (EBUSY): read-only is tested
 * between attempts, where a resume must refuse before it touches Intercom. Mounting needs root (or
 * CAP_SYS_ADMIN); without it the test is skipped.
 */

let dir: string;
let ds: Dataset;
let reference: RunningSandbox;
let sandbox: RunningSandbox;
let runs: string;
let mounted = false;
let expected: ReturnType<typeof snapshotOf>;
let expectedExit: number;
let journalBytes = 0;

const ws = () => path.join(dir, 'workspace');
const clone = (s: SandboxState): SandboxState => JSON.parse(JSON.stringify(s)) as SandboxState;
const args = () => cliArgs('migrate', ds, ws(), sandbox, ['--json', '--concurrency', '8', '--search-settle', '0.5']);
const writesSeen = () => sandbox.requests().filter((r) => isWrite(r.method, r.path)).length;
const remount = (options: string) => execFileSync('mount', ['-o', `remount,${options}`, runs], { stdio: 'ignore' });

function resultOf(r: CliResult): { status: string; resumed: boolean; message?: string; runId: string } {
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
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
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', runs], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});

after(async () => {
  if (mounted) execFileSync('umount', ['-l', runs], { stdio: 'ignore' });
  await reference?.close();
  await sandbox?.close();
  if (dir) removeDir(dir);
});

test('a full ledger disk stops the run cleanly, a read-only one refuses the resume, and once writable the run resumes to the uninterrupted state', async (t) => {
  if (!mounted) return t.skip('cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)');
  const started = Date.now();

  // 1. The disk fills mid-run.
  const full = await runCli(args(), sandbox.token);
  assertClearFailure(full, /Cannot write \S*journal\.jsonl: the disk is full/);
  t.diagnostic(`disk full: ${full.stderr.trim().split('\n').at(-1)}`);
  const failed = resultOf(full);
  assert.equal(failed.status, 'failed');
  assert.match(failed.message ?? '', /journal\.jsonl: the disk is full \(ENOSPC[^)]*\)\. .*resume run/);
  const [runId] = runIds(ws());
  assert.ok(runId && failed.runId === runId);

  // No write reached Intercom without a durable intent: one request per intent (no faults here),
  // so the writes Intercom saw cannot outnumber the intents that survived on disk.
  const journal = journalOf(ws(), runId);
  const intents = journal.filter((e) => e.type === 'intent');
  const sent = writesSeen();
  t.diagnostic(`disk full after ${intents.length} durable intents (${statSync(path.join(runs, runId, 'journal.jsonl')).size} of ${journalBytes} bytes); ${sent} writes reached Intercom`);
  assert.ok(sent > 20, `the run got going before the disk filled (${sent} writes)`);
  assert.ok(sent <= intents.length, `${sent} writes reached Intercom, only ${intents.length} intents are durable`);

  // 2. Read-only: the same command refuses before it touches Intercom.
  remount('ro');
  const requestsBefore = sandbox.requests().length;
  const readOnly = await runCli(args(), sandbox.token);
  assertClearFailure(readOnly, /read-only/);
  t.diagnostic(`read-only: ${readOnly.stderr.trim().split('\n').at(-1)}`);
  assert.equal(sandbox.requests().length, requestsBefore, 'no request at all while the ledger cannot be written');

  // 3. Space again: the same command resumes the same run and ends as the uninterrupted one.
  remount('rw,size=64m');
  const resumed = await runCli(args(), sandbox.token);
  assert.equal(resumed.code, expectedExit, `${resumed.stdout}\n${resumed.stderr}`);
  const done = resultOf(resumed);
  assert.equal(done.status, 'completed');
  assert.equal(done.resumed, true);
  assert.deepEqual(runIds(ws()), [runId], 'the interrupted run was resumed, not started again');
  const final = journalOf(ws(), runId);
  const outcomes = new Set(final.filter((e) => e.type === 'outcome').map((e) => e.intentSeq));
  assert.deepEqual(final.filter((e) => e.type === 'intent' && !outcomes.has(e.seq)).map((e) => e.seq), [], 'every intent has an outcome');
  assert.deepEqual(snapshotOf(clone(sandbox.state())), expected);
  t.diagnostic(`three attempts took ${Date.now() - started} ms`);
});
