import assert from 'node:assert/strict';
import { test } from 'node:test';

import { validateSummary } from '../../src/cli/validate-summary';
import type { ReconciliationReport } from '../../src/model/reports';

/** Issue 18, bullet 4: the validate summary's figures add up and say what they leave out. */

type Row = ReconciliationReport['types'][number];
const row = (objectType: Row['objectType'], source: number, over: Partial<Row> = {}): Row =>
  ({
    objectType,
    source,
    covered: true,
    migrated: 0,
    skipped: 0,
    failed: 0,
    skippedReasons: [],
    failedReasons: [],
    unaccounted: 0,
    unaccountedIds: [],
    otherRuns: 0,
    notInSource: 0,
    cut: 0,
    placeholderOpeners: 0,
    agentOpened: 0,
    ...over,
  }) as Row;

test('types no ledger record covers, records of other runs, types not read back and values not compared are all named', () => {
  const types = [
    row('tickets', 10, { migrated: 6, failed: 1, unaccounted: 1, otherRuns: 2 }),
    row('attachments', 5, { migrated: 5 }),
    row('ticketComments', 3, { migrated: 3 }),
    row('kbArticles', 40, { covered: false }),
    row('tags', 12, { covered: false }),
  ];
  const report = {
    types,
    totals: { source: 70, migrated: 14, skipped: 0, failed: 1, unaccounted: 1 },
    fieldCheck: {
      sample: 1,
      types: [
        { objectType: 'tickets', migrated: 6, checked: 1, withMismatches: 0, fidelity: 100 },
        { objectType: 'attachments', migrated: 5, checked: 1, withMismatches: 1, fidelity: 0 },
        { objectType: 'ticketComments', migrated: 3, checked: 0, withMismatches: 0, fidelity: null },
      ],
      mismatches: [
        {
          objectType: 'attachments',
          sourceId: 'ticket:1',
          intercomId: '9',
          field: 'file',
          expected: 'a.png',
          actual: '(none)',
        },
      ],
      unchecked: [{ objectType: 'attachments', what: 'content (Intercom did not serve the file)', count: 2 }],
    },
  } as unknown as ReconciliationReport;
  const lines = validateSummary(report, 'run-1').trimEnd().split('\n');
  assert.equal(
    lines[0],
    'Reconciliation of run-1: source 70, migrated 14, skipped 0, failed 1, unaccounted 1; of the source, 52 not covered (kbArticles, tags: no ledger record of these types, so none expected) and 2 recorded by other runs',
  );
  // What is left out makes the figures add up.
  assert.equal(14 + 0 + 1 + 1 + 52 + 2, 70);
  assert.deepEqual(lines.slice(1), [
    'Read back from Intercom and compared with the source (up to 1 per type):',
    '  tickets             100%  1 of 1 exact',
    '  attachments           0%  0 of 1 exact',
    '  not read back: ticketComments (3 migrated)',
    '  not compared: attachments content (Intercom did not serve the file) (2)',
    '1 difference(s)',
  ]);
});

test('nothing left out: the totals line says nothing more', () => {
  const report = {
    types: [row('tickets', 2, { migrated: 2 })],
    totals: { source: 2, migrated: 2, skipped: 0, failed: 0, unaccounted: 0 },
    fieldCheck: {
      sample: 'all',
      types: [{ objectType: 'tickets', migrated: 2, checked: 2, withMismatches: 0, fidelity: 100 }],
      mismatches: [],
      unchecked: [],
    },
  } as unknown as ReconciliationReport;
  assert.match(
    validateSummary(report),
    /^Reconciliation of the workspace: source 2, migrated 2, skipped 0, failed 0, unaccounted 0\nRead back from Intercom and compared with the source \(every migrated record\):\n/,
  );
});
