import { ApiError, badRequest, notFound } from '../http/errors';
import type { Router } from '../http/router';
import { indexes } from '../state/indexes';
import type { Store } from '../state/store';
import type { Tag } from '../state/types';
import { bodyObject, optId, requireString } from './common';

function findOrCreateTag(store: Store, name: string): Tag {
  const existing = Object.values(store.state.tags).find((t) => t.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  const tag: Tag = { id: store.nextNumericId('tag'), name, created_at: store.now() };
  store.state.tags[tag.id] = tag;
  store.changed('tags', tag.id);
  return tag;
}

const basic = (tag: Tag): Record<string, unknown> => ({ type: 'tag', id: tag.id, name: tag.name });

export function registerTags(router: Router<Store>): void {
  /** One endpoint, four shapes: create/rename, tag companies, untag companies, tag users. */
  router.add('POST', '/tags', ({ body, store }) => {
    const b = bodyObject(body);
    for (const key of Object.keys(b)) {
      if (!['name', 'id', 'companies', 'users'].includes(key))
        throw badRequest('parameter_invalid', 'invalid tag parameters');
    }
    const name = requireString(b, 'name');
    if (b.companies !== undefined) {
      if (!Array.isArray(b.companies)) throw badRequest('parameter_invalid', 'invalid tag parameters');
      const targets = b.companies.map((entry: unknown) => {
        const e = (entry ?? {}) as Record<string, unknown>;
        const company =
          e.id !== undefined
            ? store.state.companies[String(e.id)]
            : store.state.companies[indexes(store.state).companyByCompanyId.get(String(e.company_id)) ?? ''];
        if (!company || company.archived) throw new ApiError(404, 'company_not_found', 'Company Not Found');
        return { company, untag: e.untag === true };
      });
      const tag = findOrCreateTag(store, name);
      for (const { company, untag } of targets) {
        company.tag_ids = untag
          ? company.tag_ids.filter((id) => id !== tag.id)
          : [...new Set([...company.tag_ids, tag.id])];
        store.changed('companies', company.id);
      }
      return {
        body: {
          ...basic(tag),
          companies: targets.map(({ company, untag }) => ({
            type: 'company',
            id: company.id,
            company_id: company.company_id,
            tagged: !untag,
          })),
        },
      };
    }
    if (b.users !== undefined) {
      if (!Array.isArray(b.users)) throw badRequest('parameter_invalid', 'invalid tag parameters');
      const contacts = b.users.map((entry: unknown) => {
        const contact = store.state.contacts[String(((entry ?? {}) as Record<string, unknown>).id)];
        if (!contact) throw notFound('User Not Found');
        return contact;
      });
      const tag = findOrCreateTag(store, name);
      for (const contact of contacts) {
        if (contact.tag_ids.includes(tag.id)) continue;
        contact.tag_ids.push(tag.id);
        store.changed('contacts', contact.id);
      }
      return { body: { ...basic(tag), users: contacts.map((c) => ({ type: 'user', id: c.id, tagged: true })) } };
    }
    const id = optId(b, 'id');
    if (id !== undefined) {
      const tag = store.state.tags[id];
      if (!tag) throw notFound('Resource Not Found');
      tag.name = name;
      store.changed('tags', tag.id);
      return { body: basic(tag) };
    }
    return { body: basic(findOrCreateTag(store, name)) };
  });

  router.add('GET', '/tags', ({ store }) => ({
    body: { type: 'list', data: Object.values(store.state.tags).map(basic) },
  }));

  router.add('GET', '/tags/:id', ({ params, store }) => {
    const tag = store.state.tags[params.id ?? ''];
    if (!tag) throw notFound('Resource Not Found');
    return { body: basic(tag) };
  });

  router.add('DELETE', '/tags/:id', ({ params, store }) => {
    const tag = store.state.tags[params.id ?? ''];
    if (!tag) throw notFound('Resource Not Found');
    const segments = store.state.segments.filter((s) => s.tag_ids.includes(tag.id));
    if (segments.length > 0) {
      throw badRequest(
        'tag_has_dependent_objects',
        `Unable to delete Tag with dependent objects. Segments: ${segments.map((s) => s.name).join(', ')}.`,
      );
    }
    delete store.state.tags[tag.id];
    store.changed('tags', tag.id);
    // Only the records that carried the tag change (and are logged), not every record.
    for (const c of Object.values(store.state.contacts)) {
      if (!c.tag_ids.includes(tag.id)) continue;
      c.tag_ids = c.tag_ids.filter((id) => id !== tag.id);
      store.changed('contacts', c.id);
    }
    for (const c of Object.values(store.state.companies)) {
      if (!c.tag_ids.includes(tag.id)) continue;
      c.tag_ids = c.tag_ids.filter((id) => id !== tag.id);
      store.changed('companies', c.id);
    }
    for (const c of Object.values(store.state.conversations)) {
      if (!c.tags.some((t) => t.id === tag.id)) continue;
      c.tags = c.tags.filter((t) => t.id !== tag.id);
      store.changed('conversations', c.id);
    }
    for (const t of Object.values(store.state.tickets)) {
      if (!t.tags.some((x) => x.id === tag.id)) continue;
      t.tags = t.tags.filter((x) => x.id !== tag.id);
      store.changed('tickets', t.id);
    }
    return { body: undefined };
  });
}
