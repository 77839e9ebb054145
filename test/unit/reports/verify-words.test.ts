import assert from 'node:assert/strict';
import { test } from 'node:test';

import { secondsOf } from '../../../src/reports/verify/source-values';
import { visibleTextOfHtml, wordGap, wordsOfHtml, wordsOfText } from '../../../src/reports/verify/words';

test('table cells, rows, paragraphs and line breaks separate words; inline elements do not', () => {
  assert.deepEqual(wordsOfHtml('<table><tr><td>disk</td><td>97%</td></tr><tr><td>cpu</td><td>3%</td></tr></table>'), [
    'disk',
    '97',
    '%',
    'cpu',
    '3',
    '%',
  ]);
  assert.deepEqual(wordsOfHtml('<p>Hello <b>wor</b>ld</p><p>again<br>and</p>'), ['Hello', 'world', 'again', 'and']);
  assert.deepEqual(wordsOfText('disk97%'), ['disk97', '%']);
  assert.deepEqual(wordsOfHtml('<ul><li>one</li><li>two</li></ul>'), ['one', 'two']);
});

test('entities are decoded; script and style are not text a reader sees', () => {
  assert.deepEqual(wordsOfHtml('a &lt; b &amp;&amp; c&nbsp;d<script>alert(1)</script><style>p{}</style>'), [
    'a',
    '<',
    'b',
    '&',
    '&',
    'c',
    'd',
  ]);
});

test('plain text that Intercom reads as HTML loses what looks like markup', () => {
  // The source says `a<b && c>d`; sent unescaped into an HTML body, `<b && c>` is a tag.
  const source = wordsOfText('if a<b && c>d then');
  const unescaped = wordsOfHtml('if a<b && c>d then');
  assert.ok(wordGap(source, unescaped));
  assert.equal(wordGap(source, wordsOfHtml('if a&lt;b &amp;&amp; c&gt;d then')), null);
});

test('control characters carry no words; other scripts, emoji and right-to-left text are words', () => {
  assert.deepEqual(wordsOfText('Hello\u0000world 👋 مرحبا'), ['Helloworld', '👋', 'مرحبا']);
  assert.deepEqual(wordsOfText('Ward, +44'), ['Ward', ',', '+', '44']);
  assert.equal(visibleTextOfHtml('x<!-- hidden -->y'), 'xy');
});

test('every source word must be found in order; extra words in Intercom are allowed', () => {
  assert.equal(wordGap(['a', 'b', 'c'], ['[Sent', 'by', 'X]', 'a', 'b', 'more', 'c']), null);
  const gap = wordGap(wordsOfHtml('<td>disk</td><td>97%</td> ok'), wordsOfText('disk97% ok'));
  assert.deepEqual(gap && { missing: gap.missing, total: gap.total, first: gap.firstMissing }, {
    missing: 2,
    total: 4,
    first: '«disk» 97 % ok',
  });
  const swapped = wordGap(['one', 'two'], ['two', 'one']);
  assert.equal(swapped?.missing, 1);
  const last = wordGap(['keep', 'every', 'word'], ['keep', 'every']);
  assert.equal(last?.firstMissing, 'keep every «word»');
});

test('source dates read to the second', () => {
  assert.equal(secondsOf('2024-03-01T10:00:59.900Z'), 1709287259);
  assert.equal(secondsOf('2024-03-01 10:00:59'), 1709287259);
  assert.equal(secondsOf('3/1/2024'), 1709251200);
  assert.equal(secondsOf('not a date'), null);
});

test('one lost word is counted once: the words after it still align', () => {
  const source = wordsOfText('From: Derek <support@fieldnote.io> Sent: Tuesday, see support@fieldnote.io later');
  const intercom = wordsOfHtml('From: Derek <support@fieldnote.io> Sent: Tuesday, see support@fieldnote.io later');
  const gap = wordGap(source, intercom);
  assert.equal(gap?.missing, 7);
  assert.equal(gap?.firstMissing, 'From : Derek «<» support @ fieldnote . io >');
});
