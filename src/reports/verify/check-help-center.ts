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
  return gap ? [{ field, source: `${gap.missing} of ${gap.total} word(s) missing, first: ${gap.firstMissing}`, intercom: gap.intercomContext || shown }] : [];
}

/** `parentId`: the collection the source parent became (undefined when it was not migrated: not compared). */
export function collectionDifferences(category: KbCategory, collection: Collection, parentId: string | null | undefined): HelpCenterDifference[] {
  const out = textGap('name', wordsOfText(category.name ?? ''), wordsOfText(collection.name ?? ''), collection.name ?? '(none)');
  if (parentId !== undefined && (collection.parent_id ?? null) !== parentId) {
    out.push({ field: 'parent', source: parentId === null ? 'top level' : `collection ${parentId}`, intercom: collection.parent_id == null ? 'top level' : `collection ${collection.parent_id}` });
  }
  return out;
}

/** `collectionId`: the collection the article's category became (undefined when not migrated). */
export function articleDifferences(source: KbArticle, article: Article, collectionId: string | undefined): HelpCenterDifference[] {
  const out = [
    ...textGap('title', wordsOfText(source.subject ?? ''), wordsOfText(article.title ?? ''), article.title ?? '(none)'),
    ...textGap('body', wordsOfHtml(source.bodyHtml ?? ''), wordsOfHtml(article.body ?? ''), '(body)'),
  ];
  if (collectionId !== undefined) {
    const parents = [article.parent_id, ...(article.parent_ids ?? [])].filter((p) => p != null).map(String);
    if (!parents.includes(collectionId)) out.push({ field: 'collection', source: `collection ${collectionId}`, intercom: parents.length ? parents.join(', ') : 'none' });
  }
  return out;
}
