import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { rollbackRun } from '../../src/engine/rollback';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';
import {
  CLI,
  cliArgs,
  clientFor,
  type CliResult,
  type Dataset,
  finished,
  makeDataset,
  migrate,
  openDataset,
  removeDir,
  runCli,
  runIds,
  spawnCli,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { killGaps, lcg } from '../support/kill-points';
import { isWrite, type KillMoment, KillProxy } from '../support/kill-proxy';
import { snapshotOf } from '../support/sandbox-snapshot';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process';

/**
 * Issue 13: the kill -9 suite with the target killed too. The sandbox runs as its own process with
 * `--state`; at seeded writes it is SIGKILLed, either together with the CLI (the machine went down)
 * or alone (Intercom went away mid-run), restarted from its state file on the same port, and the
 * same command is run again until it completes. A full run and its rollback must end exactly as
 * they do without kills: the sandbox keeps every write it acknowledged, and the CLI writes nothing
 * twice across a target that lost its in-flight requests.
 *
 * Replay with ST2IC_SANDBOX_KILL_SEED=<seed> node scripts/run-tests.mjs test/integration/engine-sigkill-sandbox.test.ts
 */

const SEED = process.env.ST2IC_SANDBOX_KILL_SEED ? Number(process.env.ST2IC_SANDBOX_KILL_SEED) : randomInt(2 ** 31);
console.log(`# sandbox+cli kill seed ${SEED}`);

const TOKEN = 'sandbox-token';
type Mode = 'both' | 'sandbox';

const random = lcg(SEED);

let dir: string;
let ds: Dataset;
let reference: RunningSandbox;
let target: SandboxProcess;
let port = 0;
let stateFile: string;
let seedFile: string;
let proxy: KillProxy;
const kills: string[] = [];
const refWs = () => path.join(dir, 'reference');
const ws = () => path.join(dir, 'killed');

async function startTarget(): Promise<void> {
  target = await startSandboxProcess([
    '--state',
    stateFile,
    '--seed',
    seedFile,
    '--rate-limit',
    '100000',
    '--search-lag',
    '0',
    '--token',
    TOKEN,
    ...(port ? ['--port', String(port)] : []),
  ]);
  port = Number(new URL(target.url).port);
}

/** SIGKILLs the sandbox (the CLI too, in `both`) and brings it back from its state file on the same port. */
let restarting: Promise<void> = Promise.resolve();
function killTarget(mode: Mode, cli: { kill: (signal: NodeJS.Signals) => boolean }): void {
  if (mode === 'both') cli.kill('SIGKILL');
  const dead = target;
  dead.child.kill('SIGKILL');
  restarting = (async () => {
    await dead.exited;
    await startTarget();
  })();
}

async function targetState(): Promise<SandboxState> {
  const response = await fetch(`${target.url}/__sandbox/state`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  return (await response.json()) as SandboxState;
}

/**
 * Runs `args` with the target killed at each gap in turn: a kill of both ends the attempt and the
 * command is run again; a kill of the sandbox alone lets the CLI go on against the restarted one.
 * Then the same command again until it exits as the uninterrupted run did.
 */
async function untilDone(args: string[], gaps: number[], expectedCode: number): Promise<CliResult> {
  const left = [...gaps];
  while (left.length) {
    const child = spawnCli(args, TOKEN);
    const done = finished(child);
    const armNext = (): void => {
      const gap = left.shift();
      if (gap === undefined) return;
      const mode: Mode = random() < 0.5 ? 'both' : 'sandbox';
      const when: KillMoment = random() < 0.5 ? 'before-send' : 'after-reply';
      proxy.arm(gap, when, () => {
        const shot = proxy.disarm();
        kills.push(
          `${mode} ${when} ${shot?.method ?? ''} ${shot?.path.split('?')[0] ?? ''} (write ${shot?.write ?? '?'})`,
        );
        killTarget(mode, child);
        if (mode === 'sandbox') void restarting.then(armNext);
      });
    };
    armNext();
    const result = await done;
    proxy.disarm();
    await restarting;
    await proxy.idle();
    if (result.signal !== 'SIGKILL') {
      kills.push(`run ended with ${left.length} kill(s) left (exit ${String(result.code)})`);
      break;
    }
  }
  let last: CliResult | undefined;
  for (let i = 0; i < 4; i++) {
    last = await runCli(args, TOKEN);
    if (last.code === expectedCode) return last;
  }
  return last!;
}

const writesSince = (from: number) =>
  reference
    .requests()
    .slice(from)
    .filter((r) => isWrite(r.method, r.path)).length;

let refFull: ReturnType<typeof snapshotOf>;
let refRolledBack: ReturnType<typeof snapshotOf>;
let full: { result: CliResult; state: ReturnType<typeof snapshotOf>; expectedCode: number };
let rolledBack: { results: CliResult[]; state: ReturnType<typeof snapshotOf> };

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('sigkill-sandbox');
  ds = await makeDataset(path.join(dir, 'source'), 0.1, 11);
  reference = await startSeededSandbox(ds);
  const reader = await openDataset(ds);
  try {
    seedFile = path.join(dir, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify(await seedForSource(reader, new Set([ds.manifest.hardCases.unmatchedAgentId]))),
    );
  } finally {
    await reader.close();
  }
  stateFile = path.join(dir, 'sandbox-state.json');
  await startTarget();
  proxy = await KillProxy.start(`http://127.0.0.1:${port}`);
  await writeMap(refWs(), ds, 'approved');
  await writeMap(ws(), ds, 'approved');

  const sentBefore = reference.requests().length;
  const ref = await migrate(refWs(), ds, reference, 'full');
  const fullWrites = writesSince(sentBefore);
  assert.equal(ref.status, 'completed', ref.message);
  refFull = snapshotOf(reference.state());
  const expectedCode = Object.values(ref.counts).some((c) => (c?.failed ?? 0) > 0) ? 3 : 0;
  const sentBeforeRollback = reference.requests().length;
  const refRollback = await rollbackRun({ workspaceDir: refWs(), runId: ref.runId, client: clientFor(reference) });
  assert.equal(refRollback.status, 'completed');
  refRolledBack = snapshotOf(reference.state());
  const rollbackWrites = writesSince(sentBeforeRollback);

  const migrateArgs = cliArgs('migrate', ds, ws(), reference, [
    '--json',
    '--concurrency',
    '8',
    '--search-settle',
    '0.5',
  ]).map((a) => (a === reference.url ? proxy.url : a));
  const result = await untilDone(migrateArgs, killGaps(random, 4, fullWrites), expectedCode);
  full = { result, state: snapshotOf(await targetState()), expectedCode };

  // Every run the attempts left is rolled back, newest first; kills on the way through the first.
  const results: CliResult[] = [];
  for (const [i, runId] of runIds(ws()).reverse().entries()) {
    results.push(
      await untilDone(
        ['rollback', runId, '--workspace', ws(), '--intercom-url', proxy.url, '--yes', '--json'],
        i === 0 ? killGaps(random, 2, rollbackWrites) : [],
        0,
      ),
    );
  }
  rolledBack = { results, state: snapshotOf(await targetState()) };
});

after(async () => {
  await proxy?.close();
  await reference?.close();
  await restarting.catch(() => undefined);
  target?.child.kill('SIGKILL');
  if (dir && !process.env.ST2IC_KEEP_TEST_DIR) removeDir(dir);
});

test('the sandbox was killed at writes, alone and with the CLI, and came back from its state file', (t) => {
  t.diagnostic(`seed ${SEED}; kills: ${kills.join('; ')}`);
  assert.ok(kills.filter((k) => !k.startsWith('run ended')).length >= 4, `seed ${SEED}: ${kills.join('; ')}`);
});

test('the full run ends as without kills: every acknowledged write kept, nothing written twice', () => {
  assert.equal(full.result.code, full.expectedCode, `seed ${SEED}\n${full.result.stderr}`);
  assert.deepEqual(full.state, refFull, `seed ${SEED}; ${kills.join('; ')}`);
});

test('rolling back every run ends as the rollback of an uninterrupted run', () => {
  for (const r of rolledBack.results) assert.equal(r.code, 0, `seed ${SEED}\n${r.stderr}`);
  assert.deepEqual(rolledBack.state, refRolledBack, `seed ${SEED}; ${kills.join('; ')}`);
});
