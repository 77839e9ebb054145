import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Article, Collection } from '../../src/intercom';
import type { KbArticle, KbCategory } from '../../src/model/source';
import { ancestorsOf, articleDifferences, collectionDifferences } from '../../src/reports/verify/check-help-center';

// Issue 14: validate reads the help center back and names what a lossy migration lost: a word of an
// article's body or title, its collection, a collection's name or parent.

const source = {
  id: 7,
  categoryId: 3,
  subject: 'Reset your password',
  bodyHtml: '<h2>Steps</h2><table><tr><td>disk</td><td>97%</td></tr></table><p>Then <b>log in</b> &amp; wait.</p>',
  summary: null,
  private: false,
  draft: false,
  deleted: false,
  flaggedForReview: false,
  displayInAllBrands: null,
  brandIds: [],
  authorUserId: null,
} as unknown as KbArticle;
const article = (body: string, title = 'Reset your password', parent: string | null = '11') =>
  ({
    type: 'article',
    id: '5',
    title,
    body,
    parent_id: parent,
    parent_ids: parent ? [parent] : [],
  }) as unknown as Article;

test('an article that kept every word in order, under its collection, has no difference', () => {
  assert.deepEqual(
    articleDifferences(
      source,
      article('<h2>Steps</h2><p>disk | 97%</p><p>Then <strong>log in</strong> &amp; wait.</p>'),
      '11',
    ),
    [],
  );
});

test('a lost word, a cut title and another collection are each named', () => {
  const found = articleDifferences(
    source,
    article('<p>Steps disk 97% Then log in wait.</p>', 'Reset your', '12'),
    '11',
  );
  assert.deepEqual(found.map((d) => d.field).sort(), ['body', 'collection', 'title']);
  assert.match(found.find((d) => d.field === 'body')!.source, /1 of \d+ word\(s\) missing, first: .*«&»/);
});

test('a deep category may hang from any ancestor or, with a broken chain, the top level; not from a stranger', () => {
  const cats = new Map<number, KbCategory>(
    [1, 2, 3].map((id) => [
      id,
      { id, parentId: id === 1 ? null : id - 1, name: `Cat ${id}`, private: false, visible: true },
    ]),
  );
  const { ids, whole } = ancestorsOf(cats.get(3)!, cats);
  assert.deepEqual(ids, [2, 1]);
  assert.equal(whole, true);
  const collection = (parent: string | null) =>
    ({ type: 'collection', id: '30', name: 'Cat 2 › Cat 3', parent_id: parent }) as unknown as Collection;
  assert.deepEqual(collectionDifferences(cats.get(3)!, collection('10'), new Set(['20', '10'])), []);
  assert.deepEqual(
    collectionDifferences(cats.get(3)!, collection('99'), new Set(['20', '10'])).map((d) => d.field),
    ['parent'],
  );
  const loop = new Map<number, KbCategory>([
    [4, { id: 4, parentId: 5, name: 'A', private: false, visible: true }],
    [5, { id: 5, parentId: 4, name: 'B', private: false, visible: true }],
  ]);
  assert.equal(ancestorsOf(loop.get(4)!, loop).whole, false);
});
