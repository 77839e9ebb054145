import { ApiError, badRequest, notFound } from '../http/errors';
import type { Router } from '../http/router';
import { contactSearchField } from '../search/contact-fields';
import { compileQuery, CONTACT_RULES } from '../search/query';
import { cloneRecord, dict } from '../state/dict';
import { indexContact, indexes, linkCompany, unindexContact, unlinkCompany } from '../state/indexes';
import type { Store } from '../state/store';
import type { Contact } from '../state/types';
import { type Body, bodyObject, checkEmail, optBool, optId, optInt, optString, requireId } from './common';
import { checkCustomAttributes } from './custom-attribute-values';
import { comparePositions, cursorPage, type ListOrder, numberedPage, type Position, sortedBy } from './paging';
import { renderCompany, renderContact, tagBasic } from './render';

const MAX_COMPANIES_PER_CONTACT = 1000;

export function findContact(store: Store, id: string): Contact {
  const contact = store.state.contacts[id];
  if (!contact) throw notFound('User Not Found');
  return contact;
}

/** A new contact with nothing set yet (not stored: see addContact). */
export function blankContact(store: Store, role: Contact['role']): Contact {
  const now = store.now();
  return {
    id: store.nextHexId('contact'),
    role,
    external_id: null,
    email: null,
    email_verified: null,
    phone: null,
    name: null,
    avatar: null,
    owner_id: null,
    signed_up_at: null,
    last_seen_at: null,
    unsubscribed_from_emails: false,
    custom_attributes: dict(),
    created_at: now,
    updated_at: now,
    archived: false,
    company_ids: [],
    tag_ids: [],
    searchable_at_ms: store.searchableAtMs(),
  };
}

/** Stores a new contact, indexed and logged. */
export function addContact(store: Store, contact: Contact): void {
  store.state.contacts[contact.id] = contact;
  indexContact(indexes(store.state), contact);
  store.changed('contacts', contact.id);
}

/**
 * Users are unique by email and by external_id, archived ones included; leads are exempt.
 * The 409 message carries the existing id, which clients parse to recover.
 */
function checkUnique(store: Store, candidate: Pick<Contact, 'role' | 'email' | 'external_id'>, selfId?: string): void {
  if (candidate.role !== 'user') return;
  const ix = indexes(store.state);
  const byExternal = candidate.external_id != null ? ix.userByExternalId.get(candidate.external_id) : undefined;
  const byEmail = candidate.email ? ix.userByEmail.get(candidate.email.toLowerCase()) : undefined;
  for (const otherId of [byExternal, byEmail]) {
    const other = otherId === undefined || otherId === selfId ? undefined : store.state.contacts[otherId];
    if (!other) continue;
    const message = other.archived
      ? `An archived contact matching those details already exists with id=${other.id}`
      : `A contact matching those details already exists with id=${other.id}`;
    throw new ApiError(409, 'conflict', message);
  }
}

function readRole(body: Body): 'user' | 'lead' | undefined {
  const role = optString(body, 'role');
  if (role === undefined || role === null) return undefined;
  if (role !== 'user' && role !== 'lead')
    throw new ApiError(400, 'parameter_invalid', `role must be one of user, lead`, { field: 'role' });
  return role;
}

function applyFields(store: Store, contact: Contact, body: Body): void {
  const email = optString(body, 'email');
  checkEmail(email);
  if (body.email_verified !== undefined && email === undefined) {
    throw badRequest('parameter_invalid', 'email_verified must be supplied together with email');
  }
  const set = <K extends keyof Contact>(key: K, value: Contact[K] | undefined): void => {
    if (value !== undefined) contact[key] = value;
  };
  set('email', email);
  set('external_id', body.external_id === null ? null : optId(body, 'external_id'));
  set('phone', optString(body, 'phone'));
  set('name', optString(body, 'name'));
  set('avatar', optString(body, 'avatar'));
  set(
    'owner_id',
    body.owner_id === undefined || body.owner_id === null ? (body.owner_id as null | undefined) : String(body.owner_id),
  );
  set('signed_up_at', optInt(body, 'signed_up_at'));
  set('last_seen_at', optInt(body, 'last_seen_at'));
  set('unsubscribed_from_emails', optBool(body, 'unsubscribed_from_emails'));
  if (body.email_verified !== undefined) contact.email_verified = optBool(body, 'email_verified') ?? null;
  const custom = checkCustomAttributes(store, 'contact', body.custom_attributes);
  for (const [k, v] of Object.entries(custom)) {
    if (v === null) delete contact.custom_attributes[k];
    else contact.custom_attributes[k] = v;
  }
}

/** Contacts list in id order (ids grow with creation time), so a cursor is the last id served. */
const byId: ListOrder<Contact> = { position: (c) => [c.id] };

/** A search's `sort`: by the field's value (nulls first), then id, either way. */
function sortOrder(read: (c: Contact) => unknown, descending: boolean): ListOrder<Contact> {
  const value = (c: Contact): string | number => {
    const v = read(c);
    return typeof v === 'number' ? v : v === null || v === undefined ? '' : String(v).toLowerCase();
  };
  const direction = descending ? -1 : 1;
  return {
    position: (c) => [value(c), c.id],
    compare: (a: Position, b: Position) =>
      direction * comparePositions(a.slice(0, 1), b.slice(0, 1)) || comparePositions(a.slice(1), b.slice(1)),
  };
}

function pageOf(
  store: Store,
  contacts: Contact[],
  order: ListOrder<Contact>,
  perPage: unknown,
  startingAfter: unknown,
  defaultPerPage: number,
) {
  const page = cursorPage(contacts, order, perPage, startingAfter, defaultPerPage);
  return {
    type: 'list',
    data: page.data.map((c) => renderContact(store, c)),
    total_count: page.total_count,
    pages: page.pages,
  };
}

export function registerContacts(router: Router<Store>): void {
  router.add('POST', '/contacts', ({ body, store }) => {
    const b = bodyObject(body);
    if (b.email === undefined && b.external_id === undefined && b.role === undefined) {
      throw badRequest('parameter_not_found', 'email, external_id or role is required');
    }
    const contact = blankContact(store, readRole(b) ?? 'user');
    applyFields(store, contact, b);
    checkUnique(store, contact);
    addContact(store, contact);
    return { body: renderContact(store, contact) };
  });

  router.add('GET', '/contacts', ({ query, store }) => {
    const contacts = sortedBy(
      Object.values(store.state.contacts).filter((c) => !c.archived),
      byId,
    );
    return {
      body: pageOf(
        store,
        contacts,
        byId,
        query.get('per_page') ?? undefined,
        query.get('starting_after') ?? undefined,
        50,
      ),
    };
  });

  router.add('POST', '/contacts/search', ({ body, store }) => {
    const b = bodyObject(body);
    if (b.query === undefined) throw badRequest('parameter_not_found', 'query is a required parameter.');
    const predicate = compileQuery<Contact>(b.query, contactSearchField(store), CONTACT_RULES);
    const visibleAt = store.nowMs();
    const hits = Object.values(store.state.contacts).filter(
      (c) => !c.archived && c.searchable_at_ms <= visibleAt && predicate(c),
    );
    let order = byId;
    const sort = b.sort as { field?: unknown; order?: unknown } | undefined;
    if (sort && typeof sort === 'object') {
      if (sort.order !== undefined && sort.order !== 'ascending' && sort.order !== 'descending') {
        throw badRequest(
          'invalid_sort_order',
          `Invalid sort order '${String(sort.order)}'. Must be one of: ascending, descending`,
        );
      }
      const read = typeof sort.field === 'string' ? contactSearchField(store)(sort.field)?.read : undefined;
      if (read) order = sortOrder(read, sort.order === 'descending');
    }
    const pagination = (b.pagination ?? {}) as { per_page?: unknown; starting_after?: unknown };
    return { body: pageOf(store, sortedBy(hits, order), order, pagination.per_page, pagination.starting_after, 50) };
  });

  router.add('GET', '/contacts/find_by_external_id/:external_id', ({ params, store }) => {
    const id = indexes(store.state).userByExternalId.get(params.external_id ?? '');
    const contact = id === undefined ? undefined : store.state.contacts[id];
    if (!contact || contact.archived) throw notFound('User Not Found');
    return { body: renderContact(store, contact) };
  });

  router.add('GET', '/contacts/:id', ({ params, store }) => ({
    body: renderContact(store, findContact(store, params.id ?? '')),
  }));

  router.add('PUT', '/contacts/:id', ({ params, body, store }) => {
    const contact = findContact(store, params.id ?? '');
    const b = bodyObject(body);
    const draft: Contact = cloneRecord(contact);
    const role = readRole(b);
    if (role) draft.role = role;
    applyFields(store, draft, b);
    checkUnique(store, draft, contact.id);
    draft.updated_at = store.now();
    const ix = indexes(store.state);
    unindexContact(ix, contact);
    store.state.contacts[contact.id] = draft;
    indexContact(ix, draft);
    store.changed('contacts', contact.id);
    return { body: renderContact(store, draft) };
  });

  router.add('DELETE', '/contacts/:id', ({ params, store }) => {
    const contact = findContact(store, params.id ?? '');
    delete store.state.contacts[contact.id];
    unindexContact(indexes(store.state), contact);
    // Deleting a contact removes all of its conversations (Intercom help center).
    for (const conversation of Object.values(store.state.conversations)) {
      if (!conversation.contact_ids.includes(contact.id)) continue;
      delete store.state.conversations[conversation.id];
      store.changed('conversations', conversation.id);
    }
    store.changed('contacts', contact.id);
    return { body: { type: 'contact', id: contact.id, external_id: contact.external_id, deleted: true } };
  });

  for (const archived of [true, false]) {
    router.add('POST', `/contacts/:id/${archived ? 'archive' : 'unarchive'}`, ({ params, store }) => {
      const contact = findContact(store, params.id ?? '');
      contact.archived = archived;
      contact.updated_at = store.now();
      store.changed('contacts', contact.id);
      return { body: { type: 'contact', id: contact.id, external_id: contact.external_id, archived } };
    });
  }

  // The list key is `companies`: the 2.16 schema `contact_attached_companies` (and the SDK generated
  // from Intercom's definition, which reads `companies`) says so; only the 2.16 example shows `data`.
  router.add('GET', '/contacts/:id/companies', ({ params, query, store }) => {
    const contact = findContact(store, params.id ?? '');
    const companies = contact.company_ids.map((id) => store.state.companies[id]).filter((c) => c !== undefined);
    const page = numberedPage(
      companies,
      query.get('page'),
      query.get('per_page'),
      50,
      60,
      `/contacts/${contact.id}/companies`,
    );
    return {
      body: {
        type: 'list',
        companies: page.data.map((c) => renderCompany(store, c)),
        total_count: page.total_count,
        pages: page.pages,
      },
    };
  });

  router.add('POST', '/contacts/:id/companies', ({ params, body, store }) => {
    const contact = findContact(store, params.id ?? '');
    const b = bodyObject(body);
    if (b.id === undefined || b.id === null || b.id === '')
      throw badRequest('parameter_not_found', 'company not specified');
    const companyId = requireId(b, 'id');
    const company = store.state.companies[companyId];
    if (!company || company.archived) throw new ApiError(404, 'company_not_found', 'Company Not Found');
    if (!contact.company_ids.includes(company.id)) {
      if (contact.company_ids.length >= MAX_COMPANIES_PER_CONTACT) {
        throw badRequest(
          'contact_company_limit_exceeded',
          'Contact has reached the maximum of 1000 company associations',
        );
      }
      contact.company_ids.push(company.id);
      linkCompany(indexes(store.state), company.id, contact.id);
      contact.updated_at = store.now();
      store.changed('contacts', contact.id);
    }
    return { body: renderCompany(store, company) };
  });

  router.add('DELETE', '/contacts/:id/companies/:company_id', ({ params, store }) => {
    const contact = findContact(store, params.id ?? '');
    const company = store.state.companies[params.company_id ?? ''];
    if (!company || !contact.company_ids.includes(company.id))
      throw new ApiError(404, 'company_not_found', 'Company Not Found');
    contact.company_ids = contact.company_ids.filter((id) => id !== company.id);
    unlinkCompany(indexes(store.state), company.id, contact.id);
    store.changed('contacts', contact.id);
    return { body: renderCompany(store, company) };
  });

  router.add('GET', '/contacts/:id/tags', ({ params, store }) => {
    const contact = findContact(store, params.id ?? '');
    return {
      body: { type: 'list', data: contact.tag_ids.map((id) => tagBasic(store.state.tags[id])).filter(Boolean) },
    };
  });

  router.add('POST', '/contacts/:id/tags', ({ params, body, store }) => {
    const contact = findContact(store, params.id ?? '');
    const tagId = requireId(bodyObject(body), 'id');
    const tag = store.state.tags[tagId];
    if (!tag) throw notFound('Resource Not Found');
    if (!contact.tag_ids.includes(tag.id)) {
      contact.tag_ids.push(tag.id);
      store.changed('contacts', contact.id);
    }
    return { body: { type: 'tag', id: tag.id, name: tag.name } };
  });

  router.add('DELETE', '/contacts/:id/tags/:tag_id', ({ params, store }) => {
    const contact = findContact(store, params.id ?? '');
    const tag = store.state.tags[params.tag_id ?? ''];
    if (!tag) throw notFound('Resource Not Found');
    contact.tag_ids = contact.tag_ids.filter((id) => id !== tag.id);
    store.changed('contacts', contact.id);
    return { body: { type: 'tag', id: tag.id, name: tag.name } };
  });
}
