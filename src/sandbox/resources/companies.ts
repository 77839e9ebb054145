import { ApiError } from '../http/errors';
import type { Router } from '../http/router';
import { cloneRecord, dict } from '../state/dict';
import { indexes } from '../state/indexes';
import type { Store } from '../state/store';
import type { Company } from '../state/types';
import { type Body, bodyObject, optBool, optId, optInt, optString, rejectUnknownKeys } from './common';
import { checkCustomAttributes } from './custom-attribute-values';
import { numberedPage } from './paging';
import { renderCompany, renderContact, userCount } from './render';

const COMPANY_FIELDS = [
  'name',
  'company_id',
  'plan',
  'size',
  'website',
  'industry',
  'custom_attributes',
  'remote_created_at',
  'update_last_request_at',
  'monthly_spend',
] as const;

const companyNotFound = (): ApiError => new ApiError(404, 'company_not_found', 'Company Not Found');

export function findCompany(store: Store, id: string): Company {
  const company = store.state.companies[id];
  if (!company || company.archived) throw companyNotFound();
  return company;
}

function applyCompanyFields(store: Store, company: Company, b: Body): void {
  const set = <K extends keyof Company>(key: K, value: Company[K] | undefined): void => {
    if (value !== undefined) company[key] = value;
  };
  set('name', optString(b, 'name'));
  set('plan', optString(b, 'plan'));
  set('size', optInt(b, 'size'));
  set('website', optString(b, 'website'));
  set('industry', optString(b, 'industry'));
  optBool(b, 'update_last_request_at');
  if (b.monthly_spend !== undefined && b.monthly_spend !== null) {
    if (typeof b.monthly_spend !== 'number')
      throw new ApiError(400, 'parameter_invalid', 'monthly_spend must be a number', { field: 'monthly_spend' });
    if (Math.abs(b.monthly_spend) > 2 ** 31 - 1)
      throw new ApiError(400, 'parameter_invalid', 'monthly_spend must be at most 2147483647', {
        field: 'monthly_spend',
      });
    company.monthly_spend = Math.trunc(b.monthly_spend); // Intercom truncates floats.
  }
  const custom = checkCustomAttributes(store, 'company', b.custom_attributes);
  for (const [k, v] of Object.entries(custom)) {
    if (v === null) delete company.custom_attributes[k];
    else company.custom_attributes[k] = v;
  }
}

function archiveNow(store: Store, company: Company): void {
  company.archived = true;
  delete company.archive_at_ms;
  company.updated_at = store.now();
  const ix = indexes(store.state);
  ix.pendingArchives.delete(company.id);
  for (const contactId of ix.contactsByCompany.get(company.id) ?? []) {
    const contact = store.state.contacts[contactId];
    if (!contact) continue;
    contact.company_ids = contact.company_ids.filter((id) => id !== company.id);
    store.changed('contacts', contact.id);
  }
  ix.contactsByCompany.delete(company.id);
  store.changed('companies', company.id);
}

/** Carries out the archives whose time has come; runs before every request, so each one sees them done. */
export function settleArchives(store: Store): void {
  const ix = indexes(store.state);
  if (ix.pendingArchives.size === 0) return;
  const now = store.nowMs();
  for (const id of [...ix.pendingArchives]) {
    const company = store.state.companies[id];
    if (!company || company.archived || company.archive_at_ms === undefined) ix.pendingArchives.delete(id);
    else if (company.archive_at_ms <= now) archiveNow(store, company);
  }
}

/** Companies are listed only once a contact is attached, as Intercom does. */
export function listed(store: Store): Company[] {
  return Object.values(store.state.companies).filter((c) => !c.archived && userCount(store, c.id) > 0);
}

export function registerCompanies(router: Router<Store>): void {
  // Create or update keyed on the caller's company_id.
  router.add('POST', '/companies', ({ body, store }) => {
    const b = bodyObject(body);
    rejectUnknownKeys(b, COMPANY_FIELDS);
    const companyId = optId(b, 'company_id');
    const now = store.now();
    const ix = indexes(store.state);
    const existingId = companyId ? ix.companyByCompanyId.get(companyId) : undefined;
    let company = existingId === undefined ? undefined : store.state.companies[existingId];
    if (!company) {
      if (!companyId)
        throw new ApiError(400, 'parameter_not_found', 'company_id is a required parameter.', { field: 'company_id' });
      company = {
        id: store.nextHexId('company'),
        company_id: companyId,
        name: null,
        plan: null,
        size: null,
        website: null,
        industry: null,
        monthly_spend: 0,
        session_count: 0,
        remote_created_at: optInt(b, 'remote_created_at') ?? null,
        custom_attributes: dict(),
        created_at: now,
        updated_at: now,
        archived: false,
        tag_ids: [],
      };
      const draft = company;
      applyCompanyFields(store, draft, b);
      store.state.companies[draft.id] = draft;
      ix.companyByCompanyId.set(draft.company_id, draft.id);
    } else {
      const draft = cloneRecord(company);
      applyCompanyFields(store, draft, b);
      draft.archived = false; // an upsert brings an archived company back, as integrations do
      draft.updated_at = now;
      store.state.companies[draft.id] = draft;
      company = draft;
    }
    store.changed('companies', company.id);
    return { body: renderCompany(store, company) };
  });

  router.add('GET', '/companies', ({ query, store }) => {
    const companyId = query.get('company_id');
    const name = query.get('name');
    if (companyId !== null || name !== null) {
      const byCompanyId = companyId !== null ? indexes(store.state).companyByCompanyId.get(companyId) : undefined;
      const candidate =
        companyId !== null
          ? byCompanyId === undefined
            ? undefined
            : store.state.companies[byCompanyId]
          : Object.values(store.state.companies).find((c) => c.name === name && !c.archived);
      const match = candidate && !candidate.archived ? candidate : undefined;
      if (!match) throw companyNotFound();
      return {
        body: {
          type: 'list',
          data: [renderCompany(store, match)],
          total_count: 1,
          pages: { type: 'pages', next: null, page: 1, per_page: 15, total_pages: 1 },
        },
      };
    }
    const tagId = query.get('tag_id');
    const companies = listed(store).filter((c) => tagId === null || c.tag_ids.includes(tagId));
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

  router.add('GET', '/companies/:id', ({ params, store }) => ({
    body: renderCompany(store, findCompany(store, params.id ?? '')),
  }));

  router.add('PUT', '/companies/:id', ({ params, body, store }) => {
    const company = findCompany(store, params.id ?? '');
    const b = bodyObject(body);
    rejectUnknownKeys(
      b,
      COMPANY_FIELDS.filter((f) => f !== 'company_id' && f !== 'remote_created_at'),
    );
    const draft = cloneRecord(company);
    applyCompanyFields(store, draft, b);
    draft.updated_at = store.now();
    store.state.companies[draft.id] = draft;
    store.changed('companies', draft.id);
    return { body: renderCompany(store, draft) };
  });

  /**
   * Intercom's delete archives the company and detaches its contacts, "asynchronously": the answer is
   * `deleted: true` at once, and the company reads, lists and keeps its contacts until `archiveLagMs`
   * has passed (settleArchives). An upsert in between does not cancel the queued archive: Intercom does
   * not say, and this is the case a client must survive.
   */
  router.add('DELETE', '/companies/:id', ({ params, store }) => {
    const company = findCompany(store, params.id ?? '');
    const lag = store.options.archiveLagMs ?? 0;
    if (lag <= 0) archiveNow(store, company);
    else if (company.archive_at_ms === undefined) {
      company.archive_at_ms = store.nowMs() + lag;
      indexes(store.state).pendingArchives.add(company.id);
      store.changed('companies', company.id);
    }
    return { body: { id: company.id, object: 'company', deleted: true } };
  });

  router.add('GET', '/companies/:id/contacts', ({ params, store }) => {
    const company = findCompany(store, params.id ?? '');
    const ids = [...(indexes(store.state).contactsByCompany.get(company.id) ?? [])];
    const contacts = ids.map((id) => store.state.contacts[id]).filter((c) => c !== undefined);
    return {
      body: {
        type: 'list',
        data: contacts.map((c) => renderContact(store, c)),
        total_count: contacts.length,
        pages: { type: 'pages', next: null, page: 1, per_page: 50, total_pages: 1 },
      },
    };
  });
}
