import { testClock } from '../support/clock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextValuesOf } from '../../src/extension/context-keys';
import { inEditorTerms, mapGateMessage, revokedConfirmation, runOutcome } from '../../src/extension/editor-wording';
import { commandFor } from '../../src/ledger/writer-lock';
import { buildDefaultMap } from '../../src/mapping/default-map';
import { assertRunAllowed, confirmMap, MapNotConfirmedError } from '../../src/mapping/review';

const draft = buildDefaultMap({ customFields: [], fieldChannels: new Map(), samples: new Map(), statuses: [], priorities: [], departmentNames: ['Support'], brands: [] });
const CLI = /st2ic |--[a-z]/;

test('a full migration on a draft map is refused in the editor\'s terms, before any question', () => {
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
  const edited = { ...approved, objects: { ...approved.objects, companies: { ...approved.objects.companies, enabled: !approved.objects.companies.enabled } } };
  assert.match(mapGateMessage(edited, 'full') ?? '', /^The field map changed since it was approved: a full migration needs it approved again/);
});

test('no "run run": each kind of run has one title; Validate only after a run that wrote records', () => {
  assert.deepEqual(runOutcome('dry-run', 'completed', '3 migrated'), { text: 'Dry run completed: 3 migrated.', offerValidate: false });
  assert.equal(runOutcome('sample', 'completed', 'x').offerValidate, true);
  assert.equal(runOutcome('sample', 'failed', 'x').offerValidate, false);
  assert.equal(runOutcome('configure', 'completed', 'x').offerValidate, false);
  for (const kind of ['configure', 'sample', 'full', 'delta', 'dry-run'] as const) assert.doesNotMatch(runOutcome(kind, 'completed', 'x').text, /run run/i);
});

test('the engine\'s CLI wording is rewritten to the commands the editor offers', () => {
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
  assert.match(inEditorTerms(messages[2]!), /Resume it first with "Run the Full Migration" .* "Roll Back a Run" on run 2026-full-1/);
  assert.match(inEditorTerms(engine), /open the Field Map and confirm it/);
});

test('context keys: what can run follows the folder, the map and the ledger', () => {
  const window = { runActive: false, sandboxRunning: false };
  const none = contextValuesOf({ exists: false }, window);
  assert.equal(none['st2ic.hasMigrationFolder'], false);
  assert.equal(none['st2ic.mapStatus'], '');
  const run = (kind: 'dry-run' | 'sample' | 'full' | 'rollback') => ({ id: kind, kind, status: 'completed' as const, interrupted: false, counts: {} });
  const dryOnly = contextValuesOf({ exists: true, inputs: { mapping: { status: 'draft' }, runs: [run('dry-run')] } }, window);
  assert.equal(dryOnly['st2ic.hasRuns'], true);
  assert.equal(dryOnly['st2ic.hasLoadRuns'], false, 'a dry run has nothing to validate');
  assert.equal(dryOnly['st2ic.hasUndoableRuns'], false, 'nor to roll back');
  assert.equal(dryOnly['st2ic.mapStatus'], 'draft');
  const sample = contextValuesOf({ exists: true, inputs: { runs: [run('sample'), run('rollback')] } }, { runActive: true, sandboxRunning: true });
  assert.deepEqual([sample['st2ic.hasLoadRuns'], sample['st2ic.hasUndoableRuns'], sample['st2ic.hasFullRun'], sample['st2ic.runActive'], sample['st2ic.sandboxRunning']], [true, true, false, true, true]);
  assert.equal(contextValuesOf({ exists: true, inputs: { runs: [run('full')] } }, window)['st2ic.hasFullRun'], true);
});

test('an edit that undoes an approval is named, with who approved and what to do again', () => {
  const approved = confirmMap(draft, 'approved', 'Dana', testClock);
  const dropped = { ...approved, objects: { ...approved.objects, companies: { ...approved.objects.companies, enabled: !approved.objects.companies.enabled } } };
  assert.equal(revokedConfirmation(approved, dropped), 'The map is back to draft: this change is not covered by the approval of Dana. Approve it again before a full or delta run.');
  assert.equal(revokedConfirmation(draft, dropped), undefined, 'a draft has nothing to lose');
  assert.equal(revokedConfirmation(approved, approved), undefined);
  assert.match(revokedConfirmation(confirmMap(draft, 'reviewed', 'Dana', testClock), draft) ?? '', /review of Dana\. Mark it reviewed again/);
});
