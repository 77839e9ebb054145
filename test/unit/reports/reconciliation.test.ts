import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parse } from 'csv-parse/sync';

import type { ReconciliationRow } from '../../../src/model/reports';
import { compareSourceIds, reconciliationCsv } from '../../../src/reports/reconciliation';
import { pickSample } from '../../../src/reports/verify/verify';

test('samples are spread over the whole list, deterministic, and all means all', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual(pickSample(items, 4), [0, 25, 50, 75]);
  assert.deepEqual(pickSample(items, 'all'), items);
  assert.deepEqual(pickSample([1, 2], 20), [1, 2]);
  assert.deepEqual(pickSample(items, 0), []);
});

test('source ids sort numerically, composite ids by their parts', () => {
  assert.deepEqual(['10', '9', '2:10', '2:9', '100', 'opener:x'].sort(compareSourceIds), [
    '2:9',
    '2:10',
    '9',
    '10',
    '100',
    'opener:x',
  ]);
});

test('CSV fields with commas, quotes, line breaks and leading spaces survive a round trip', () => {
  const rows: ReconciliationRow[] = [
    {
      objectType: 'endUsers',
      sourceId: '7',
      state: 'failed',
      reason: 'validation',
      field: 'email',
      message: 'bad "a, b"\r\nnext line',
      runId: 'r',
    },
    {
      objectType: 'tickets',
      sourceId: '8',
      state: 'skipped',
      reason: '  spaced, ',
      field: '',
      message: '',
      runId: 'r',
    },
    {
      objectType: 'tickets',
      sourceId: '9',
      state: 'unaccounted',
      reason: 'no record entry in the ledger',
      field: '',
      message: 'é ünïcode — ok',
      runId: '',
    },
  ];
  const text = reconciliationCsv(rows);
  assert.ok(text.startsWith('objectType,sourceId,state,reason,field,message,runId\r\n'));
  assert.deepEqual(parse(text, { columns: true }), rows);
});
