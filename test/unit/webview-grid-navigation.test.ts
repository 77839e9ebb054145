import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type GridRow, moveCell, resolveCursor } from '../../webview/grid-navigation';

// Columns as numbers: a row may lack some (an accepted row has no Accept).
const rows: GridRow[] = [
  { key: 'tickets:0', columns: [0, 1, 2] },
  { key: 'tickets:1', columns: [1, 2] },
  { key: 'tickets:2', columns: [0, 1] },
  { key: 'tickets:3', columns: [0, 1, 2] },
];

test('up and down move between rows and keep the column, or the nearest one the row shows', () => {
  assert.deepEqual(moveCell(rows, { row: 0, column: 2 }, 'ArrowDown'), { row: 1, column: 2 });
  assert.deepEqual(moveCell(rows, { row: 1, column: 2 }, 'ArrowDown'), { row: 2, column: 1 }, 'no Drop in row 2: Edit');
  assert.deepEqual(moveCell(rows, { row: 1, column: 1 }, 'ArrowUp'), { row: 0, column: 1 });
  assert.deepEqual(moveCell(rows, { row: 3, column: 0 }, 'ArrowDown'), { row: 3, column: 0 }, 'the last row stays');
  assert.deepEqual(moveCell(rows, { row: 0, column: 0 }, 'ArrowUp'), { row: 0, column: 0 }, 'the first row stays');
});

test("left and right move between the row's actions and stop at its ends", () => {
  assert.deepEqual(moveCell(rows, { row: 0, column: 0 }, 'ArrowRight'), { row: 0, column: 1 });
  assert.deepEqual(moveCell(rows, { row: 0, column: 2 }, 'ArrowRight'), { row: 0, column: 2 });
  assert.deepEqual(moveCell(rows, { row: 1, column: 1 }, 'ArrowLeft'), { row: 1, column: 1 }, 'no Accept to the left');
  assert.deepEqual(moveCell(rows, { row: 1, column: 2 }, 'ArrowLeft'), { row: 1, column: 1 });
});

test('Home and End go to the first and last row', () => {
  assert.deepEqual(moveCell(rows, { row: 2, column: 0 }, 'Home'), { row: 0, column: 0 });
  assert.deepEqual(moveCell(rows, { row: 1, column: 2 }, 'End'), { row: 3, column: 2 });
});

test('other keys are not grid moves', () => {
  for (const key of ['Tab', 'Enter', ' ', 'a', 'PageDown'])
    assert.equal(moveCell(rows, { row: 1, column: 1 }, key), undefined, key);
});

test('the tab stop stays on its row through a redraw, and falls to the row at its place when that row goes', () => {
  assert.deepEqual(
    resolveCursor(rows, undefined),
    { row: 0, column: 0 },
    'first time in: the first action of the first row',
  );
  assert.deepEqual(resolveCursor(rows, { row: 'tickets:2', index: 2, column: 1 }), { row: 2, column: 1 });
  assert.deepEqual(
    resolveCursor(rows, { row: 'tickets:1', index: 1, column: 0 }),
    { row: 1, column: 1 },
    'the Accept just used is gone: Edit of the same row',
  );
  assert.deepEqual(
    resolveCursor(rows.slice(0, 1).concat(rows.slice(2)), { row: 'tickets:1', index: 1, column: 2 }),
    { row: 1, column: 1 },
    'the row filtered out: the one now in its place',
  );
  assert.deepEqual(
    resolveCursor(rows.slice(0, 2), { row: 'tickets:9', index: 9, column: 1 }),
    { row: 1, column: 1 },
    'past the end: the last row',
  );
  assert.equal(resolveCursor([], { row: 'tickets:1', index: 1, column: 1 }), undefined);
});
