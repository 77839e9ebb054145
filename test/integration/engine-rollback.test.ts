import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import type { ProgressSink } from '../../src/engine/progress';
import { rollbackRun } from '../../src/engine/rollback';
import { type IntentEntry, JournalEntry } from '../../src/model/journal';
import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import {
  clientFor,
  type Dataset,
  makeDataset,
  migrate,
  removeDir,
  runCli,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

// Issue 4: rollback <run> leaves none of that run's objects (companies archived), says so, and resumes.
let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  dir = tempDir('rollback');
  ds = await makeDataset(dir, 0.1, 5);
  sandbox = await startSeededSandbox(ds);
  await writeMap(dir, ds, 'approved');
});

after(async () => {
  await sandbox?.close();
  removeDir(dir);
});

const live = (s: SandboxState) => ({
  contacts: Object.keys(s.contacts).length,
  conversations: Object.keys(s.conversations).length,
  tags: Object.keys(s.tags).length,
  collections: Object.keys(s.collections).length,
  articles: Object.keys(s.articles).length,
  // A company whose DELETE Intercom accepted is on its way out (archived asynchronously).
  companiesNotArchived: Object.values(s.companies).filter((c) => !c.archived && c.archive_at_ms === undefined).length,
  attributesNotArchived:
    Object.values(s.dataAttributes).filter((a) => !a.archived).length +
    Object.values(s.conversationAttributes).filter((a) => !a.archived).length,
});

test('rolling back a full run removes everything it created and archives what Intercom only archives', async () => {
  const full = await migrate(dir, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  const migrated = live(sandbox.state());
  assert.ok(
    migrated.conversations > 0 && migrated.contacts > 0 && migrated.companiesNotArchived > 0 && migrated.articles > 0,
  );

  // Interrupt the first attempt after a few undos; the second attempt resumes and finishes.
  const abort = new AbortController();
  let undone = 0;
  const progress: ProgressSink = {
    phase() {},
    info() {},
    warn() {},
    record: () => {
      if (++undone === 25) abort.abort();
    },
  };
  await assert.rejects(
    rollbackRun({ workspaceDir: dir, runId: full.runId, client: clientFor(sandbox), progress, signal: abort.signal }),
    /cancelled/,
  );
  const afterFirst = live(sandbox.state());
  const total = (l: ReturnType<typeof live>) => Object.values(l).reduce((a, b) => a + b, 0);
  assert.ok(total(afterFirst) < total(migrated), 'the first attempt undid something');
  const archivedByFirst = migrated.companiesNotArchived - afterFirst.companiesNotArchived;

  const result = await rollbackRun({ workspaceDir: dir, runId: full.runId, client: clientFor(sandbox) });
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.failed, []);
  assert.deepEqual(live(sandbox.state()), {
    contacts: 0,
    conversations: 0,
    tags: 0,
    collections: 0,
    articles: 0,
    companiesNotArchived: 0,
    attributesNotArchived: 0,
  });
  // The rollback returned only once Intercom had carried out every archive it accepted.
  assert.deepEqual(result.stillArchiving, []);
  assert.deepEqual(
    Object.values(sandbox.state().companies)
      .filter((c) => !c.archived)
      .map((c) => c.company_id),
    [],
    'no company left readable',
  );
  // It says what was archived rather than deleted: the companies the first attempt had not reached.
  assert.equal((result.plan.calls.archive?.company ?? 0) + archivedByFirst, migrated.companiesNotArchived);
});

test('the CLI asks before rolling back, describes the plan, and a second rollback has nothing left to do', async () => {
  const ws = `${dir}/second`;
  await writeMap(ws, ds, 'approved');
  const full = await migrate(ws, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);

  const refused = await runCli(
    ['rollback', full.runId, '--workspace', ws, '--intercom-url', sandbox.url],
    sandbox.token,
  );
  assert.equal(refused.code, 2, 'without a terminal or --yes nothing happens');
  assert.match(refused.stderr, /^ {2}Delete .*\b\d+ conversation\(s\)/m);
  assert.ok(live(sandbox.state()).conversations > 0);

  const args = ['rollback', full.runId, '--workspace', ws, '--intercom-url', sandbox.url, '--yes'];
  const done = await runCli(args, sandbox.token);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /archived, not deleted/);
  assert.equal(live(sandbox.state()).conversations, 0);

  const again = await runCli(args, sandbox.token);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /Nothing to undo: the run wrote nothing, or it was rolled back already/);
});

test('call logs kept as custom object instances are journaled with their type and deleted by rollback; closes name their admin', async () => {
  const ws = `${dir}/calls`;
  await writeMap(ws, ds, 'approved', (map) => ({
    ...map,
    options: { ...map.options, callLogsAs: 'custom-object', callObjectType: 'Call' },
  }));
  const full = await migrate(ws, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  const instances = () => Object.keys(sandbox.state().customObjects.Call ?? {}).length;
  assert.ok(instances() > 0, 'the call logs landed as Call instances');

  const journal = await readFile(`${ws}/migration/runs/${full.runId}/journal.jsonl`, 'utf8');
  const intents = journal
    .trimEnd()
    .split('\n')
    .map((l) => JournalEntry.parse(JSON.parse(l)))
    .filter((e): e is IntentEntry => e.type === 'intent');
  const calls = intents.filter((i) => i.objectType === 'callLogs' && i.op === 'create');
  assert.equal(calls.length, instances());
  assert.ok(calls.every((i) => i.target.resource === 'custom_object_instance' && i.target.customObjectType === 'Call'));
  const closes = intents.filter((i) => i.op === 'close');
  assert.ok(
    closes.length > 0 && closes.every((i) => /^\d+$/.test(i.target.actingAdminId ?? '')),
    'each close names the admin it acted as',
  );

  const result = await rollbackRun({ workspaceDir: ws, runId: full.runId, client: clientFor(sandbox) });
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.failed, []);
  assert.equal(instances(), 0);
  assert.equal(live(sandbox.state()).conversations, 0);
});
