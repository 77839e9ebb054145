import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePhases, type PhaseInputs } from '../../src/extension/phase-state';

const counts = (migrated: number, failed = 0) => ({ tickets: { migrated, skipped: 1, failed, skippedReasons: {}, failedReasons: {} } });
const base: PhaseInputs = { hasWorkspacePlan: false, runs: [], reconciled: [] };
const byId = (inputs: PhaseInputs) => Object.fromEntries(describePhases(inputs).map((p) => [p.id, p]));

test('a fresh migration folder: every phase to do, runs waiting for the map', () => {
  const phases = describePhases(base);
  assert.deepEqual(phases.map((p) => p.id), ['scope', 'configure', 'mapping', 'sample', 'full', 'delta', 'validate']);
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
  assert.equal(phases.sample?.description, '10 migrated · 1 skipped · 1 failed (2 runs)');
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
  assert.equal(phases.sample?.description, 'rolled back · was 10 migrated · 1 skipped · 0 failed');
});
