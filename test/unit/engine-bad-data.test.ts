import assert from 'node:assert/strict';
import { test } from 'node:test';

import { planCollections } from '../../src/engine/phases/knowledge-base';
import { seconds } from '../../src/engine/phases/tickets';
import { articleBodyHtml } from '../../src/mapping/body-html';
import type { KbCategory } from '../../src/model/source';
import { parseRow, RowError, rowSchema } from '../../src/source/sql/row-values';

const category = (id: number, parentId: number | null) => ({ id, parentId, name: `C${id}` }) as KbCategory;

test('KB category loops are cut so that no collection is its own ancestor', () => {
  const warnings: string[] = [];
  const plans = planCollections(
    [category(1, 2), category(2, 1), category(3, 3), category(4, 1), category(5, null), category(6, 5)],
    (m) => warnings.push(m),
  );
  for (const plan of plans.values()) {
    const seen = new Set([plan.categoryId]);
    for (let cur = plan; cur.parentCategoryId !== null; cur = plans.get(cur.parentCategoryId)!) {
      assert.ok(!seen.has(cur.parentCategoryId), `category ${plan.categoryId} reaches itself`);
      seen.add(cur.parentCategoryId);
    }
  }
  assert.equal(plans.get(3)?.parentCategoryId, null);
  assert.equal(plans.get(6)?.parentCategoryId, 5);
  assert.ok(warnings.some((w) => /KB categories 1 → 2 form a loop/.test(w)));
});

test('article HTML loses scripts, event handlers and javascript: addresses, and says what it lost', () => {
  const { html, removed } = articleBodyHtml(
    '<p onclick="x()">hi</p><script>alert(1)</script><a href="javascript:alert(2)">x</a><img src="https://e.example/a.png" onerror=alert(1)><iframe src="http://e"></iframe><b>ok</b>',
    null,
  );
  assert.equal(html, '<p>hi</p><a>x</a><img src="https://e.example/a.png" /><b>ok</b>');
  assert.deepEqual(removed.sort(), ['<iframe>', '<script>', 'event handlers', 'javascript: addresses']);
  assert.deepEqual(articleBodyHtml('<p>plain</p>', null), { html: '<p>plain</p>', removed: [], unresolved: [] });
});

test('dates before 1970 take the fallback (Intercom takes Unix seconds ≥ 0)', () => {
  assert.equal(seconds('1969-07-20T20:17:00Z', 1000), 1000);
  assert.equal(seconds('1969-07-20T20:17:00Z', -5), 0);
  assert.equal(seconds('2021-01-01T00:00:00Z', 0), 1609459200);
  assert.equal(seconds(null, 7), 7);
});

test('an unreadable date is read as none and named; other bad values still stop the row', () => {
  const schema = rowSchema({ ID: 'int', DateEnteredUTC: 'date', Text: 'text' } as const);
  const notes: string[] = [];
  const row = parseRow(schema, { ID: 4, DateEnteredUTC: 'yesterday-ish', Text: 'x' }, 'ticket comments', (m) =>
    notes.push(m),
  );
  assert.equal(row.DateEnteredUTC, null);
  assert.deepEqual(notes, [
    'ticket comments (row ID = 4): column DateEnteredUTC: not a date: "yesterday-ish"; read as no date',
  ]);
  assert.throws(
    () => parseRow(schema, { ID: 'four', DateEnteredUTC: null, Text: 'x' }, 'ticket comments', () => undefined),
    RowError,
  );
  assert.throws(
    () => parseRow(schema, { ID: 4, DateEnteredUTC: 'yesterday-ish', Text: 'x' }, 'ticket comments'),
    RowError,
  );
});
