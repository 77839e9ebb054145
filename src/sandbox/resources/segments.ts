import { notFound } from '../http/errors';
import type { Router } from '../http/router';
import type { Store } from '../state/store';
import { findCompany } from './companies';
import { findContact } from './contacts';

type Segment = Store['state']['segments'][number];

/**
 * Segments come from the seed or `POST /__sandbox/segments` (the API cannot create them). A sandbox
 * segment is a set of tags: a contact or company is in it when it carries one of them.
 */
function render(store: Store, s: Segment): Record<string, unknown> {
  const at = store.state.workspace.created_at;
  return { type: 'segment', id: s.id, name: s.name, created_at: at, updated_at: at, person_type: 'user' };
}

const holds = (s: Segment, tagIds: readonly string[]): boolean => s.tag_ids.some((id) => tagIds.includes(id));

export function registerSegments(router: Router<Store>): void {
  router.add('GET', '/segments', ({ store }) => ({
    body: { type: 'segment.list', segments: store.state.segments.map((s) => render(store, s)) },
  }));
  router.add('GET', '/segments/:id', ({ params, store }) => {
    const segment = store.state.segments.find((s) => s.id === params.id);
    if (!segment) throw notFound('Resource Not Found');
    return { body: render(store, segment) };
  });
  router.add('GET', '/contacts/:id/segments', ({ params, store }) => {
    const contact = findContact(store, params.id ?? '');
    return {
      body: {
        type: 'list',
        data: store.state.segments.filter((s) => holds(s, contact.tag_ids)).map((s) => render(store, s)),
      },
    };
  });
  router.add('GET', '/companies/:id/segments', ({ params, store }) => {
    const company = findCompany(store, params.id ?? '');
    return {
      body: {
        type: 'list',
        data: store.state.segments.filter((s) => holds(s, company.tag_ids)).map((s) => render(store, s)),
      },
    };
  });
}
