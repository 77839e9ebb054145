import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describePlan } from '../../src/cli/commands/rollback';
import type { RollbackPlan } from '../../src/engine/rollback';
import { rollbackPlanSentences } from '../../src/engine/rollback-plan-text';

const plan: RollbackPlan = {
  targetRunId: 'r1',
  targetKind: 'full',
  calls: { delete: { conversation: 2, contact: 1 }, archive: { company: 1 } },
  covered: 3,
  kept: [{ description: 'contact c9', reason: 'existed before the run' }],
  impossible: [{ description: 'reply on conversation 7', reason: 'Intercom deletes no part' }],
};

test('the rollback plan in sentences: each call counted, what archiving means, what goes along, is kept or is left', () => {
  assert.deepEqual(rollbackPlanSentences(plan), [
    'Delete 2 conversation(s), 1 contact.',
    'Archive 1 company.',
    'Companies and data attributes can only be archived in Intercom, not deleted.',
    '3 other write(s) go with them.',
    '1 record(s) that existed before the run are kept (their earlier values restored).',
    '1 write(s) cannot be undone through the API and are left.',
  ]);
  const tickets = { ...plan, calls: { delete: { ticket: 3, conversation: 1 }, untag: { ticket: 1 } } };
  assert.deepEqual(rollbackPlanSentences(tickets).slice(0, 3), [
    'Delete 3 Intercom ticket(s), 1 conversation.',
    'Untag 1 Intercom ticket.',
    'Intercom deletes tickets for good: a deleted ticket cannot be brought back (it still counts in Intercom reports).',
  ]);
  assert.deepEqual(rollbackPlanSentences({ ...plan, calls: {}, covered: 0, kept: [], impossible: [] }), [
    'Nothing to undo: the run wrote nothing, or it was rolled back already.',
  ]);
});

test('the command line says the same sentences, and names what is left', () => {
  const text = describePlan(plan);
  for (const sentence of rollbackPlanSentences(plan)) assert.ok(text.includes(`  ${sentence}`), sentence);
  assert.match(text, /^Rolling back full run r1:/);
  assert.match(text, /^ {4}- reply on conversation 7: Intercom deletes no part$/m);
});
