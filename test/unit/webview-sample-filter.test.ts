import assert from 'node:assert/strict';
import { test } from 'node:test';

import { filterSampleItems, objectCounts, pageOf } from '../../webview/sample-filter';

const mismatch = [{ field: 'Subject', expected: 'a', actual: 'b' }];
// In journal order: companies and contacts are written before conversations.
const items = [
  { id: 4, object: 'organizations' as const, mismatches: [] },
  { id: 3, object: 'endUsers' as const, mismatches: mismatch },
  { id: 1, object: 'tickets' as const, mismatches: [] },
  { id: 2, object: 'tickets' as const, mismatches: mismatch },
];

test('sample results list conversations first, and filter by object type and to the records that differ from the map', () => {
  const ids = (list: { id: number }[]) => list.map((i) => i.id);
  assert.deepEqual(ids(filterSampleItems(items, { object: 'all', differencesOnly: false })), [1, 2, 3, 4]);
  assert.deepEqual(ids(filterSampleItems(items, { object: 'all', differencesOnly: true })), [2, 3]);
  assert.deepEqual(ids(filterSampleItems(items, { object: 'tickets', differencesOnly: false })), [1, 2]);
  assert.deepEqual(ids(filterSampleItems(items, { object: 'tickets', differencesOnly: true })), [2]);
  assert.deepEqual(ids(filterSampleItems(items, { object: 'callLogs', differencesOnly: false })), []);
  assert.deepEqual(objectCounts(items), [
    { object: 'tickets', count: 2 },
    { object: 'endUsers', count: 1 },
    { object: 'organizations', count: 1 },
  ]);
});

test('sample results come in pages; a page past the end of a shorter list is its last page', () => {
  const list = Array.from({ length: 148 }, (_, i) => i);
  assert.deepEqual(pageOf(list, 0).items, list.slice(0, 25));
  assert.equal(pageOf(list, 0).pages, 6);
  assert.deepEqual(pageOf(list, 5), { items: list.slice(125), page: 5, pages: 6, first: 125 });
  assert.deepEqual(pageOf(list.slice(0, 30), 5), { items: list.slice(25, 30), page: 1, pages: 2, first: 25 });
  assert.deepEqual(pageOf([], 3), { items: [], page: 0, pages: 1, first: 0 });
  assert.equal(pageOf(list, -1).page, 0);
});
