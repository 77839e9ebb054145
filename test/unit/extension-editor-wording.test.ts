import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contextValuesOf } from '../../src/extension/context-keys';
import {
  inEditorTerms,
  interruptedRunNotice,
  mapGateMessage,
  notStartedNotice,
  revokedConfirmation,
  runOutcome,
  validationNotice,
} from '../../src/extension/editor-wording';
import { commandFor } from '../../src/ledger/writer-lock';
import { buildDefaultMap } from '../../src/mapping/default-map';
import { assertRunAllowed, confirmMap, MapNotConfirmedError } from '../../src/mapping/review';
import { testClock } from '../support/clock';

const draft = buildDefaultMap({
  customFields: [],
  fieldChannels: new Map(),
  samples: new Map(),
  statuses: [],
  priorities: [],
  departmentNames: ['Support'],
  brands: [],
});
const CLI = /st2ic |--[a-z]/;

test("a full migration on a draft map is refused in the editor's terms, before any question", () => {
  const message = mapGateMessage(draft, 'full');
  assert.ok(message);
  assert.match(message, /^The field map is a draft: a full migration needs it approved first\. Open the Field Map/);
  assert.doesNotMatch(message, CLI);
  assert.equal(mapGateMessage(draft, 'dry-run'), undefined, 'a dry run writes nothing: any map will do');
  const reviewed = confirmMap(draft, 'reviewed', 'Dana', testClock);
  assert.equal(mapGateMessage(reviewed, 'sample'), undefined);
  assert.match(mapGateMessage(reviewed, 'delta') ?? '', /is reviewed: a delta run needs it approved first/);
  assert.equal(mapGateMessage(confirmMap(draft, 'approved', 'Dana', testClock), 'full'), undefined);
});

test('a map edited after approval says it changed, not that it is a draft', () => {
  const approved = confirmMap(draft, 'approved', 'Dana', testClock);
  const edited = {
    ...approved,
    objects: {
      ...approved.objects,
      companies: { ...approved.objects.companies, enabled: !approved.objects.companies.enabled },
    },
  };
  assert.match(
    mapGateMessage(edited, 'full') ?? '',
    /^The field map changed since it was approved: a full migration needs it approved again/,
  );
});

const rc = (migrated: number, skipped = 0, failed = 0) => ({
  migrated,
  skipped,
  failed,
  skippedReasons: (skipped ? { 'a reason': skipped } : {}) as Record<string, number>,
  failedReasons: (failed ? { 'validation: email': failed } : {}) as Record<string, number>,
});

test('no "run run": each kind of run has one title; Validate only after a run that wrote records', () => {
  const clean = { tickets: rc(3) };
  assert.deepEqual(runOutcome('dry-run', 'completed', clean, { runId: 'd1' }), {
    level: 'info',
    text: 'Dry run completed: 3 conversations migrated; all records: 3 migrated · 0 skipped · 0 failed.',
    actions: [],
  });
  assert.deepEqual(runOutcome('sample', 'completed', clean, { runId: 's1' }).actions, [
    { title: 'Validate', command: 'st2ic.validateRun', args: ['s1'] },
  ]);
  assert.deepEqual(runOutcome('sample', 'failed', clean, { runId: 's1' }).actions, []);
  assert.deepEqual(runOutcome('configure', 'completed', {}, { runId: 'c1' }).actions, []);
  for (const kind of ['configure', 'sample', 'full', 'delta', 'dry-run'] as const)
    assert.doesNotMatch(runOutcome(kind, 'completed', clean, { runId: 'x' }).text, /run run/i);
});

test('a run that completed with unmatched agents, missing teams or failed records ends in a warning with the buttons that show them', () => {
  const counts = { agents: rc(0, 12), departments: rc(1, 3), tickets: rc(148, 0, 2) };
  const notice = runOutcome('sample', 'completed', counts, {
    runId: 's1',
    workspacePlan: '/w/migration/reports/workspace-plan.md',
  });
  assert.equal(notice.level, 'warning');
  assert.match(
    notice.text,
    /^Sample run completed with something to act on: 12 of 12 agents match no Intercom admin by email.*; 3 of 4 departments have no Intercom team.*; 2 records failed: tickets: validation: email \(2\)\. 148 conversations migrated, 2 failed; all records: 149 migrated · 15 skipped · 2 failed\.$/,
  );
  assert.deepEqual(notice.actions, [
    { title: 'Open Workspace Plan', open: '/w/migration/reports/workspace-plan.md' },
    { title: 'Validate', command: 'st2ic.validateRun', args: ['s1'] },
  ]);
  // Without a plan on disk, the rebuild inventory lists the agents and teams to add; with a report, it opens.
  const noPlan = runOutcome('full', 'completed', counts, { runId: 'f1', report: '/w/r.md' });
  assert.deepEqual(
    noPlan.actions.map((a) => a.title),
    ['Show What to Rebuild', 'Open Report'],
  );
});

test("after Validate: a warning over a gap, failures or differences, with the records; a sample's untaken records are no gap", () => {
  const gap = validationNotice({ runId: 'f1', kind: 'full', failed: 0, unaccounted: 396, differences: 0 }, '/w/r.csv');
  assert.equal(gap?.level, 'warning');
  assert.equal(gap?.text, "Reconciliation of f1: 396 unaccounted. Each record is listed in the report's CSV.");
  assert.deepEqual(gap?.actions, [{ title: 'Open Failed Records', open: '/w/r.csv' }]);
  assert.equal(
    validationNotice({ runId: 's1', kind: 'sample', failed: 0, unaccounted: 396, differences: 0 }, '/w/r.csv'),
    undefined,
  );
  assert.equal(
    validationNotice({ runId: 's1', kind: 'sample', failed: 0, unaccounted: 396, differences: 1 }, '/w/r.csv')?.level,
    'warning',
  );
});

test("the engine's CLI wording is rewritten to the commands the editor offers", () => {
  let engine = '';
  try {
    assertRunAllowed(draft, 'full');
  } catch (error) {
    assert.ok(error instanceof MapNotConfirmedError);
    engine = error.message;
  }
  assert.match(engine, /st2ic map confirm --reviewer <name> --approve/, 'the engine speaks to the CLI');
  const messages = [
    engine,
    'A delta migrates what changed since a full migration, and this folder has none: run the full migration first (st2ic migrate), or --adopt what Intercom already holds.',
    `Resume it first with \`${commandFor('full')}\` (the command that started it), or roll it back with \`st2ic rollback 2026-full-1\`; then run this command again.`,
    'Writing now would migrate them a second time. Run from the folder that migrated them, or pass --adopt to rebuild this ledger from Intercom first (st2ic ledger rebuild --from-intercom does only that).',
    'held from another host; if that process is gone, run the same command with --take-over',
    'Intercom could not be read for the checks before the run (timeout); nothing was written. Run the same command again.',
    'no run x in this workspace (st2ic runs are under migration/runs)',
    'migration/mapping.json does not exist yet: run st2ic map propose',
  ];
  for (const message of messages) assert.doesNotMatch(inEditorTerms(message), CLI, inEditorTerms(message));
  assert.match(
    inEditorTerms(messages[2]!),
    /Resume it first with "Run the Full Migration" .* "Roll Back a Run" on run 2026-full-1/,
  );
  assert.match(inEditorTerms(engine), /open the Field Map and confirm it/);
});

test('context keys: what can run follows the folder, the map and the ledger', () => {
  const window = { runActive: false, sandboxRunning: false };
  const none = contextValuesOf({ exists: false }, window);
  assert.equal(none['st2ic.hasMigrationFolder'], false);
  assert.equal(none['st2ic.mapStatus'], '');
  const run = (kind: 'dry-run' | 'sample' | 'full' | 'rollback') => ({
    id: kind,
    kind,
    status: 'completed' as const,
    interrupted: false,
    counts: {},
  });
  const dryOnly = contextValuesOf(
    { exists: true, inputs: { mapping: { status: 'draft' }, runs: [run('dry-run')] } },
    window,
  );
  assert.equal(dryOnly['st2ic.hasRuns'], true);
  assert.equal(dryOnly['st2ic.hasLoadRuns'], false, 'a dry run has nothing to validate');
  assert.equal(dryOnly['st2ic.hasUndoableRuns'], false, 'nor to roll back');
  assert.equal(dryOnly['st2ic.mapStatus'], 'draft');
  const sample = contextValuesOf(
    { exists: true, inputs: { runs: [run('sample'), run('rollback')] } },
    { runActive: true, sandboxRunning: true },
  );
  assert.deepEqual(
    [
      sample['st2ic.hasLoadRuns'],
      sample['st2ic.hasUndoableRuns'],
      sample['st2ic.hasFullRun'],
      sample['st2ic.runActive'],
      sample['st2ic.sandboxRunning'],
    ],
    [true, true, false, true, true],
  );
  assert.equal(contextValuesOf({ exists: true, inputs: { runs: [run('full')] } }, window)['st2ic.hasFullRun'], true);
});

test('the walkthrough keys follow what happened: a scope report, a confirmed map, a completed sample', () => {
  const window = { runActive: false, sandboxRunning: false };
  const keys = (inputs: Parameters<typeof contextValuesOf>[0]['inputs']) => {
    const v = contextValuesOf({ exists: true, inputs }, window);
    return [v['st2ic.scoped'], v['st2ic.mapConfirmed'], v['st2ic.hasSampleRun']];
  };
  assert.deepEqual(keys({ mapping: { status: 'draft' }, runs: [] }), [false, false, false]);
  const scope = { tickets: 3, endUsers: 2, problems: 0, generatedAt: '2026-01-01T00:00:00Z' };
  const sample = (status: 'completed' | 'failed') => ({
    id: `s-${status}`,
    kind: 'sample' as const,
    status,
    interrupted: false,
    counts: {},
  });
  assert.deepEqual(
    keys({ scope, mapping: { status: 'reviewed' }, runs: [sample('failed')] }),
    [true, true, false],
    'a failed sample is not the step done',
  );
  assert.deepEqual(keys({ scope, mapping: { status: 'approved' }, runs: [sample('completed')] }), [true, true, true]);
});

test('an edit that undoes an approval is named, with who approved and what to do again', () => {
  const approved = confirmMap(draft, 'approved', 'Dana', testClock);
  const dropped = {
    ...approved,
    objects: {
      ...approved.objects,
      companies: { ...approved.objects.companies, enabled: !approved.objects.companies.enabled },
    },
  };
  assert.equal(
    revokedConfirmation(approved, dropped),
    'The map is back to draft: this change is not covered by the approval of Dana. Approve it again before a full or delta run.',
  );
  assert.equal(revokedConfirmation(draft, dropped), undefined, 'a draft has nothing to lose');
  assert.equal(revokedConfirmation(approved, approved), undefined);
  assert.match(
    revokedConfirmation(confirmMap(draft, 'reviewed', 'Dana', testClock), draft) ?? '',
    /review of Dana\. Mark it reviewed again/,
  );
});

test('an interrupted run is told once at start, the newest, with the command that resumes it', () => {
  const runs = [
    { id: 'r1', kind: 'sample', interrupted: true },
    { id: 'r2', kind: 'full', interrupted: true },
    { id: 'r3', kind: 'dry-run', interrupted: false },
  ];
  const notice = interruptedRunNotice(runs);
  assert.equal(notice?.level, 'warning');
  assert.match(notice?.text ?? '', /^Full migration r2 was interrupted .* Run it again to resume/);
  assert.deepEqual(notice?.actions, [{ title: 'Resume', command: 'st2ic.runFull' }]);
  assert.equal(interruptedRunNotice([{ id: 'r1', kind: 'full', interrupted: false }]), undefined);
  assert.match(
    interruptedRunNotice([{ id: 'r9', kind: 'rollback', interrupted: true, rollbackOf: 'r2' }])?.text ?? '',
    /Rollback r9 of run r2 was interrupted/,
  );
});

test('a run refused because Intercom could not be read offers the way back: the stopped sandbox, else a Test', () => {
  const message =
    'Intercom could not be read for the checks before the run (GET /me: network failure ECONNREFUSED after 5 attempts); nothing was written. Run the same command again.';
  const sandbox = notStartedNotice(message, { unreachable: true, sandboxStopped: true });
  assert.deepEqual(sandbox.actions, [{ title: 'Start Sandbox', command: 'st2ic.startSandbox' }]);
  assert.match(sandbox.text, /local sandbox this folder points at is not running/);
  assert.deepEqual(notStartedNotice(message, { unreachable: true, sandboxStopped: false }).actions, [
    { title: 'Test Intercom', command: 'st2ic.testIntercom' },
  ]);
  assert.deepEqual(notStartedNotice(message, { unreachable: false, sandboxStopped: false }).actions, []);
});
