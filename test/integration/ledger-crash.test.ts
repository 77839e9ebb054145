import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

import { createContact, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

const writer = path.join(import.meta.dirname, 'fixtures', 'ledger-crash-writer.ts');

/** Starts the writer, waits until its first 30 intents are durable, then SIGKILLs it mid-stream. */
async function crashWriter(dir: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let runId = '';
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('RUN ')) runId = line.slice(4);
    if (line === 'READY') break;
  }
  assert.ok(runId, `writer did not start: ${stderr}`);
  // Let it write a little more so the kill lands while batches are in flight.
  await new Promise((resolve) => setTimeout(resolve, 30));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL', stderr);
  return runId;
}

/** Independent reading of the raw file: intents whose outcome line is absent (a torn last line is skipped). */
async function pendingFromRawFile(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const intents = new Set<number>();
  for (const line of complete.split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as { type: string; seq: number; intentSeq?: number };
    if (entry.type === 'intent') intents.add(entry.seq);
    if (entry.type === 'outcome' && entry.intentSeq !== undefined) intents.delete(entry.intentSeq);
  }
  return [...intents].sort((a, b) => a - b);
}

test('after SIGKILL mid-run, the pending intents are exactly those without an outcome; resume takes over and continues', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const runId = await crashWriter(ws.dir);

  const { ledger, warnings } = await quietLedger(ws.dir);
  const details = await ledger.readRun(runId);
  assert.equal(details.interrupted, true, 'status running but nobody holds the lock');
  const pending = details.pendingIntents;
  assert.deepEqual(
    pending.map((i) => i.seq),
    await pendingFromRawFile(ledger.paths.journal(runId)),
  );
  const pendingIds = new Set(pending.map((i) => Number(i.sourceId)));
  for (let i = 0; i < 30; i++) assert.equal(pendingIds.has(i), i % 3 === 0, `contact ${i}`);
  for (let i = 1; i < 30; i += 3) assert.equal(ledger.intercomIdFor('endUsers', String(i)), `c-${i}`);

  const resumed = await ledger.resumeRun(runId);
  assert.ok(
    warnings.some((w) => w.includes('stale lock')),
    warnings.join('\n'),
  );
  assert.deepEqual(
    resumed.pendingIntents().map((i) => i.seq),
    pending.map((i) => i.seq),
  );
  for (const intent of resumed.pendingIntents()) {
    // What the engine does: look the write up (here: "not found"), record that, then retry.
    resumed.outcome(intent.seq, {
      result: 'not-applied',
      reason: `no contact with external_id ${intent.lookup.by === 'external_id' ? intent.lookup.value : '?'}`,
    });
    const retry = await resumed.intent(createContact(intent.sourceId));
    resumed.outcome(retry, { result: 'applied', intercomId: `c-${intent.sourceId}` });
  }
  assert.deepEqual(resumed.pendingIntents(), []);
  const meta = await resumed.finish('completed');
  assert.equal(meta.attempts, 2);
  assert.equal(ledger.intercomIdFor('endUsers', '0'), 'c-0');
  const { ledger: rebuilt } = await quietLedger(ws.dir);
  await rebuilt.rebuildIndex();
  assert.deepEqual(rebuilt.indexSnapshot(), ledger.indexSnapshot());
});
