import assert from 'node:assert/strict';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { test } from 'node:test';

import { LedgerCorruptError } from '../../src/ledger';
import { JournalEntry } from '../../src/model/journal';
import { createContact, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

test('a torn last line is ignored with a warning, truncated on resume, and never corrupts later appends', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const seq = await run.intent(createContact(1));
  run.outcome(seq, { result: 'applied', intercomId: 'c-1' });
  const pendingSeq = await run.intent(createContact(2));
  await run.close();
  const journal = ledger.paths.journal(run.runId);
  const goodSize = (await stat(journal)).size;
  // What a crash mid-write leaves: the start of an outcome line, no newline.
  await appendFile(
    journal,
    `{"seq":${pendingSeq + 1},"at":"2026-11-28T10:00:00.000Z","runId":"${run.runId}","type":"outco`,
  );

  const { ledger: reader, warnings } = await quietLedger(ws.dir);
  const details = await reader.readRun(run.runId);
  assert.ok(details.tornBytes > 0);
  assert.deepEqual(
    details.pendingIntents.map((i) => i.seq),
    [pendingSeq],
    'the torn outcome does not count',
  );
  assert.ok(
    warnings.some((w) => w.includes('torn line')),
    warnings.join('\n'),
  );

  const resumed = await reader.resumeRun(run.runId);
  resumed.outcome(pendingSeq, { result: 'not-applied', reason: 'lookup found no contact with external_id st-user-2' });
  const retry = await resumed.intent(createContact(2));
  resumed.outcome(retry, { result: 'applied', intercomId: 'c-2' });
  await resumed.finish('completed');

  const text = await readFile(journal, 'utf8');
  assert.ok(text.endsWith('\n'));
  const lines = text.trimEnd().split('\n');
  for (const line of lines) JournalEntry.parse(JSON.parse(line));
  assert.equal(Buffer.byteLength(lines.slice(0, 4).join('\n') + '\n'), goodSize, 'the good prefix is untouched');
  const seqs = lines.map((l) => (JSON.parse(l) as { seq: number }).seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
  );
  assert.equal(new Set(seqs).size, seqs.length, 'no seq is reused after the torn line');
  assert.equal(reader.intercomIdFor('endUsers', '2'), 'c-2');
});

test('garbage lines at the end count as the torn tail, dropped on resume', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  await run.intent(createContact(1));
  await run.close();
  const journal = ledger.paths.journal(run.runId);
  const original = await readFile(journal, 'utf8');
  // Garbage (NUL bytes, a line that is no entry) after the last good line: what a crash can leave.
  await writeFile(journal, `${original}{"not":"an entry"}\n\0\0\0\n\0\0`);

  const { ledger: reader, warnings } = await quietLedger(ws.dir);
  const details = await reader.readRun(run.runId);
  assert.equal(details.entries, 2);
  assert.equal(details.tornBytes, 25);
  assert.ok(warnings.some((w) => w.includes('torn line')));
  const resumed = await reader.resumeRun(run.runId);
  assert.equal(resumed.pendingIntents().length, 1);
  await resumed.close();
  const after = await readFile(journal, 'utf8');
  assert.ok(!after.includes('\0') && !after.includes('not'), 'the garbage tail was truncated');
});

test('an unreadable line in the middle refuses the ledger, naming the file, the line and its byte offset', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const seq = await run.intent(createContact(1));
  run.outcome(seq, { result: 'applied', intercomId: 'c-1' });
  await run.close();
  const journal = ledger.paths.journal(run.runId);
  const [first, ...others] = (await readFile(journal, 'utf8')).trimEnd().split('\n');
  // The second line is damaged (not a crash: valid entries follow it).
  await writeFile(journal, `${first}\n{"seq":2,"type":"intent","garbled\n${others.slice(1).join('\n')}\n`);
  const offset = Buffer.byteLength(`${first}\n`);
  const refused = (e: unknown) =>
    e instanceof LedgerCorruptError &&
    e.message.includes(journal) &&
    e.message.includes(`line 2 (byte ${offset})`) &&
    /st2ic ledger rebuild --from-intercom/.test(e.message);
  await assert.rejects(quietLedger(ws.dir), refused, 'opening the ledger (the index folds every journal) refuses');
  await assert.rejects(ledger.readRun(run.runId), refused);
  await assert.rejects(ledger.resumeRun(run.runId), refused);
  assert.equal(
    await readFile(journal, 'utf8').then((t) => t.includes('garbled')),
    true,
    'nothing was truncated or repaired',
  );
});

test('multi-byte text and line breaks inside values survive reading across 1 MiB read chunks', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  const reason = (i: number): string => `Zoë 🚀 «${i}»\nsecond line ${'ü'.repeat(150 + (i % 7))}`;
  for (let i = 0; i < 4000; i++)
    run.record({ objectType: 'kbArticles', sourceId: `art-${i}`, state: 'skipped', reason: reason(i) });
  await run.finish('completed');
  assert.ok((await stat(ledger.paths.journal(run.runId))).size > 1.5 * 1024 * 1024);
  const counts = await ledger.countRun(run.runId);
  assert.equal(counts.kbArticles?.skipped, 4000);
  assert.equal(counts.kbArticles?.skippedReasons[reason(3999)], 1);
  const details = await ledger.readRun(run.runId);
  assert.equal(details.tornBytes, 0);
});
