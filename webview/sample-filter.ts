import type { SampleObject, SampleResultItem } from '../src/model/sample-results';

/** What the sample results list shows: all records or only those that differ, of one object type or all. */
export interface SampleFilter {
  differencesOnly: boolean;
  object: SampleObject | 'all';
  /** Zero-based page of the filtered list. */
  page: number;
}

export const SAMPLE_PAGE_SIZE = 25;

export function filterSampleItems<T extends Pick<SampleResultItem, 'object' | 'mismatches'>>(items: readonly T[], filter: Omit<SampleFilter, 'page'>): T[] {
  return items.filter((item) => (filter.object === 'all' || item.object === filter.object) && (!filter.differencesOnly || item.mismatches.length > 0));
}

/** The object types present, in the order they first appear, with how many records each has. */
export function objectCounts(items: readonly Pick<SampleResultItem, 'object'>[]): { object: SampleObject; count: number }[] {
  const counts = new Map<SampleObject, number>();
  for (const item of items) counts.set(item.object, (counts.get(item.object) ?? 0) + 1);
  return [...counts].map(([object, count]) => ({ object, count }));
}

/** One page of a list; a page past the end (the list shrank under a new filter) becomes the last page. */
export function pageOf<T>(items: readonly T[], page: number, size = SAMPLE_PAGE_SIZE): { items: T[]; page: number; pages: number; first: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const at = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(at * size, (at + 1) * size), page: at, pages, first: at * size };
}
