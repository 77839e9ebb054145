import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import {
  CLI,
  type CliResult,
  type Dataset,
  finished,
  makeDataset,
  migrate,
  removeDir,
  runCli,
  runIds,
  SEARCH_SETTLE_MS,
  spawnCli,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { GateProxy } from '../support/gate-proxy';
import { snapshotOf } from '../support/sandbox-snapshot';

/**
 * "Exactly once, whatever happens on this machine": each way a hostile tester made st2ic write the
 * same data twice into Intercom, played with the real CLI against the sandbox. Two writers on one
 * workspace; a lock whose pid lives again, or that comes from another host; a ledger with files
 * deleted or edited. Every case ends refused (nothing sent) or with Intercom exactly as after one
 * clean run, counted through the sandbox's control endpoint.
 */

let dir: string;
let ds: Dataset;
let reference: ReturnType<typeof snapshotOf>;
/** The reference run's workspace and the sandbox state it left, copied for each case that starts from a completed run. */
let referenceWs: string;
let referenceRunId: string;
let referenceState: string;
/** A clean full run over this dataset exits 3: one attachment row's file is missing (it fails, named). */
let cleanExit: number;
const sandboxes: RunningSandbox[] = [];

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('exactly-once');
  ds = await makeDataset(path.join(dir, 'source'), 0.1, 3);
  const sandbox = await startSeededSandbox(ds);
  sandboxes.push(sandbox);
  referenceWs = path.join(dir, 'reference');
  await writeMap(referenceWs, ds, 'approved');
  const result = await migrate(referenceWs, ds, sandbox, 'full');
  assert.equal(result.status, 'completed', result.message);
  referenceRunId = result.runId;
  cleanExit = Object.values(result.counts).some((c) => (c?.failed ?? 0) > 0) ? 3 : 0;
  referenceState = path.join(dir, 'reference-state.json');
  writeFileSync(referenceState, JSON.stringify(sandbox.state()));
  reference = snapshotOf(await stateOf(sandbox));
  assert.ok(reference.conversations.length > 20, `${reference.conversations.length} conversations in the reference`);
});

after(async () => {
  for (const s of sandboxes) await s.close();
  if (dir && !process.env.ST2IC_KEEP_TEST_DIR) removeDir(dir);
});

/** The sandbox's state as its control endpoint serves it. */
async function stateOf(sandbox: RunningSandbox): Promise<SandboxState> {
  const response = await fetch(`${sandbox.url}/__sandbox/state`, {
    headers: { Authorization: `Bearer ${sandbox.token}` },
  });
  assert.equal(response.status, 200);
  return (await response.json()) as SandboxState;
}

function counts(snapshot: ReturnType<typeof snapshotOf>): Record<string, number> {
  return {
    contacts: snapshot.contacts.length,
    companies: snapshot.companies.length,
    conversations: snapshot.conversations.length,
    tags: snapshot.tags.length,
    articles: snapshot.articles.length,
    collections: snapshot.collections.length,
  };
}

/** Intercom holds exactly what one clean run writes: the same objects, none twice. */
async function assertClean(sandbox: RunningSandbox, what: string): Promise<void> {
  const actual = snapshotOf(await stateOf(sandbox));
  assert.deepEqual(counts(actual), counts(reference), `${what}: object counts`);
  assert.deepEqual(actual, reference, `${what}: objects`);
}

async function workspace(name: string): Promise<{ ws: string; sandbox: RunningSandbox }> {
  const sandbox = await startSeededSandbox(ds);
  sandboxes.push(sandbox);
  const ws = path.join(dir, name);
  await writeMap(ws, ds, 'approved');
  return { ws, sandbox };
}

const args = (verb: string, ws: string, url: string, extra: string[] = []) => [
  verb,
  '--source',
  `sqlite:${ds.dbPath}`,
  '--attachments',
  ds.attachmentsRoot,
  '--workspace',
  ws,
  '--intercom-url',
  url,
  '--json',
  '--concurrency',
  '8',
  '--search-settle',
  String(SEARCH_SETTLE_MS / 1000),
  ...extra,
];

const out = (r: CliResult) =>
  `exit ${r.code}\n--- stdout\n${r.stdout.slice(-2000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

function resultOf(r: CliResult): { runId: string; status: string; resumed: boolean } {
  const line = r.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  assert.ok(line, out(r));
  return JSON.parse(line) as { runId: string; status: string; resumed: boolean };
}

const runDir = (ws: string, runId: string) => path.join(ws, 'migration', 'runs', runId);
const writerLock = (ws: string) => path.join(ws, 'migration', 'writer.lock');

/** Starts `st2ic migrate`, holds its 40th write, SIGKILLs it there: a run interrupted with writes of unknown outcome. */
async function interruptedRun(ws: string, sandbox: RunningSandbox): Promise<string> {
  const gate = await GateProxy.start(sandbox.url);
  try {
    gate.holdWrite(40);
    const child = spawnCli(args('migrate', ws, gate.url), sandbox.token);
    const done = finished(child);
    await Promise.race([
      gate.whenHolding(),
      done.then((r) => assert.fail(`migrate ended before its 40th write: ${out(r)}`)),
    ]);
    child.kill('SIGKILL');
    assert.equal((await done).signal, 'SIGKILL');
    gate.release('drop');
  } finally {
    await gate.close();
  }
  const [runId, ...others] = runIds(ws);
  assert.ok(runId?.includes('-full-') && others.length === 0, runIds(ws).join());
  return runId!;
}

/** A workspace after one clean full run: a copy of the reference workspace, and a sandbox holding what that run wrote. */
async function completedWorkspace(name: string): Promise<{ ws: string; sandbox: RunningSandbox; runId: string }> {
  const ws = path.join(dir, name);
  cpSync(referenceWs, ws, { recursive: true });
  const stateFile = path.join(dir, `${name}-state.json`);
  copyFileSync(referenceState, stateFile);
  const sandbox = await startSeededSandbox(ds, { stateFile });
  sandboxes.push(sandbox);
  await assertClean(sandbox, `${name}: the clean run`);
  return { ws, sandbox, runId: referenceRunId };
}

/** Runs the CLI and checks it refused with exit 2 and sent nothing at all to Intercom. */
async function refusedWithoutWriting(
  sandbox: RunningSandbox,
  cliArgs: string[],
  ...mustSay: (string | RegExp)[]
): Promise<CliResult> {
  const before = sandbox.requests().length;
  const r = await runCli(cliArgs, sandbox.token);
  assert.equal(r.code, 2, out(r));
  for (const m of mustSay) {
    if (typeof m === 'string') assert.ok(r.stderr.includes(m), `stderr should name ${m}\n${out(r)}`);
    else assert.match(r.stderr, m, out(r));
  }
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'a refusal is a message, not a stack');
  assert.equal(sandbox.requests().length, before, `nothing was sent to Intercom\n${out(r)}`);
  return r;
}

// ── 1. two writers on one workspace ─────────────────────────────────────────────────────────────

test('two migrate processes started together: one runs, the other refuses at once (exit 2); Intercom ends as after one clean run', async () => {
  const { ws, sandbox } = await workspace('together');
  const gate = await GateProxy.start(sandbox.url);
  try {
    // The first write waits at the gate, so whichever process wins cannot finish before the other decided.
    gate.holdWrite(1);
    const a = spawnCli(args('migrate', ws, gate.url), sandbox.token);
    const b = spawnCli(args('migrate', ws, gate.url), sandbox.token);
    const runs = [finished(a).then((r) => ({ pid: a.pid!, r })), finished(b).then((r) => ({ pid: b.pid!, r }))];
    const loser = await Promise.race(runs);
    assert.equal(loser.r.code, 2, out(loser.r));
    const winnerPid = loser.pid === a.pid ? b.pid! : a.pid!;
    assert.ok(loser.r.stderr.includes(`pid ${winnerPid} on host ${os.hostname()}`), out(loser.r));
    assert.match(loser.r.stderr, /writing a full run .* since \d{4}-\d{2}-\d{2}T/);
    await gate.whenHolding();
    gate.release('forward');
    const winner = (await Promise.all(runs)).find((x) => x.pid === winnerPid)!.r;
    assert.equal(winner.code, cleanExit, out(winner));
    assert.equal(resultOf(winner).status, 'completed');
  } finally {
    await gate.close();
  }
  assert.equal(runIds(ws).length, 1, 'one run');
  assert.ok(!existsSync(writerLock(ws)), 'the writer lock is released at the end');
  await assertClean(sandbox, 'two writers started together');
});

test('a second migrate started while the first is writing refuses, naming pid, host, run, kind and since; the first completes alone', async () => {
  const { ws, sandbox } = await workspace('mid-run');
  const gate = await GateProxy.start(sandbox.url);
  const second = await GateProxy.start(sandbox.url);
  try {
    gate.holdWrite(60);
    const first = spawnCli(args('migrate', ws, gate.url), sandbox.token);
    const firstDone = finished(first);
    await Promise.race([
      gate.whenHolding(),
      firstDone.then((r) => assert.fail(`ended before its 60th write: ${out(r)}`)),
    ]);
    const runId = runIds(ws)[0]!;
    // The second process talks through its own proxy, whose count shows it sent nothing.
    const r = await runCli(args('migrate', ws, second.url), sandbox.token);
    assert.equal(r.code, 2, out(r));
    const lock = JSON.parse(readFileSync(writerLock(ws), 'utf8')) as { since: string };
    for (const part of [
      `pid ${first.pid} on host ${os.hostname()}`,
      `a full run (${runId})`,
      `since ${lock.since}`,
      writerLock(ws),
      'Wait for it to end',
    ]) {
      assert.ok(r.stderr.includes(part), `names ${part}\n${out(r)}`);
    }
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(second.requests, 0, 'the second process sent nothing to Intercom');
    gate.release('forward');
    const done = await firstDone;
    assert.equal(done.code, cleanExit, out(done));
    assert.equal(resultOf(done).runId, runId);
  } finally {
    await gate.close();
    await second.close();
  }
  assert.deepEqual(runIds(ws).length, 1);
  await assertClean(sandbox, 'a second writer mid-run');
});

// ── 2. locks whose holder is gone, or cannot be checked ─────────────────────────────────────────

/** This process's start time as /proc gives it. */
function ownStartTime(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

function writeLocks(ws: string, runId: string, holder: Record<string, unknown>): void {
  writeFileSync(writerLock(ws), JSON.stringify({ ...holder, kind: 'full', runId }));
  writeFileSync(path.join(runDir(ws, runId), 'lock'), JSON.stringify(holder));
}

test(
  'locks whose pid is alive again but with another start time (a reused pid) are taken over, and the interrupted run resumed',
  { skip: !existsSync('/proc/self/stat') && 'no /proc here' },
  async () => {
    const { ws, sandbox } = await workspace('reused-pid');
    const runId = await interruptedRun(ws, sandbox);
    // What a container restart leaves: the pid now names a live process (this test runner), started at another time.
    writeLocks(ws, runId, {
      pid: process.pid,
      hostname: os.hostname(),
      since: '2026-01-01T00:00:00.000Z',
      startTime: String(Number(ownStartTime()) + 7),
    });
    const r = await runCli(args('migrate', ws, sandbox.url), sandbox.token);
    assert.equal(r.code, cleanExit, out(r));
    assert.deepEqual([resultOf(r).runId, resultOf(r).resumed, resultOf(r).status], [runId, true, 'completed']);
    assert.match(r.stderr, /Taking over stale lock .*writer\.lock.*reused pid/);
    assert.deepEqual(runIds(ws), [runId], 'no run started beside the interrupted one');
    await assertClean(sandbox, 'after a reused pid');
  },
);

test('locks from another host refuse without --take-over; another kind refuses even with it; migrate --take-over resumes the run', async () => {
  const { ws, sandbox } = await workspace('other-host');
  const runId = await interruptedRun(ws, sandbox);
  const since = '2026-01-01T00:00:00.000Z';
  writeLocks(ws, runId, { pid: 4242, hostname: 'old-container', since });

  await refusedWithoutWriting(
    sandbox,
    args('migrate', ws, sandbox.url),
    'pid 4242 on host old-container',
    `a full run (${runId})`,
    `since ${since}`,
    '--take-over',
  );
  await refusedWithoutWriting(
    sandbox,
    args('delta', ws, sandbox.url, ['--take-over']),
    `Run ${runId}`,
    '`st2ic migrate`',
    `st2ic rollback ${runId}`,
  );
  assert.equal(
    JSON.parse(readFileSync(writerLock(ws), 'utf8')).hostname,
    'old-container',
    'a refused takeover leaves the lock as it was',
  );

  const r = await runCli(args('migrate', ws, sandbox.url, ['--take-over']), sandbox.token);
  assert.equal(r.code, cleanExit, out(r));
  assert.deepEqual([resultOf(r).runId, resultOf(r).resumed, resultOf(r).status], [runId, true, 'completed']);
  assert.match(r.stderr, /taken over as asked \(--take-over\)/);
  assert.deepEqual(runIds(ws), [runId]);
  await assertClean(sandbox, 'after --take-over');
});

// ── 3. a damaged ledger ─────────────────────────────────────────────────────────────────────────

const REBUILD = 'st2ic ledger rebuild --from-intercom';

test('an interrupted run whose journal was deleted: migrate and delta refuse, naming the journal and the fix', async () => {
  const { ws, sandbox } = await workspace('interrupted-no-journal');
  const runId = await interruptedRun(ws, sandbox);
  const journal = path.join(runDir(ws, runId), 'journal.jsonl');
  rmSync(journal);
  await refusedWithoutWriting(sandbox, args('migrate', ws, sandbox.url), journal, REBUILD);
  await refusedWithoutWriting(sandbox, args('delta', ws, sandbox.url), journal, REBUILD);
});

test('a completed run whose journal was deleted: delta refuses, naming the journal and the fix', async () => {
  const { ws, sandbox, runId } = await completedWorkspace('completed-no-journal');
  const journal = path.join(runDir(ws, runId), 'journal.jsonl');
  rmSync(journal);
  await refusedWithoutWriting(sandbox, args('delta', ws, sandbox.url), journal, 'is missing', REBUILD);
  // An empty journal beside a run.json that says the run wrote is the same damage.
  writeFileSync(journal, '');
  await refusedWithoutWriting(sandbox, args('delta', ws, sandbox.url), journal, 'is empty', REBUILD);
});

test('a deleted run.json is rebuilt from the journal (the same file); the delta after it writes nothing twice', async () => {
  const { ws, sandbox, runId } = await completedWorkspace('no-run-json');
  const file = path.join(runDir(ws, runId), 'run.json');
  const original = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  rmSync(file);
  const r = await runCli(args('delta', ws, sandbox.url), sandbox.token);
  assert.ok(r.code === 0 || r.code === 3, out(r));
  assert.equal(resultOf(r).status, 'completed');
  await assertClean(sandbox, 'delta after run.json was rebuilt');
  assert.ok(r.stderr.includes(`${file} was missing; rebuilt it from the journal`), out(r));
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), original);
});

test('an index cache edited to drop five tickets (still valid JSON) is not trusted: rebuilt from the journals, nothing migrated twice', async () => {
  const { ws, sandbox } = await completedWorkspace('edited-cache');
  const file = path.join(ws, 'migration', 'ledger-index.json');
  const text = readFileSync(file, 'utf8');
  const dropTickets = (index: { ids: [string, unknown][]; records: [string, unknown][] }) => {
    const tickets = index.ids
      .map(([key]) => key)
      .filter((key) => key.startsWith('tickets:'))
      .slice(0, 5);
    assert.equal(tickets.length, 5);
    index.ids = index.ids.filter(([key]) => !tickets.includes(key));
    index.records = index.records.filter(([key]) => !tickets.includes(key));
  };
  // Whatever the cache's layout, the tester keeps it valid JSON and changes only the index.
  const newline = text.indexOf('\n');
  if (newline > 0 && newline < text.length - 1) {
    const body = JSON.parse(text.slice(newline + 1)) as {
      index: { ids: [string, unknown][]; records: [string, unknown][] };
    };
    dropTickets(body.index);
    writeFileSync(file, `${text.slice(0, newline)}\n${JSON.stringify(body)}\n`);
  } else {
    const cache = JSON.parse(text) as { index: { ids: [string, unknown][]; records: [string, unknown][] } };
    dropTickets(cache.index);
    writeFileSync(file, JSON.stringify(cache));
  }
  const r = await runCli(args('delta', ws, sandbox.url), sandbox.token);
  assert.ok(r.code === 0 || r.code === 3, out(r));
  assert.equal(resultOf(r).status, 'completed');
  await assertClean(sandbox, 'delta after the edited cache');
  assert.match(r.stderr, /Index cache .* (does not match|is unreadable)/);
});

test('an unreadable line in the middle of a journal refuses, naming the file, the line and its byte offset', async () => {
  const { ws, sandbox, runId } = await completedWorkspace('bad-line');
  const journal = path.join(runDir(ws, runId), 'journal.jsonl');
  const lines = readFileSync(journal, 'utf8').split('\n');
  const offset = Buffer.byteLength(lines.slice(0, 9).join('\n') + '\n');
  lines[9] = lines[9]!.slice(0, 40);
  writeFileSync(journal, lines.join('\n'));
  await refusedWithoutWriting(sandbox, args('delta', ws, sandbox.url), journal, `line 10 (byte ${offset})`, REBUILD);
});
