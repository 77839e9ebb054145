// Ledger throughput and index memory. Prints figures; asserts nothing.
// Run: npm run bench:ledger   (node --expose-gc --import tsx scripts/bench-ledger.ts [records])
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { type BatchPolicy, openLedger } from '../src/ledger';
import { LedgerIndex } from '../src/ledger/index-state';
import type { IntentBody } from '../src/model/journal';

const RECORDS = Number(process.argv[2] ?? 100_000);
const source = { kind: 'sqlite', description: 'bench' };

function contact(i: number): IntentBody {
  return {
    op: 'create',
    objectType: 'endUsers',
    sourceId: String(i),
    target: { resource: 'contact', description: 'POST /contacts' },
    lookup: { by: 'external_id', value: `st-user-${i}` },
  };
}

async function workspace(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'st2ic-bench-'));
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Engine-like: `workers` concurrent calls, each `await intent` → outcome → record (3 entries per call). */
async function engineLike(label: string, batch: BatchPolicy, calls: number, workers: number): Promise<void> {
  const dir = await workspace();
  try {
    const ledger = await openLedger(dir, { batch });
    const run = await ledger.startRun({ kind: 'full', mappingHash: 'bench', source });
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let i = next++; i < calls; i = next++) {
          const t0 = performance.now();
          const seq = await run.intent(contact(i));
          latencies.push(performance.now() - t0);
          run.outcome(seq, { result: 'applied', intercomId: `c-${i}` });
          run.record({ objectType: 'endUsers', sourceId: String(i), state: 'migrated', intercomId: `c-${i}` });
        }
      }),
    );
    await run.flush();
    const seconds = (performance.now() - start) / 1000;
    await run.finish('completed');
    latencies.sort((a, b) => a - b);
    const p = (q: number): string => (latencies[Math.floor(q * (latencies.length - 1))] ?? 0).toFixed(2);
    console.log(
      `${label}: ${fmt((calls * 3) / seconds)} entries/s, ${fmt(calls / seconds)} calls/s with ${workers} concurrent calls; intent durable after p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Raw append throughput: entries that nobody waits for, fsync per `maxEntries`. */
async function rawAppend(label: string, batch: BatchPolicy, entries: number): Promise<void> {
  const dir = await workspace();
  try {
    const ledger = await openLedger(dir, { batch });
    const run = await ledger.startRun({ kind: 'full', mappingHash: 'bench', source });
    const start = performance.now();
    for (let i = 0; i < entries; i++) {
      run.record({ objectType: 'endUsers', sourceId: String(i), state: 'migrated', intercomId: `c-${i}` });
      // Yield now and then so batches get written while we produce (as the engine's awaits do).
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await run.flush();
    const seconds = (performance.now() - start) / 1000;
    await run.finish('completed');
    console.log(`${label}: ${fmt(entries / seconds)} entries/s (${entries} record entries)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function indexFigures(records: number): Promise<void> {
  const meta = { id: '20260101T000000000Z-full-0000', kind: 'full' as const };
  const before = heapUsed();
  const index = new LedgerIndex();
  index.beginRun(meta);
  const at = new Date().toISOString();
  for (let i = 0; i < records; i++) {
    index.apply({ v: 1, seq: 3 * i + 1, at, runId: meta.id, type: 'intent', ...contact(i) });
    index.apply({
      v: 1,
      seq: 3 * i + 2,
      at,
      runId: meta.id,
      type: 'outcome',
      intentSeq: 3 * i + 1,
      outcome: {
        result: 'applied',
        intercomId: `6762f0dd1bb69f9f2193${String(i).padStart(4, '0')}`,
        resolvedBy: 'response',
      },
    });
    index.apply({
      v: 1,
      seq: 3 * i + 3,
      at,
      runId: meta.id,
      type: 'record',
      objectType: 'endUsers',
      sourceId: String(i),
      result: { state: 'migrated', intercomId: `6762f0dd1bb69f9f2193${String(i).padStart(4, '0')}` },
    });
  }
  const after = heapUsed();
  console.log(
    `index memory for ${fmt(records)} records (id mapping + record state): ${((after - before) / 1024 / 1024).toFixed(1)} MiB (${fmt((after - before) / records)} bytes/record)${(globalThis as { gc?: unknown }).gc ? '' : ' [run with --expose-gc for a stable figure]'}`,
  );
  if (index.size.ids !== records) throw new Error('index size mismatch');

  const dir = await workspace();
  try {
    const ledger = await openLedger(dir, { batch: { maxEntries: 1000, maxDelayMs: 50, urgentOnNextTick: false } });
    const run = await ledger.startRun({ kind: 'full', mappingHash: 'bench', source });
    for (let i = 0; i < records; i++) {
      const pending = run.intent(contact(i));
      const seq = 3 * i + 2;
      // Do not wait per intent: this only builds a journal to reopen.
      void pending.catch(() => undefined);
      run.outcome(seq, { result: 'applied', intercomId: `c-${i}` });
      run.record({ objectType: 'endUsers', sourceId: String(i), state: 'migrated', intercomId: `c-${i}` });
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await run.finish('completed');
    let t0 = performance.now();
    const rebuilt = await openLedger(dir);
    await rebuilt.rebuildIndex();
    const rebuildMs = performance.now() - t0;
    t0 = performance.now();
    const cached = await openLedger(dir);
    const cachedMs = performance.now() - t0;
    if (cached.intercomIdFor('endUsers', String(records - 1)) !== `c-${records - 1}`)
      throw new Error('cache lost a mapping');
    console.log(
      `index for ${fmt(records)} records (${fmt(records * 3 + 2)} journal entries): rebuild from journal ${fmt(rebuildMs)} ms, open from cache ${fmt(cachedMs)} ms`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`ledger bench, ${os.cpus().length} CPUs, tmpdir ${os.tmpdir()}, node ${process.version}`);
  const timed = { urgentOnNextTick: false };
  const grouped = { urgentOnNextTick: true };
  await rawAppend('fsync per batch of 100', { maxEntries: 100, maxDelayMs: 1000, ...timed }, 100_000);
  await rawAppend('fsync per 10 ms (or 100 entries)', { maxEntries: 100, maxDelayMs: 10, ...timed }, 100_000);
  await rawAppend('fsync per 10 ms (or 10,000 entries)', { maxEntries: 10_000, maxDelayMs: 10, ...timed }, 100_000);
  await engineLike(
    'engine-like, intents wait for the 10 ms batch',
    { maxEntries: 100, maxDelayMs: 10, ...timed },
    5_000,
    16,
  );
  await engineLike(
    'engine-like, default: intents group-committed, the rest per 10 ms/100',
    { maxEntries: 100, maxDelayMs: 10, ...grouped },
    5_000,
    16,
  );
  await engineLike(
    'engine-like, 1 call at a time, intents wait for the 10 ms batch',
    { maxEntries: 100, maxDelayMs: 10, ...timed },
    500,
    1,
  );
  await engineLike('engine-like, 1 call at a time, default', { maxEntries: 100, maxDelayMs: 10, ...grouped }, 500, 1);
  console.log('target: ~170 calls/s × 3 entries = ~510 entries/s');
  await indexFigures(RECORDS);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
