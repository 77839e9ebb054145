import assert from 'node:assert/strict';
import { test } from 'node:test';

import { menuMove, rowActions } from '../../webview/row-actions';

test('a row waiting for review shows Accept alone; Edit and Drop are in its menu; an accepted row shows no button but the menu', () => {
  assert.deepEqual(rowActions({ reviewed: false, dropped: false }), { shown: 'accept', menu: ['edit', 'drop'] });
  assert.deepEqual(rowActions({ reviewed: true, dropped: false }), { shown: null, menu: ['edit', 'drop'] });
  assert.deepEqual(
    rowActions({ reviewed: false, dropped: true }),
    { shown: 'accept', menu: ['edit'] },
    'a dropped field is not dropped again',
  );
});

const labels = ['Edit', 'Drop', 'Duplicate'];

test('up and down move through the menu and wrap; Home and End go to its ends', () => {
  assert.deepEqual(menuMove(labels, 0, 'ArrowDown'), { kind: 'focus', index: 1 });
  assert.deepEqual(menuMove(labels, 2, 'ArrowDown'), { kind: 'focus', index: 0 });
  assert.deepEqual(menuMove(labels, 0, 'ArrowUp'), { kind: 'focus', index: 2 });
  assert.deepEqual(menuMove(labels, 1, 'Home'), { kind: 'focus', index: 0 });
  assert.deepEqual(menuMove(labels, 0, 'End'), { kind: 'focus', index: 2 });
});

test('Enter and Space act on the focused item; Escape closes onto the button, Tab closes and goes on', () => {
  assert.deepEqual(menuMove(labels, 1, 'Enter'), { kind: 'activate', index: 1 });
  assert.deepEqual(menuMove(labels, 2, ' '), { kind: 'activate', index: 2 });
  assert.deepEqual(menuMove(labels, 1, 'Escape'), { kind: 'close', passOn: false });
  assert.deepEqual(menuMove(labels, 1, 'Tab'), { kind: 'close', passOn: true });
});

test('a letter goes to the next item starting with it, after the focused one, whatever the case', () => {
  assert.deepEqual(menuMove(labels, 0, 'd'), { kind: 'focus', index: 1 });
  assert.deepEqual(menuMove(labels, 1, 'D'), { kind: 'focus', index: 2 });
  assert.deepEqual(menuMove(labels, 2, 'd'), { kind: 'focus', index: 1 }, 'wraps');
  assert.deepEqual(menuMove(labels, 1, 'e'), { kind: 'focus', index: 0 });
  assert.equal(menuMove(labels, 0, 'x'), undefined, 'no item: nothing happens');
  assert.equal(menuMove(labels, 0, 'ArrowLeft'), undefined, 'not a menu key');
  assert.equal(menuMove(labels, 0, 'Shift'), undefined);
});
