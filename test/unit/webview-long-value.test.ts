import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cutText, SHOWN_CHARACTERS } from '../../webview/long-value';

test('a short value is shown whole; a long one is cut near the limit and counts all its characters', () => {
  assert.equal(cutText('x'.repeat(SHOWN_CHARACTERS)), null, 'exactly at the limit: whole');
  const long = 'word '.repeat(280).trim(); // 1,399 characters
  const cut = cutText(long);
  assert.ok(cut, 'cut');
  assert.equal(cut.total, long.length);
  assert.ok(
    cut.head.length <= SHOWN_CHARACTERS && cut.head.length > SHOWN_CHARACTERS * 0.8,
    `${cut.head.length} characters shown`,
  );
  assert.ok(long.startsWith(cut.head));
  assert.match(cut.head, /word$/, 'cut at a word, not inside one');
});

test('a value without spaces is cut at the limit; a cut never splits a surrogate pair', () => {
  assert.equal(cutText('a'.repeat(1000))?.head.length, SHOWN_CHARACTERS);
  const emoji = '😀'.repeat(12);
  const cut = cutText(emoji, 5);
  assert.deepEqual(cut, { head: '😀'.repeat(5), total: 12 });
});
