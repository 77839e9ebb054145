import assert from 'node:assert/strict';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { test } from 'node:test';

import { LedgerCorruptError } from '../../src/ledger';
import { type IntentBody, JournalEntry, LEDGER_FORMAT, type RunMeta } from '../../src/model/journal';
import { createContact, fullRun, quietLedger, tempWorkspace } from '../support/ledger-fixtures';

/**
 * Ledger damage is detected, never trusted: files that would make a run forgotten refuse (naming the
 * file and the fix), derived files are rebuilt from the journals, and every file says its format.
 */

const lines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A workspace with one run: two applied creates and one whose outcome is unknown, finished or left interrupted. */
async function oneRun(dir: string, end: 'completed' | 'interrupted') {
  const { ledger } = await quietLedger(dir);
  const run = await ledger.startRun(fullRun);
  for (const id of [1, 2]) {
    const seq = await run.intent(createContact(id));
    run.outcome(seq, { result: 'applied', intercomId: `c-${id}` });
    run.record({ objectType: 'endUsers', sourceId: String(id), state: 'migrated', intercomId: `c-${id}` });
  }
  if (end === 'completed') await run.finish('completed');
  else {
    await run.intent(createContact(3));
    await run.close();
  }
  return { ledger, runId: run.runId };
}

test('every entry and run.json carry the format version; each attempt entry carries the run origin', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'interrupted');
  const resumed = await ledger.resumeRun(runId);
  await resumed.close();
  const entries = await lines(ledger.paths.journal(runId));
  assert.ok(entries.every((e) => e.v === LEDGER_FORMAT));
  const attempts = entries.filter((e) => e.type === 'run-status' && e.status === 'running');
  assert.equal(attempts.length, 2);
  for (const a of attempts)
    assert.deepEqual(a.run, {
      kind: 'full',
      startedAt: (JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')) as RunMeta).startedAt,
      mappingHash: fullRun.mappingHash,
      source: fullRun.source,
    });
  assert.equal(JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')).v, LEDGER_FORMAT);
});

test('a format-0 ledger (no v, no run origin) is read by the old-format reader and resumed; new lines are the current format', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'interrupted');
  // Rewrite the files as an st2ic before format versions wrote them.
  const journal = ledger.paths.journal(runId);
  const old = (await lines(journal)).map(({ v: _v, run: _run, ...rest }) => rest);
  await writeFile(journal, old.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const { v: _v, ...oldMeta } = JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(ledger.paths.runMeta(runId), JSON.stringify(oldMeta));
  await rm(ledger.paths.indexCache);

  const { ledger: reader, warnings } = await quietLedger(ws.dir);
  assert.deepEqual(warnings, []);
  const [summary] = await reader.listRuns();
  assert.equal(summary?.meta.v, 0);
  assert.equal(summary?.interrupted, true);
  assert.equal(reader.intercomIdFor('endUsers', '2'), 'c-2');
  const resumed = await reader.resumeRun(runId);
  assert.deepEqual(
    resumed.pendingIntents().map((i) => i.sourceId),
    ['3'],
  );
  resumed.outcome(resumed.pendingIntents()[0]!.seq, { result: 'not-applied', reason: 'lookup found nothing' });
  await resumed.finish('completed');
  const after = await lines(journal);
  assert.deepEqual(
    after.map((e) => e.v ?? 0),
    [...old.map(() => 0), LEDGER_FORMAT, LEDGER_FORMAT, LEDGER_FORMAT],
  );
  for (const e of after) JournalEntry.parse({ v: 0, ...e });
  assert.equal(JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')).v, LEDGER_FORMAT);
});

test('a format-0 journal whose run.json is gone cannot be rebuilt: refused, naming run.json and the fix', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'completed');
  const journal = ledger.paths.journal(runId);
  await writeFile(
    journal,
    (await lines(journal)).map(({ v: _v, run: _run, ...rest }) => JSON.stringify(rest)).join('\n') + '\n',
  );
  await rm(ledger.paths.runMeta(runId));
  await assert.rejects(
    quietLedger(ws.dir),
    (e: unknown) =>
      e instanceof LedgerCorruptError &&
      e.message.includes(ledger.paths.runMeta(runId)) &&
      /older st2ic/.test(e.message) &&
      /st2ic ledger rebuild --from-intercom/.test(e.message),
  );
});

test('files of a newer format are refused, never guessed at', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'completed');
  const meta = await readFile(ledger.paths.runMeta(runId), 'utf8');
  await writeFile(ledger.paths.runMeta(runId), JSON.stringify({ ...JSON.parse(meta), v: LEDGER_FORMAT + 1 }));
  await assert.rejects(
    quietLedger(ws.dir),
    (e: unknown) =>
      e instanceof LedgerCorruptError &&
      new RegExp(`format ${LEDGER_FORMAT + 1}, newer than this st2ic reads \\(${LEDGER_FORMAT}\\)`).test(e.message),
  );
  await writeFile(ledger.paths.runMeta(runId), meta);
  const journal = ledger.paths.journal(runId);
  const entries = await lines(journal);
  entries[1] = { ...entries[1], v: LEDGER_FORMAT + 1 };
  await writeFile(journal, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await assert.rejects(
    quietLedger(ws.dir),
    (e: unknown) =>
      e instanceof LedgerCorruptError &&
      e.message.includes(journal) &&
      new RegExp(`line 2 .* format ${LEDGER_FORMAT + 1}`).test(e.message),
  );
});

test('a missing run.json is rebuilt from the journal: the same file for a finished run, a resumable one for an interrupted run', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'completed');
  const original = JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')) as unknown;
  await rm(ledger.paths.runMeta(runId));
  const { ledger: reader, warnings } = await quietLedger(ws.dir);
  assert.ok(
    warnings.some((w) => w.includes('was missing; rebuilt it from the journal')),
    warnings.join('\n'),
  );
  assert.deepEqual(JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')), original);
  assert.equal(reader.intercomIdFor('endUsers', '1'), 'c-1');

  const other = await tempWorkspace();
  t.after(other.cleanup);
  const interrupted = await oneRun(other.dir, 'interrupted');
  await rm(interrupted.ledger.paths.runMeta(interrupted.runId));
  const { ledger: next } = await quietLedger(other.dir);
  const [summary] = await next.listRuns();
  assert.equal(summary?.interrupted, true);
  assert.equal(summary?.meta.mappingHash, fullRun.mappingHash);
  const resumed = await next.resumeRun(interrupted.runId);
  assert.deepEqual(
    resumed.pendingIntents().map((i) => i.sourceId),
    ['3'],
    'the write of unknown outcome is still there to be looked up',
  );
  await resumed.close();
});

test('a run.json whose journal is missing, or empty while it says the run wrote, is refused naming the journal', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'interrupted');
  const journal = ledger.paths.journal(runId);
  await rm(journal);
  const missing = (e: unknown) =>
    e instanceof LedgerCorruptError &&
    e.file === journal &&
    /is missing/.test(e.message) &&
    /Restore the journal from a backup, or rebuild the ledger from Intercom: st2ic ledger rebuild --from-intercom/.test(
      e.message,
    );
  await assert.rejects(quietLedger(ws.dir), missing);
  await assert.rejects(ledger.listRuns(), missing);
  await assert.rejects(ledger.resumeRun(runId), missing);
  await writeFile(journal, '');
  await assert.rejects(
    quietLedger(ws.dir),
    (e: unknown) => e instanceof LedgerCorruptError && /is empty/.test(e.message),
  );
});

test('what an older st2ic left when it stopped between run.json and its first entry is a run that wrote nothing', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'interrupted');
  await writeFile(ledger.paths.journal(runId), '');
  const {
    v: _v,
    counts: _c,
    ...meta
  } = JSON.parse(await readFile(ledger.paths.runMeta(runId), 'utf8')) as Record<string, unknown>;
  await writeFile(ledger.paths.runMeta(runId), JSON.stringify({ ...meta, status: 'running', attempts: 1 }));
  await rm(ledger.paths.indexCache);
  const { ledger: reader } = await quietLedger(ws.dir);
  const [summary] = await reader.listRuns();
  assert.equal(summary?.interrupted, true);
  const resumed = await reader.resumeRun(runId);
  assert.deepEqual(resumed.pendingIntents(), []);
  await resumed.finish('cancelled');
});

test('a run folder with neither run.json nor an entry (a start cut before its first entry) is ignored with a warning', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await oneRun(ws.dir, 'completed');
  const empty = ledger.paths.runDir('20260101T000000000Z-full-abcd');
  await mkdir(empty);
  await writeFile(`${empty}/journal.jsonl`, '');
  const { ledger: reader, warnings } = await quietLedger(ws.dir);
  assert.equal((await reader.listRuns()).length, 1);
  assert.ok(
    warnings.some((w) => w.includes(`Ignoring run folder ${empty}`)),
    warnings.join('\n'),
  );
});

test("the index cache is trusted only when its checksum and the journals' sha-256 match; a journal that lost entries is refused", async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'completed');
  const cacheFile = ledger.paths.indexCache;
  const cache = await readFile(cacheFile, 'utf8');
  const [header, body] = cache.split('\n');

  // Edited to forget a record, still valid JSON, header kept.
  const edited = JSON.parse(body!) as { index: { ids: [string, unknown][]; records: [string, unknown][] } };
  edited.index.ids = edited.index.ids.filter(([key]) => key !== 'endUsers:2');
  edited.index.records = edited.index.records.filter(([key]) => key !== 'endUsers:2');
  await writeFile(cacheFile, `${header}\n${JSON.stringify(edited)}\n`);
  const first = await quietLedger(ws.dir);
  assert.ok(
    first.warnings.some((w) => w.includes('does not match its checksum')),
    first.warnings.join('\n'),
  );
  assert.equal(first.ledger.intercomIdFor('endUsers', '2'), 'c-2');

  // A journal changed in place (same size, same cache): its bytes no longer match the fingerprint.
  await writeFile(cacheFile, cache);
  const journal = ledger.paths.journal(runId);
  const text = await readFile(journal, 'utf8');
  await writeFile(journal, text.replaceAll('"c-2"', '"c-9"'));
  const second = await quietLedger(ws.dir);
  assert.ok(
    second.warnings.some((w) => w.includes('does not match the journals')),
    second.warnings.join('\n'),
  );
  assert.equal(second.ledger.intercomIdFor('endUsers', '2'), 'c-9', 'the journal is the truth');

  // A journal cut at a line boundary (replaced by an older copy): it lost entries the ledger had recorded.
  await writeFile(journal, text);
  await writeFile(cacheFile, cache);
  const keep = text.split('\n').slice(0, 3).join('\n').length + 1;
  await truncate(journal, keep);
  await assert.rejects(
    quietLedger(ws.dir),
    (e: unknown) =>
      e instanceof LedgerCorruptError &&
      e.file === journal &&
      /fewer than the \d+ this ledger recorded/.test(e.message) &&
      /st2ic ledger rebuild --from-intercom/.test(e.message),
  );
});

test("a run folder holding another run's journal is not rebuilt from it", async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger, runId } = await oneRun(ws.dir, 'completed');
  const stray = '20260101T000000000Z-full-abcd';
  await mkdir(ledger.paths.runDir(stray));
  await writeFile(ledger.paths.journal(stray), await readFile(ledger.paths.journal(runId)));
  await assert.rejects(
    quietLedger(ws.dir),
    (e: unknown) => e instanceof LedgerCorruptError && e.message.includes(`journal of run ${runId}`),
  );
});

test('format-1 intents, whose targets kept some facts only in their description, are read with typed targets', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const { ledger } = await quietLedger(ws.dir);
  const run = await ledger.startRun(fullRun);
  // The exact targets format 1 wrote: the custom object type, the acting admin and the tagged conversation only in prose.
  const writes: IntentBody[] = [
    {
      op: 'create',
      objectType: 'callLogs',
      sourceId: '9',
      target: { resource: 'conversation', description: 'POST /custom_object_instances/CallLog external_id=call-9' },
      lookup: { by: 'external_id', value: 'call-9' },
    },
    {
      op: 'close',
      objectType: 'tickets',
      sourceId: '4',
      target: { resource: 'conversation', intercomId: '77', description: 'close conversation 77 as admin 12 (abc)' },
      lookup: { by: 'intercom_id', id: '77' },
    },
    {
      op: 'tag',
      objectType: 'tickets',
      sourceId: '4',
      target: { resource: 'tag', intercomId: '5', description: 'tag conversation 77 "billing"' },
      lookup: { by: 'intercom_id', id: '5' },
    },
  ];
  for (const [i, w] of writes.entries()) run.outcome(await run.intent(w), { result: 'applied', intercomId: `x-${i}` });
  await run.finish('completed');
  const journal = ledger.paths.journal(run.runId);
  await writeFile(journal, (await lines(journal)).map((e) => JSON.stringify({ ...e, v: 1 })).join('\n') + '\n');
  await rm(ledger.paths.indexCache);

  const { ledger: reader } = await quietLedger(ws.dir);
  const rollback = await reader.startRun({ ...fullRun, kind: 'rollback', rollbackOf: run.runId });
  const targets = (await rollback.writesToUndo()).map((w) => w.intent.target);
  await rollback.finish('completed');
  assert.deepEqual(
    targets.map(({ description: _d, ...typed }) => typed),
    [
      { resource: 'tag', intercomId: '5', tagged: { object: 'conversation', id: '77' } },
      { resource: 'conversation', intercomId: '77', actingAdminId: '12' },
      { resource: 'custom_object_instance', customObjectType: 'CallLog' },
    ],
  );
});
