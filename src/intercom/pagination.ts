import type { Pages } from './schemas/common';

/** One page as the endpoint returned it: the items and the `pages` object. */
export interface Page<T> {
  items: T[];
  pages: Pages | null | undefined;
}

/** Where the next page starts: a cursor, a page number, or nowhere. */
export type NextPage = { starting_after: string } | { page: number } | undefined;

export function nextPageOf(pages: Pages | null | undefined): NextPage {
  if (pages == null) return undefined;
  const next = pages.next;
  if (next != null && typeof next === 'object' && next.starting_after != null)
    return { starting_after: next.starting_after };
  // Link style (`next` is a URL) or page numbers: ask for the following page number.
  const page = pages.page ?? (next != null && typeof next === 'object' ? (next.page ?? 1) - 1 : undefined);
  if (page == null) return undefined;
  if (typeof next === 'string' && next !== '') return { page: page + 1 };
  if (pages.total_pages != null && page < pages.total_pages) return { page: page + 1 };
  return undefined;
}

/**
 * Walks every page of a list or search endpoint. Cursor endpoints page with `starting_after`; the
 * few page-numbered ones with `page`. Stops when `pages.next` is absent.
 */
export async function* paginate<T>(
  fetchPage: (next: NextPage) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let next: NextPage;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(next);
    for (const item of page.items) yield item;
    next = nextPageOf(page.pages);
    if (next === undefined || page.items.length === 0) return;
    // A server repeating a cursor would loop forever; stop instead.
    const key = JSON.stringify(next);
    if (seen.has(key)) return;
    seen.add(key);
  }
}
