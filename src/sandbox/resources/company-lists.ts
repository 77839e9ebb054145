import { badRequest } from '../http/errors';
import type { Router } from '../http/router';
import type { Store } from '../state/store';
import type { Company } from '../state/types';
import { listed } from './companies';
import { decodeCursor, encodeCursor, type ListOrder, numberedPage, sortedBy } from './paging';
import { renderCompany } from './render';

const byId: ListOrder<Company> = { position: (c) => [c.id] };
const SCROLL_PAGE = 50;

/** The listing endpoints of companies beside GET /companies: POST /companies/list and the scroll API. */
export function registerCompanyLists(router: Router<Store>): void {
  // Same listing as GET /companies (companies with a contact attached), paged by number.
  router.add('POST', '/companies/list', ({ query, store }) => {
    const companies = listed(store);
    if (query.get('order') === 'asc') companies.reverse();
    const page = numberedPage(companies, query.get('page'), query.get('per_page'), 15);
    return {
      body: {
        type: 'list',
        data: page.data.map((c) => renderCompany(store, c)),
        total_count: page.total_count,
        pages: page.pages,
      },
    };
  });

  // The scroll API walks every listed company in id order. Its `scroll_param` points at the last
  // company served (so creates and deletes during a scroll neither skip nor repeat others); the
  // first page past the end is empty and has no scroll_param, which ends the walk.
  router.add('GET', '/companies/scroll', ({ query, store }) => {
    const param = query.get('scroll_param');
    const all = sortedBy(listed(store), byId);
    let after: string | undefined;
    if (param !== null && param !== '') {
      const position = decodeScroll(param);
      after = String(position[0]);
    }
    const rest = after === undefined ? all : all.filter((c) => c.id > after);
    const data = rest.slice(0, SCROLL_PAGE);
    const last = data[data.length - 1];
    return {
      body: {
        type: 'list',
        data: data.map((c) => renderCompany(store, c)),
        pages: null,
        total_count: all.length,
        ...(last ? { scroll_param: encodeCursor([last.id]) } : {}),
      },
    };
  });
}

function decodeScroll(param: string): readonly (string | number)[] {
  try {
    return decodeCursor(param);
  } catch {
    throw badRequest('parameter_invalid', 'scroll_param is invalid or expired');
  }
}
