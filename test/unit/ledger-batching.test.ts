import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTick } from 'node:timers/promises';

import type { AppendFile } from '../../src/ledger';
import { JournalWriter } from '../../src/ledger/journal-file';

/** Records what the writer asks of the file: appended line counts and syncs, in order. */
function recordingFile(): { file: AppendFile; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    file: {
      append: async (data) => {
        calls.push(`append ${data.toString('utf8').split('\n').length - 1}`);
      },
      sync: async () => {
        calls.push('sync');
      },
      truncate: async () => undefined,
      close: async () => undefined,
    },
  };
}

test('entries are written and synced per batch of N, in order, one batch at a time', async () => {
  const { file, calls } = recordingFile();
  // A long delay: only the size limit and explicit flushes cut batches here.
  const writer = new JournalWriter(
    file,
    'journal.jsonl',
    0,
    { maxEntries: 100, maxDelayMs: 60_000, urgentOnNextTick: true },
    'run',
  );
  const durable: Promise<void>[] = [];
  for (let i = 0; i < 250; i++) durable.push(writer.append(`{"n":${i}}`));
  await Promise.all(durable.slice(0, 200));
  assert.deepEqual(calls, ['append 100', 'sync', 'append 100', 'sync']);
  assert.equal(writer.bufferedEntries, 50);
  await writer.flush();
  await Promise.all(durable);
  assert.deepEqual(calls.slice(4), ['append 50', 'sync']);
  assert.equal(
    writer.durableBytes,
    durable.reduce((n, _p, i) => n + `{"n":${i}}\n`.length, 0),
  );
  await writer.close();
});

test('an urgent entry (an intent) is flushed on the next tick together with what precedes it', async () => {
  const { file, calls } = recordingFile();
  const writer = new JournalWriter(
    file,
    'journal.jsonl',
    0,
    { maxEntries: 100, maxDelayMs: 60_000, urgentOnNextTick: true },
    'run',
  );
  void writer.append('{"outcome":1}');
  void writer.append('{"record":1}');
  await nextTick();
  assert.deepEqual(calls, [], 'non-urgent entries wait for their batch');
  const intent = writer.append('{"intent":2}', true);
  const alsoIntent = writer.append('{"intent":3}', true);
  await Promise.all([intent, alsoIntent]);
  assert.deepEqual(calls, ['append 4', 'sync'], 'one write and one fsync for all four (group commit)');
  await writer.close();
});

test('a failed batch rejects its waiters and every later one; nothing after it is written', async () => {
  const calls: string[] = [];
  let fail = false;
  const file: AppendFile = {
    append: async () => {
      calls.push('append');
      if (fail) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
    sync: async () => undefined,
    truncate: async (n) => {
      calls.push(`truncate ${n}`);
    },
    close: async () => undefined,
  };
  const writer = new JournalWriter(
    file,
    '/ws/migration/runs/r/journal.jsonl',
    0,
    { maxEntries: 2, maxDelayMs: 60_000, urgentOnNextTick: true },
    'r',
  );
  await Promise.all([writer.append('a'), writer.append('b')]);
  fail = true;
  const first = writer.append('c');
  const second = writer.append('d');
  await assert.rejects(first, /journal\.jsonl: the disk is full/);
  await assert.rejects(second, /the disk is full/);
  assert.deepEqual(calls, ['append', 'append', 'truncate 4']);
  assert.throws(() => writer.append('e'), /the disk is full/);
  await assert.rejects(writer.flush(), /the disk is full/);
  assert.equal(writer.durableBytes, 4);
});
