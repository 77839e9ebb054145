import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { contextValuesOf } from '../../src/extension/context-keys';
import type { RunEntry } from '../../src/extension/ledger-runs';
import { describeRun } from '../../src/extension/run-rows';
import type { RunKind } from '../../src/model/journal';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const itemMenus = manifest.contributes.menus['view/item/context'] as { command: string; when: string }[];

/** Whether the Runs view offers a command on an item with this context value, as VS Code reads the when clause. */
function offers(command: string, contextValue: string): boolean {
  const clause = itemMenus.find((m) => m.command === command && m.when.includes('view == st2ic.runs'))?.when;
  assert.ok(clause, `no Runs-view menu for ${command}`);
  const regex = /viewItem =~ \/(.+)\/$/.exec(clause)?.[1];
  assert.ok(regex, clause);
  return new RegExp(regex).test(contextValue);
}

const c = (migrated: number, skipped = 0, failed = 0) => ({
  migrated,
  skipped,
  failed,
  skippedReasons: {},
  failedReasons: {},
});
function entry(id: string, kind: RunKind, extra: Partial<RunEntry> = {}, rollbackOf?: string): RunEntry {
  return {
    summary: {
      meta: {
        v: 2,
        id,
        kind,
        status: 'completed',
        attempts: 1,
        startedAt: '2026-12-04T17:40:00.000Z',
        mappingHash: 'a'.repeat(64),
        source: { kind: 'sqlite', description: 'smartertrack.db' },
        ...(rollbackOf ? { rollbackOf } : {}),
      },
      locked: false,
      interrupted: false,
    },
    counts: {},
    ...extra,
  };
}

test("a rollback's row counts the writes it undid, not the records it never journals", () => {
  const row = describeRun(
    entry('rb', 'rollback', { undo: { undone: 489, alreadyGone: 3, covered: 40, failed: 0 } }, 's1'),
    { hasReport: false },
  );
  assert.equal(row.label, 'rollback of s1 · completed');
  assert.equal(row.description, '2026-12-04 17:40 · 489 undone · 3 already gone');
  assert.doesNotMatch(row.description, /0 migrated/);
  assert.equal(row.look, 'completed');
  assert.equal(
    describeRun(entry('rb', 'rollback', { undo: { undone: 5, alreadyGone: 0, covered: 0, failed: 2 } }, 's1'), {
      hasReport: false,
    }).look,
    'completedWithFindings',
  );
});

test('a run rolled back since is marked and offers neither Validate nor Roll Back; its journal and report stay', () => {
  const sample = entry('s1', 'sample', { counts: { tickets: c(10) } });
  const standing = describeRun(sample, { hasReport: true });
  assert.ok(
    offers('st2ic.validateRun', standing.contextValue) && offers('st2ic.rollbackRun', standing.contextValue),
    standing.contextValue,
  );
  const undone = describeRun(sample, { rolledBackBy: 'rb', hasReport: true });
  assert.match(undone.description, /^rolled back by rb · /);
  assert.equal(undone.look, 'rolledBack');
  assert.equal(offers('st2ic.validateRun', undone.contextValue), false, undone.contextValue);
  assert.equal(offers('st2ic.rollbackRun', undone.contextValue), false);
  assert.ok(offers('st2ic.openRunJournal', undone.contextValue) && offers('st2ic.openRunReport', undone.contextValue));
});

test('a completed run with unmatched agents or failed records is a warning in the Runs view', () => {
  const row = describeRun(entry('s1', 'sample', { counts: { tickets: c(10), agents: c(0, 12) } }), {
    hasReport: false,
  });
  assert.equal(row.look, 'completedWithFindings');
  assert.ok(row.tooltip.some((l) => /12 of 12 agents match no Intercom admin/.test(l)));
  assert.equal(
    describeRun(entry('s1', 'sample', { counts: { tickets: c(10) } }), { hasReport: false }).look,
    'completed',
  );
});

test('context keys count only runs not rolled back: nothing left to validate or roll back after a rollback', () => {
  const window = { runActive: false, sandboxRunning: false };
  const run = (id: string, kind: RunKind, rollbackOf?: string) => ({
    id,
    kind,
    status: 'completed' as const,
    interrupted: false,
    counts: {},
    ...(rollbackOf ? { rollbackOf } : {}),
  });
  const undone = contextValuesOf(
    { exists: true, inputs: { runs: [run('s1', 'sample'), run('rb', 'rollback', 's1')] } },
    window,
  );
  assert.equal(undone['st2ic.hasLoadRuns'], false);
  assert.equal(undone['st2ic.hasUndoableRuns'], false);
  assert.equal(undone['st2ic.hasRuns'], true, 'the journals can still be opened');
  const another = contextValuesOf(
    { exists: true, inputs: { runs: [run('s1', 'sample'), run('rb', 'rollback', 's1'), run('s2', 'sample')] } },
    window,
  );
  assert.equal(another['st2ic.hasLoadRuns'], true);
  assert.equal(another['st2ic.hasUndoableRuns'], true);
});
