import type { SandboxState } from './types';

/**
 * Lookup tables derived from the state, so rehearsal-sized workspaces (100k contacts) do not make
 * every create a full scan. Built lazily per state object (a reset or reload gets fresh ones) and
 * kept current by the handlers that change the indexed fields.
 */
export interface Indexes {
  /** role=user contacts (archived included) by lower-cased email, and by external_id. */
  userByEmail: Map<string, string>;
  userByExternalId: Map<string, string>;
  companyByCompanyId: Map<string, string>;
  contactsByCompany: Map<string, Set<string>>;
  /** Companies whose DELETE was accepted but whose archiving has not happened yet. */
  pendingArchives: Set<string>;
}

const cache = new WeakMap<SandboxState, Indexes>();

export function indexes(state: SandboxState): Indexes {
  let found = cache.get(state);
  if (!found) {
    found = {
      userByEmail: new Map(),
      userByExternalId: new Map(),
      companyByCompanyId: new Map(),
      contactsByCompany: new Map(),
      pendingArchives: new Set(),
    };
    for (const contact of Object.values(state.contacts)) indexContact(found, contact);
    for (const company of Object.values(state.companies)) {
      found.companyByCompanyId.set(company.company_id, company.id);
      if (company.archive_at_ms !== undefined && !company.archived) found.pendingArchives.add(company.id);
    }
    cache.set(state, found);
  }
  return found;
}

type IndexedContact = {
  id: string;
  role: string;
  email: string | null;
  external_id: string | null;
  company_ids: string[];
};

export function indexContact(ix: Indexes, c: IndexedContact): void {
  if (c.role === 'user') {
    if (c.email) ix.userByEmail.set(c.email.toLowerCase(), c.id);
    if (c.external_id != null) ix.userByExternalId.set(c.external_id, c.id);
  }
  for (const companyId of c.company_ids) linkCompany(ix, companyId, c.id);
}

export function unindexContact(ix: Indexes, c: IndexedContact): void {
  if (c.email && ix.userByEmail.get(c.email.toLowerCase()) === c.id) ix.userByEmail.delete(c.email.toLowerCase());
  if (c.external_id != null && ix.userByExternalId.get(c.external_id) === c.id)
    ix.userByExternalId.delete(c.external_id);
  for (const companyId of c.company_ids) unlinkCompany(ix, companyId, c.id);
}

export function linkCompany(ix: Indexes, companyId: string, contactId: string): void {
  let set = ix.contactsByCompany.get(companyId);
  if (!set) {
    set = new Set();
    ix.contactsByCompany.set(companyId, set);
  }
  set.add(contactId);
}

export function unlinkCompany(ix: Indexes, companyId: string, contactId: string): void {
  ix.contactsByCompany.get(companyId)?.delete(contactId);
}
