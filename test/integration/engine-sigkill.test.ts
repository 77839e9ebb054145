import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { normalizeBody } from '../../src/intercom';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { CLI, cliArgs, finished, journalOf, makeDataset, migrate, removeDir, runCli, runIds, spawnCli, startSeededSandbox, tempDir, writeMap, type Dataset } from '../support/engine-fixtures';

/**
 * Issue 4: `st2ic migrate` killed with SIGKILL at random points (and with connections dropped after
 * the write) and run again each time ends with the same Intercom as an uninterrupted run: same
 * counts, nothing duplicated, nothing missing.
 */

const KILLS = 5;
/** Kill points spread over roughly the first 1,200 requests (an uninterrupted run at this scale sends about 1,250). */
const SPREAD = 240;
let dir: string;
let ds: Dataset;
let reference: RunningSandbox;
let killed: RunningSandbox;
let expected: SandboxState;
let actual: SandboxState;
const killPoints: string[] = [];
const attemptMs: number[] = [];
let finalExit: number | null = null;
let finalStdout = '';

/** A small seeded generator, so a failing sequence of kill points can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('sigkill');
  ds = await makeDataset(path.join(dir, 'source'), 0.15, 7);
  reference = await startSeededSandbox(ds);
  killed = await startSeededSandbox(ds, { faults: 'drop:0.01,seed=5' });
  const refWs = path.join(dir, 'reference');
  const ws = path.join(dir, 'killed');
  await writeMap(refWs, ds, 'approved');
  await writeMap(ws, ds, 'approved');

  // The uninterrupted run goes on in this process while the killed one runs in children.
  const uninterrupted = migrate(refWs, ds, reference, 'full');

  const random = lcg(20261128);
  for (let k = 0; k < KILLS; k++) {
    const seen = killed.requests().length;
    // Half the kills after N more requests reach Intercom, half a random delay after the attempt's first write.
    const byRequests = k % 2 === 0;
    const target = seen + 5 + Math.floor(random() * SPREAD);
    const delay = 20 + Math.floor(random() * 1500);
    const writes = () => killed.requests().slice(seen).some((r) => r.method !== 'GET');
    // Search in the sandbox has no lag: an interrupted create not found at once was never applied.
    const child = spawnCli(cliArgs('migrate', ds, ws, killed, ['--concurrency', '8', '--search-settle', '2']), killed.token);
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    let started = Date.now();
    if (!byRequests) {
      while (!exited && !writes()) await sleep(5);
      started = Date.now();
    }
    while (!exited && (byRequests ? killed.requests().length < target : Date.now() - started < delay)) await sleep(5);
    if (exited) {
      const r = await done;
      killPoints.push(`run ${k + 1} finished before its kill point (exit ${r.code})`);
      break;
    }
    child.kill('SIGKILL');
    const r = await done;
    assert.equal(r.signal, 'SIGKILL');
    killPoints.push(byRequests ? `after ${killed.requests().length - seen} requests` : `after ${Date.now() - started} ms (${killed.requests().length - seen} requests)`);
    attemptMs.push(Date.now() - started);
  }
  killed.setFaults('');
  const lastStarted = Date.now();
  const last = await runCli(cliArgs('migrate', ds, ws, killed, ['--json', '--search-settle', '2']), killed.token);
  attemptMs.push(Date.now() - lastStarted);
  finalExit = last.code;
  finalStdout = `${last.stdout}\n${last.stderr}`;
  actual = JSON.parse(JSON.stringify(killed.state())) as SandboxState;
  const ref = await uninterrupted;
  assert.equal(ref.status, 'completed', ref.message);
  expected = JSON.parse(JSON.stringify(reference.state())) as SandboxState;
});

after(async () => {
  await reference?.close();
  await killed?.close();
  if (dir) removeDir(dir);
});

test('the interrupted run resumes each time and completes', (t) => {
  const drops = killed.requests().filter((r) => r.fault === 'drop').length;
  t.diagnostic(`killed ${killPoints.join('; ')}; ${drops} dropped connections; ${killed.requests().length} requests (uninterrupted: ${reference.requests().length}); attempts took ${attemptMs.join(', ')} ms`);
  assert.ok(killPoints.length >= 5, `killed at: ${killPoints.join('; ')}`);
  // The dataset has one attachment whose file is missing: a completed run with a failed record exits 3.
  assert.equal(finalExit, 3, finalStdout);
  const result = JSON.parse(finalStdout.trim().split('\n').find((l) => l.startsWith('{'))!) as { status: string; resumed: boolean };
  assert.equal(result.status, 'completed');
  assert.equal(result.resumed, true);
  const ws = path.join(dir, 'killed');
  assert.equal(runIds(ws).length, 1, 'every attempt resumed the same run');
  const journal = journalOf(ws, runIds(ws)[0]!);
  const intents = journal.filter((e) => e.type === 'intent').map((e) => e.seq);
  const outcomes = new Set(journal.filter((e) => e.type === 'outcome').map((e) => e.intentSeq));
  assert.deepEqual(intents.filter((s) => !outcomes.has(s)), [], 'every intent has an outcome');
});

test('same counts per resource as an uninterrupted run', () => {
  for (const key of ['contacts', 'companies', 'conversations', 'tags', 'dataAttributes', 'conversationAttributes', 'collections', 'articles'] as const) {
    assert.equal(Object.keys(actual[key]).length, Object.keys(expected[key]).length, `${key} (kills: ${killPoints.join('; ')})`);
  }
});

test('no duplicates and nothing missing: contacts, companies, tags, help center', () => {
  const externalIds = Object.values(actual.contacts).map((c) => c.external_id);
  assert.equal(new Set(externalIds).size, externalIds.length, 'external_ids are unique');
  assert.deepEqual(externalIds.slice().sort(), Object.values(expected.contacts).map((c) => c.external_id).sort());
  assert.deepEqual(Object.values(actual.companies).map((c) => c.company_id).sort(), Object.values(expected.companies).map((c) => c.company_id).sort());
  assert.deepEqual(Object.values(actual.tags).map((t) => t.name).sort(), Object.values(expected.tags).map((t) => t.name).sort());
  assert.deepEqual(Object.values(actual.articles).map((a) => `${a.title}|${a.state}`).sort(), Object.values(expected.articles).map((a) => `${a.title}|${a.state}`).sort());
  assert.deepEqual(Object.values(actual.collections).map((c) => c.name).sort(), Object.values(expected.collections).map((c) => c.name).sort());
});

/** A conversation's identity across two sandboxes: its channel and source number, else its opening message. */
function keyOf(c: SandboxState['conversations'][string]): string {
  const a = c.custom_attributes;
  const number = a['SmarterTrack ticket number'] ?? a['SmarterTrack chat number'] ?? null;
  return number !== null ? `${String(a['SmarterTrack channel'] ?? '')}#${String(number)}` : `${c.created_at}|${normalizeBody(c.source_body)}`;
}

function byKey(s: SandboxState): Map<string, SandboxState['conversations'][string][]> {
  const map = new Map<string, SandboxState['conversations'][string][]>();
  for (const c of Object.values(s.conversations)) map.set(keyOf(c), [...(map.get(keyOf(c)) ?? []), c]);
  return map;
}

test('one conversation per source ticket and chat, each with the same parts, state and assignment', () => {
  const want = byKey(expected);
  const got = byKey(actual);
  const duplicated = [...got].filter(([, list]) => list.length > 1).map(([k]) => k);
  assert.deepEqual(duplicated, [], 'no conversation twice');
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  const content = (c: SandboxState['conversations'][string]) =>
    c.parts.filter((p) => p.part_type === 'comment' || p.part_type === 'note').map((p) => `${p.part_type}|${p.created_at}|${p.attachments.length}|${normalizeBody(p.body)}`).sort();
  for (const [key, [c]] of got) {
    const [w] = want.get(key)!;
    assert.equal(c!.parts.length, w!.parts.length, `${key}: same number of parts`);
    assert.deepEqual(content(c!), content(w!), `${key}: same replies and notes`);
    assert.equal(c!.state, w!.state, `${key}: state`);
    assert.equal(c!.admin_assignee_id, w!.admin_assignee_id, `${key}: admin`);
    assert.equal(c!.team_assignee_id, w!.team_assignee_id, `${key}: team`);
    assert.equal(c!.title, w!.title, `${key}: title`);
  }
});
