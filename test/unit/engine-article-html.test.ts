import assert from 'node:assert/strict';
import { test } from 'node:test';

import { articleBodyHtml } from '../../src/mapping/body-html';

/**
 * Help center article bodies go through a real HTML parser and sanitiser (sanitize-html, as message
 * bodies do), configured for what an article shows: tables, headings and nested lists keep their form;
 * scripts, handlers, styles and editor debris go, and what went is named.
 */

const body = (source: string, base: string | null = null) => articleBodyHtml(source, base);

test('a table keeps rows, header cells and spans, well formed, without presentational attributes', () => {
  const { html, removed } = body(
    '<table border="1" style="width:100%" class="MsoTable"><caption>Limits</caption><tr><th bgcolor="#eee">disk<th>use<tr><td colspan="2" style="color:red"><font face="Arial">sda &amp; sdb</font></td></table>',
  );
  assert.equal(
    html,
    '<table><caption>Limits</caption><tr><th>disk</th><th>use</th></tr><tr><td colspan="2">sda &amp; sdb</td></tr></table>',
  );
  assert.deepEqual(removed, []);
});

test('nested lists stay nested, and unclosed items are closed where the parser closes them', () => {
  const { html } = body('<ul><li>one<ul><li>two<ol start="3"><li>three</ol></ul><li>four</ul><p>after');
  assert.equal(
    html,
    '<ul><li>one<ul><li>two<ol start="3"><li>three</li></ol></li></ul></li><li>four</li></ul><p>after</p>',
  );
});

test('entities are read as the characters they stand for; text that looks like markup stays text', () => {
  const { html } = body('<h2>R&amp;D caf&eacute; &#x1F600;</h2><p>if a < b && c > d then\u0000 ok</p>');
  assert.equal(html, '<h2>R&amp;D café 😀</h2><p>if a &lt; b &amp;&amp; c &gt; d then ok</p>');
});

test('scripts, handlers and javascript: addresses go, written plainly or hidden behind entities or a missing end tag', () => {
  const { html, removed } = body(
    '<p onclick="x()">hi</p><a href="jav&#x61;script:alert(2)">x</a><a href="https://help.example/a" onmouseover="y()">ok</a><iframe src="https://e.example"></iframe><p>end</p><script>alert(1)',
  );
  assert.equal(html, '<p>hi</p><a>x</a><a href="https://help.example/a">ok</a><p>end</p>');
  assert.deepEqual([...removed].sort(), ['<iframe>', '<script>', 'event handlers', 'javascript: addresses']);
  assert.deepEqual(body('<p>plain</p>'), { html: '<p>plain</p>', removed: [], unresolved: [] });
});

test('an image keeps its address and text; a relative address is rewritten to the public base, or listed when there is none', () => {
  const source =
    '<p><img src="/kb/a.png" alt="diagram" width="300" style="border:0" onerror="x()"><img src=images/b.png><img src="https://cdn.example/c.png"></p>';
  const rewritten = body(source, 'https://cdn.example/help');
  assert.equal(
    rewritten.html,
    '<p><img src="https://cdn.example/help/kb/a.png" alt="diagram" width="300" /><img src="https://cdn.example/help/images/b.png" /><img src="https://cdn.example/c.png" /></p>',
  );
  assert.deepEqual(rewritten.unresolved, []);
  assert.deepEqual(rewritten.removed, ['event handlers']);
  const unresolved = body(source, null);
  assert.deepEqual(unresolved.unresolved, ['/kb/a.png', 'images/b.png']);
  assert.match(unresolved.html, /<img src="\/kb\/a.png" alt="diagram" width="300" \/><img src="images\/b.png" \/>/);
});
