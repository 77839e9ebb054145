import assert from 'node:assert/strict';
import { test } from 'node:test';

import { messageBodyHtml, sanitizeBodyHtml, textToHtml } from '../../src/mapping/body-html';
import { cleanText } from '../../src/mapping/clean-text';

test('a table becomes one paragraph per row, cells joined by " | " (nested tables and paragraphs in cells too)', () => {
  assert.equal(
    sanitizeBodyHtml(
      '<table><tr><th>disk</th><td>97%</td></tr><tr><td><p>a</p><p>b</p></td><td><b>x</b></td></tr></table>',
    ),
    '<p>disk | 97%</p><p>a b | <b>x</b></p>',
  );
  assert.equal(
    sanitizeBodyHtml(
      '<table><tr><td>outer<table><tr><td>in1</td><td>in2</td></tr></table></td><td>c2</td></tr></table>',
    ),
    '<p>outer in1 | in2 | c2</p>',
  );
  assert.equal(
    sanitizeBodyHtml('<table><tr><td>R&amp;D</td><td>&lt;b&gt;</td></tr></table>'),
    '<p>R&amp;D | &lt;b&gt;</p>',
    'entities in cells are not escaped twice',
  );
});

test('what Intercom renders stays; scripts, handlers and javascript: links go; other blocks become paragraphs', () => {
  const out = sanitizeBodyHtml(
    '<h1>Head</h1><p>Hi <b>b</b> <i>i</i> <code>c</code> <a href="https://x.example/" onclick="x()">l</a><a href="javascript:alert(1)">j</a></p><ul><li>one<ol><li>two</li></ol></li></ul><script>alert(1)</script><img src="https://x.example/a.png" onerror="x()" alt="pic"><div>d</div>',
  );
  assert.equal(
    out,
    '<p>Head</p><p>Hi <b>b</b> <i>i</i> <code>c</code> <a href="https://x.example/">l</a><a>j</a></p><ul><li>one<ol><li>two</li></ol></li></ul><img src="https://x.example/a.png" alt="pic" /><p>d</p>',
  );
});

test('plain text is escaped, its line breaks kept, control characters removed', () => {
  assert.equal(
    textToHtml('a<b && c>d\n<script>x</script>\r\n\r\npara 2\u0000 end\u0007'),
    '<p>a&lt;b &amp;&amp; c&gt;d<br>&lt;script&gt;x&lt;/script&gt;</p><p>para 2 end</p>',
  );
  assert.equal(textToHtml('   '), '');
});

test('an HTML body without visible text falls back to its plain-text twin', () => {
  assert.equal(messageBodyHtml('<div><br></div>', 'the text'), '<p>the text</p>');
  assert.equal(
    messageBodyHtml('<p><img src="https://x.example/a.png"></p>', 'ignored'),
    '<p><img src="https://x.example/a.png" /></p>',
  );
});

test('control characters are removed and counted; tab, line feed, carriage return and the rest are kept', () => {
  assert.deepEqual(cleanText('a\u0000b\u0001\tc\r\n\u007f\u0085é😀\u200f'), {
    text: 'ab\tc\r\né😀\u200f',
    changed: true,
    removed: 4,
  });
});
