import { SampleObject, type SampleResultItem } from '../src/model/sample-results';

/** What the sample results list shows: all records or only those that differ, of one object type or all. */
export interface SampleFilter {
  differencesOnly: boolean;
  object: SampleObject | 'all';
  /** Zero-based page of the filtered list. */
  page: number;
}

const SAMPLE_PAGE_SIZE = 25;

const ORDER = SampleObject.options;

/**
 * The records the filter keeps, grouped by object type with conversations first (the journal lists
 * companies and contacts first, being written first, but the conversations are what a reviewer checks).
 */
export function filterSampleItems<T extends Pick<SampleResultItem, 'object' | 'mismatches'>>(
  items: readonly T[],
  filter: Omit<SampleFilter, 'page'>,
): T[] {
  return items
    .filter(
      (item) =>
        (filter.object === 'all' || item.object === filter.object) &&
        (!filter.differencesOnly || item.mismatches.length > 0),
    )
    .map((item, index) => ({ item, index }))
    .sort((a, b) => ORDER.indexOf(a.item.object) - ORDER.indexOf(b.item.object) || a.index - b.index)
    .map(({ item }) => item);
}

/** The object types present, in the list's order, with how many records each has. */
export function objectCounts(
  items: readonly Pick<SampleResultItem, 'object'>[],
): { object: SampleObject; count: number }[] {
  return ORDER.map((object) => ({ object, count: items.filter((item) => item.object === object).length })).filter(
    (o) => o.count > 0,
  );
}

/** One page of a list; a page past the end (the list shrank under a new filter) becomes the last page. */
export function pageOf<T>(
  items: readonly T[],
  page: number,
  size = SAMPLE_PAGE_SIZE,
): { items: T[]; page: number; pages: number; first: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const at = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(at * size, (at + 1) * size), page: at, pages, first: at * size };
}
