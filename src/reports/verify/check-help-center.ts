import type { Article, Collection } from '../../intercom';
import type { KbArticle, KbCategory } from '../../model/source';
import { wordGap, wordsOfHtml, wordsOfText } from './words';

/**
 * A knowledge-base category read back as its help-center collection, and an article as its article:
 * the name or title and the body's visible words, in order, and the parent the ledger says the
 * category became. Words only, through ./words.ts: nothing here knows how the KB phase builds HTML.
 */
export interface HelpCenterDifference {
  field: string;
  source: string;
  intercom: string;
}

function textGap(field: string, source: string[], intercom: string[], shown: string): HelpCenterDifference[] {
  const gap = wordGap(source, intercom);
  return gap
    ? [
        {
          field,
          source: `${gap.missing} of ${gap.total} word(s) missing, first: ${gap.firstMissing}`,
          intercom: gap.intercomContext || shown,
        },
      ]
    : [];
}

/**
 * `parents`: the collections the category may sit under: those its source ancestors became (Intercom
 * nests collections less deeply than SmarterTrack nests categories, so a deep category may hang from
 * any ancestor), and top level (null) when it has no parent or its chain of parents is broken.
 * Undefined when no ancestor was migrated: not compared.
 */
export function collectionDifferences(
  category: KbCategory,
  collection: Collection,
  parents: ReadonlySet<string | null> | undefined,
): HelpCenterDifference[] {
  const out = textGap(
    'name',
    wordsOfText(category.name ?? ''),
    wordsOfText(collection.name ?? ''),
    collection.name ?? '(none)',
  );
  const actual = collection.parent_id == null ? null : String(collection.parent_id);
  if (parents !== undefined && !parents.has(actual)) {
    const allowed = [...parents].map((p) => (p === null ? 'top level' : `collection ${p}`)).join(' or ');
    out.push({ field: 'parent', source: allowed, intercom: actual === null ? 'top level' : `collection ${actual}` });
  }
  return out;
}

/** The source ancestors of a category, nearest first, and whether its chain ends properly (no missing parent, no loop). */
export function ancestorsOf(
  category: KbCategory,
  byId: ReadonlyMap<number, KbCategory>,
): { ids: number[]; whole: boolean } {
  const ids: number[] = [];
  const seen = new Set([category.id]);
  let cur = category;
  while (cur.parentId !== null) {
    const parent = byId.get(cur.parentId);
    if (!parent || seen.has(parent.id)) return { ids, whole: false };
    ids.push(parent.id);
    seen.add(parent.id);
    cur = parent;
  }
  return { ids, whole: true };
}

/** `collectionId`: the collection the article's category became (undefined when not migrated). */
export function articleDifferences(
  source: KbArticle,
  article: Article,
  collectionId: string | undefined,
): HelpCenterDifference[] {
  const out = [
    ...textGap('title', wordsOfText(source.subject ?? ''), wordsOfText(article.title ?? ''), article.title ?? '(none)'),
    ...textGap('body', wordsOfHtml(source.bodyHtml ?? ''), wordsOfHtml(article.body ?? ''), '(body)'),
  ];
  if (collectionId !== undefined) {
    const parents = [article.parent_id, ...(article.parent_ids ?? [])].filter((p) => p != null).map(String);
    if (!parents.includes(collectionId))
      out.push({
        field: 'collection',
        source: `collection ${collectionId}`,
        intercom: parents.length ? parents.join(', ') : 'none',
      });
  }
  return out;
}
