import type { Router } from '../http/router';
import type { Store } from '../state/store';
import { findContact } from './contacts';
import { numberedPage } from './paging';

/**
 * Lists about a contact the sandbox keeps nothing of: notes (the API's contact notes; a migration
 * writes conversation notes, not these) and subscription types. Empty, in 2.16's shapes, so a
 * client reading them sees a contact without any rather than a 404.
 */
export function registerContactLists(router: Router<Store>): void {
  router.add('GET', '/contacts/:id/notes', ({ params, query, store }) => {
    findContact(store, params.id ?? '');
    const page = numberedPage([], query.get('page'), query.get('per_page'), 50);
    return { body: { type: 'list', data: page.data, total_count: 0, pages: page.pages } };
  });
  router.add('GET', '/contacts/:id/subscriptions', ({ params, store }) => {
    findContact(store, params.id ?? '');
    return { body: { type: 'list', data: [] } };
  });
}
