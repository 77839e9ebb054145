import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CarriedOver, forEachConcurrent, forEachRecord, ParkedTally } from '../../src/engine/concurrent';
import { parkDuring } from '../../src/engine/slots';

async function* items(n: number): AsyncIterable<number> {
  for (let i = 0; i < n; i++) yield i;
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('a record that parks gives its slot to the next ones; at most `limit` work at once; it resumes when its wait ends', async () => {
  const gate = deferred();
  const others = deferred();
  let active = 0;
  let maxActive = 0;
  const finished: number[] = [];
  const parkedCounts: number[] = [];
  const run = forEachConcurrent(
    items(12),
    2,
    new AbortController().signal,
    async (i) => {
      active++;
      maxActive = Math.max(maxActive, active);
      if (i === 0) {
        active--;
        await parkDuring(gate.promise); // e.g. Intercom's search settling on an unknown outcome
        active++;
      } else {
        await Promise.resolve();
      }
      active--;
      finished.push(i);
      if (finished.length === 11) others.resolve();
    },
    (n) => parkedCounts.push(n),
  );
  await others.promise;
  assert.deepEqual(
    [...finished].sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    'every other record finished while record 0 was parked',
  );
  assert.ok(!finished.includes(0));
  gate.resolve();
  await run;
  assert.equal(finished.at(-1), 0);
  assert.ok(maxActive <= 2, `at most 2 records worked at once (saw ${maxActive})`);
  assert.deepEqual(parkedCounts, [1, 0]);
});

test('a settled promise costs no parking, and outside a record parkDuring is a plain wait', async () => {
  const parked: number[] = [];
  await forEachConcurrent(
    items(3),
    1,
    new AbortController().signal,
    async (i) => {
      assert.equal(await parkDuring(Promise.resolve(i)), i);
    },
    (n) => parked.push(n),
  );
  assert.deepEqual(parked, []);
  assert.equal(await parkDuring(Promise.resolve('x')), 'x');
});

test('the first error stops the stream; records in flight finish', async () => {
  const seen: number[] = [];
  await assert.rejects(
    forEachConcurrent(items(100), 3, new AbortController().signal, async (i) => {
      seen.push(i);
      if (i === 4) throw new Error('stop here');
    }),
    /stop here/,
  );
  assert.ok(seen.length < 100);
});

test('with carryOver the loop returns once only parked records are left; they finish beside what comes next', async () => {
  const gate = deferred();
  const finished: number[] = [];
  let carried: Promise<void> | undefined;
  await forEachConcurrent(
    items(6),
    2,
    new AbortController().signal,
    async (i) => {
      if (i === 3) await parkDuring(gate.promise);
      finished.push(i);
    },
    undefined,
    (rest) => (carried = rest),
  );
  assert.deepEqual([...finished].sort(), [0, 1, 2, 4, 5], 'the loop returned with record 3 still parked');
  assert.ok(carried, 'the parked record was handed over');
  gate.resolve();
  await carried;
  assert.ok(finished.includes(3), 'it finished after its wait');
});

test('a carried-over record that stops the run rejects what was handed over; with nothing parked nothing is', async () => {
  const gate = deferred();
  let carried: Promise<void> | undefined;
  await forEachConcurrent(
    items(3),
    2,
    new AbortController().signal,
    async (i) => {
      if (i === 1) {
        await parkDuring(gate.promise);
        throw new Error('Intercom refused the run');
      }
    },
    undefined,
    (rest) => (carried = rest),
  );
  gate.resolve();
  await assert.rejects(carried!, /refused the run/);

  let handed = false;
  await forEachConcurrent(
    items(3),
    2,
    new AbortController().signal,
    async () => undefined,
    undefined,
    () => (handed = true),
  );
  assert.equal(handed, false);
});

test('records parked by a phase carried over and by the next phase are counted together', async () => {
  const gate = deferred();
  const counts: number[] = [];
  const carriedOver = new CarriedOver();
  const ctx = {
    options: { concurrency: 4 },
    signal: new AbortController().signal,
    progress: { waiting: (n: number) => counts.push(n) },
    carriedOver,
    parked: undefined as ParkedTally | undefined,
  };
  ctx.parked = new ParkedTally((n) => ctx.progress.waiting(n));
  // Tickets: two records wait for Intercom and are carried over; chats: one more waits beside them.
  await forEachRecord(
    ctx,
    items(4),
    async (i) => {
      if (i < 2) await parkDuring(gate.promise);
    },
    { overlap: true },
  );
  const chats = forEachRecord(ctx, items(3), async (i) => {
    if (i === 0) await parkDuring(gate.promise);
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(Math.max(...counts), 3, `counts heard: ${counts.join(' ')}`);
  gate.resolve();
  await chats;
  await carriedOver.settle();
  assert.equal(counts.at(-1), 0, 'nothing waits at the end');
});
