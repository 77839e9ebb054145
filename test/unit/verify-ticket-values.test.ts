import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectedTicketValue } from '../../src/reports/verify/ticket-values';

// Issue 20: what an Intercom ticket attribute should hold for its source value, per data type, read
// apart from the transforms; a value that cannot be predicted is not compared rather than guessed.

const of = (dataType: 'string' | 'list' | 'integer' | 'decimal' | 'boolean' | 'datetime', options: string[] = []) => ({
  dataType,
  options,
});

test('each data type reads the source value its own way', () => {
  assert.deepEqual(expectedTicketValue(of('string'), 'Disk\u0000 full'), { kind: 'value', value: 'Disk full' });
  assert.deepEqual(expectedTicketValue(of('list', ['Low', 'High']), 'high'), { kind: 'value', value: 'High' });
  assert.deepEqual(expectedTicketValue(of('integer'), '1,204'), { kind: 'value', value: 1204 });
  assert.deepEqual(expectedTicketValue(of('decimal'), '12.50'), { kind: 'value', value: 12.5 });
  assert.deepEqual(expectedTicketValue(of('boolean'), 'Yes'), { kind: 'value', value: true });
  assert.deepEqual(expectedTicketValue(of('boolean'), '0'), { kind: 'value', value: false });
  assert.deepEqual(expectedTicketValue(of('datetime'), '2024-03-01T10:00:00Z'), { kind: 'value', value: 1709287200 });
  assert.deepEqual(expectedTicketValue(of('datetime'), '2024-03-01 10:00:00'), { kind: 'value', value: 1709287200 });
  assert.deepEqual(expectedTicketValue(of('string'), ['A-1', 'A-2']), { kind: 'value', value: 'A-1, A-2' });
});

test('what cannot be predicted is not compared', () => {
  for (const [type, raw] of [
    [of('list', ['Low', 'High']), 'Urgent'],
    [of('integer'), '3.5'],
    [of('decimal'), 'about ten'],
    [of('boolean'), 'maybe'],
    [of('datetime'), 'soon'],
    [of('string'), '  '],
    [of('string'), null],
  ] as const)
    assert.deepEqual(expectedTicketValue(type, raw), { kind: 'unchecked' }, `${type.dataType} ${String(raw)}`);
});
