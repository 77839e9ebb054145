import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describePhases, type PhaseInputs } from '../../src/extension/phase-state';

const counts = (migrated: number, failed = 0) => ({
  tickets: { migrated, skipped: 1, failed, skippedReasons: {}, failedReasons: {} },
});
const base: PhaseInputs = { hasWorkspacePlan: false, runs: [], reconciled: [] };
const byId = (inputs: PhaseInputs) => Object.fromEntries(describePhases(inputs).map((p) => [p.id, p]));

test('a fresh migration folder: every phase to do, runs waiting for the map', () => {
  const phases = describePhases(base);
  assert.deepEqual(
    phases.map((p) => p.id),
    ['scope', 'configure', 'mapping', 'sample', 'full', 'delta', 'validate'],
  );
  assert.ok(phases.every((p) => p.status === 'todo'));
  assert.equal(byId(base).sample?.description, 'needs the map reviewed');
  assert.equal(byId(base).full?.description, 'needs the map approved');
});

test('scope counts, map review and the latest run of each kind come through', () => {
  const phases = byId({
    ...base,
    scope: { tickets: 300, endUsers: 137, problems: 4, generatedAt: '2026-11-28T00:00:00Z' },
    mapping: { status: 'reviewed', by: 'Dana' },
    runs: [
      { id: 'r1', kind: 'sample', status: 'failed', interrupted: false, counts: counts(2) },
      { id: 'r2', kind: 'sample', status: 'completed', interrupted: false, counts: counts(10, 1) },
    ],
    reconciled: ['r2'],
  });
  assert.equal(phases.scope?.description, '300 tickets · 137 end users · 4 kinds of problem');
  assert.equal(phases.mapping?.description, 'reviewed by Dana');
  assert.equal(phases.mapping?.status, 'attention');
  assert.equal(phases.sample?.status, 'attention', 'a completed run with failed records needs attention');
  assert.equal(phases.sample?.description, '10 conversations migrated · 1 failed · 1 skipped (2 runs)');
  assert.equal(phases.full?.description, 'needs the map approved');
  assert.equal(phases.configure?.status, 'done');
  assert.equal(phases.validate?.status, 'done');
});

test('an interrupted run is failed and says it resumes; a rollback does not count as configuring', () => {
  const phases = byId({
    ...base,
    mapping: { status: 'approved' },
    runs: [
      { id: 'f1', kind: 'full', status: 'running', interrupted: true, counts: counts(5) },
      { id: 'rb', kind: 'rollback', status: 'completed', interrupted: false, counts: {} },
    ],
  });
  assert.equal(phases.full?.status, 'failed');
  assert.match(phases.full?.description ?? '', /^interrupted · .* · run again to resume$/);
  assert.equal(phases.configure?.status, 'todo');
  assert.equal(phases.delta?.description, 'ready');
  assert.equal(phases.validate?.description, 'last run f1 not reconciled');
});

test('a sample rolled back since is shown as such, ready to run again', () => {
  const phases = byId({
    ...base,
    mapping: { status: 'reviewed' },
    runs: [
      { id: 's1', kind: 'sample', status: 'completed', interrupted: false, counts: counts(10) },
      { id: 'rb', kind: 'rollback', status: 'completed', interrupted: false, counts: {}, rollbackOf: 's1' },
    ],
  });
  assert.equal(phases.sample?.status, 'todo');
  assert.equal(phases.sample?.description, 'rolled back · was 10 conversations migrated, 1 skipped');
  assert.match(phases.sample?.tooltip ?? '', /Rolled back by rb\./);
});

const c = (migrated: number, skipped = 0, failed = 0) => ({
  migrated,
  skipped,
  failed,
  skippedReasons: (skipped ? { 'a reason': skipped } : {}) as Record<string, number>,
  failedReasons: {},
});
const troubled = {
  agents: c(0, 12),
  departments: c(1, 3),
  groups: c(0, 5),
  brands: c(0, 2),
  customFields: c(3, 4),
  tickets: c(100),
  liveChats: c(30),
  callLogs: c(18),
  endUsers: c(60),
  organizations: c(12),
  ticketMessages: c(350),
  attachments: c(5),
};

test('a run that completed with unmatched agents and missing teams is a warning, not a green check, in Configure and Sample', () => {
  const phases = byId({
    ...base,
    hasWorkspacePlan: true,
    mapping: { status: 'reviewed' },
    runs: [{ id: 's1', kind: 'sample', status: 'completed', interrupted: false, counts: troubled }],
  });
  assert.equal(phases.configure?.status, 'attention');
  assert.equal(phases.configure?.description, 'applied · 12 of 12 agents unmatched · 3 of 4 teams missing');
  assert.match(phases.configure?.tooltip ?? '', /12 of 12 agents match no Intercom admin/);
  assert.equal(phases.sample?.status, 'attention');
  assert.equal(
    phases.sample?.description,
    '148 conversations, 60 contacts, 12 companies migrated · 12 of 12 agents unmatched · 3 of 4 teams missing',
  );
  assert.match(phases.sample?.tooltip ?? '', /all records: 579 migrated · 26 skipped · 0 failed/);
});

test('skips that follow from the map (groups, brands, unmapped custom fields) leave a run green', () => {
  const clean = {
    agents: c(2),
    departments: c(2),
    groups: c(0, 5),
    brands: c(0, 2),
    customFields: c(3, 4),
    tickets: c(10),
  };
  const phases = byId({
    ...base,
    mapping: { status: 'reviewed' },
    runs: [{ id: 's1', kind: 'sample', status: 'completed', interrupted: false, counts: clean }],
  });
  assert.equal(phases.configure?.status, 'done');
  assert.equal(phases.sample?.status, 'done');
  assert.equal(phases.sample?.description, '10 conversations migrated');
});

test("Validate warns over a gap in a full run, differences or failures; a sample's untaken records are named, not a gap", () => {
  const runs: PhaseInputs['runs'] = [
    { id: 'f1', kind: 'full', status: 'completed', interrupted: false, counts: counts(10) },
  ];
  const full = byId({
    ...base,
    runs,
    reconciled: ['f1'],
    validations: [{ runId: 'f1', kind: 'full', failed: 0, unaccounted: 396, differences: 2 }],
  });
  assert.equal(full.validate?.status, 'attention');
  assert.equal(full.validate?.description, 'reconciled f1 · 396 unaccounted · 2 differences from the source');
  assert.equal(full.validate?.opens, 'migration/reports/reconciliation-f1.md', 'a click shows the gap');
  assert.equal(full.full?.opens, 'migration/reports/reconciliation-f1.md');
  const sample = byId({
    ...base,
    runs: [{ ...runs[0]!, id: 's1', kind: 'sample' }],
    reconciled: ['s1'],
    validations: [{ runId: 's1', kind: 'sample', failed: 0, unaccounted: 396, differences: 0 }],
  });
  assert.equal(sample.validate?.status, 'done');
  assert.equal(sample.validate?.description, 'reconciled s1 · 396 source records outside the sample');
});

test('Validate looks past a run rolled back since', () => {
  const phases = byId({
    ...base,
    runs: [
      { id: 's1', kind: 'sample', status: 'completed', interrupted: false, counts: counts(3) },
      { id: 's2', kind: 'sample', status: 'completed', interrupted: false, counts: counts(3) },
      { id: 'rb', kind: 'rollback', status: 'completed', interrupted: false, counts: {}, rollbackOf: 's2' },
    ],
    reconciled: ['s1'],
  });
  assert.equal(phases.validate?.description, 'reconciled s1');
});
