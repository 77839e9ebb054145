import { lookupFor } from '../outcome';
import { paginate } from '../pagination';
import type { SearchQuery } from '../schemas/common';
import { Company, ContactCompanies } from '../schemas/companies';
import type { Contact, CreateContactRequest, UpdateContactRequest } from '../schemas/contacts';
import {
  Contact as ContactSchema,
  ContactArchiveState,
  ContactDeleted,
  ContactList,
  CreateContactRequest as CreateContactRequestSchema,
  UpdateContactRequest as UpdateContactRequestSchema,
} from '../schemas/contacts';
import type { Tag } from '../schemas/tags';
import { TagList } from '../schemas/tags';
import { Endpoints, orUndefined, searchHits, seg, validated } from './shared';

export class ContactsApi extends Endpoints {
  /**
   * Creates a contact. Not idempotent (leads have no uniqueness), so a lost response becomes
   * OutcomeUnknownError with a contact lookup. A duplicate user is a ConflictError carrying the
   * existing id.
   */
  async create(body: CreateContactRequest): Promise<Contact> {
    const label =
      body.external_id !== undefined
        ? `external_id=${body.external_id}`
        : body.email !== undefined
          ? `email=${body.email}`
          : undefined;
    const request = this.transport.describe({ method: 'POST', path: '/contacts', label });
    const data = validated(CreateContactRequestSchema, body, request);
    const sentAtMs = performance.now();
    const contact = await this.transport.request({
      method: 'POST',
      path: '/contacts',
      body: data,
      label,
      response: ContactSchema,
      replay: { lookup: lookupFor.contactCreate(data) },
    });
    this.transport.noteContactCreated(contact.id);
    this.transport.witnesses.record('contacts', contact.id, sentAtMs);
    return contact;
  }

  async update(contactId: string, body: UpdateContactRequest): Promise<Contact> {
    const path = `/contacts/${seg(contactId)}`;
    const data = validated(UpdateContactRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: ContactSchema, contactId });
  }

  async get(contactId: string): Promise<Contact> {
    return this.transport.request({
      method: 'GET',
      path: `/contacts/${seg(contactId)}`,
      response: ContactSchema,
      contactId,
    });
  }

  /** Users only (Intercom does not find leads this way). Undefined when there is none. */
  async findByExternalId(externalId: string): Promise<Contact | undefined> {
    return orUndefined(
      this.transport.request({
        method: 'GET',
        path: `/contacts/find_by_external_id/${seg(externalId)}`,
        label: `external_id=${externalId}`,
        response: ContactSchema,
      }),
    );
  }

  /**
   * Every contact matching the query. Search is eventually consistent: a contact created moments
   * (up to minutes) ago may be missing.
   */
  search(query: SearchQuery, perPage = 50): AsyncGenerator<Contact> {
    return searchHits(this.transport, '/contacts/search', query, perPage, ContactList, (page) => ({
      items: page.data,
      pages: page.pages,
    }));
  }

  /** Every contact, paged with starting_after. */
  list(perPage = 150): AsyncGenerator<Contact> {
    return paginate(async (next) => {
      const page = await this.transport.request({
        method: 'GET',
        path: '/contacts',
        query: {
          per_page: perPage,
          ...(next !== undefined && 'starting_after' in next ? { starting_after: next.starting_after } : {}),
        },
        response: ContactList,
      });
      return { items: page.data, pages: page.pages };
    });
  }

  /** Permanent; also removes the contact's conversations. */
  async delete(contactId: string): Promise<{ id: string; deleted: boolean }> {
    this.transport.forgetContact(contactId);
    return this.transport.request({ method: 'DELETE', path: `/contacts/${seg(contactId)}`, response: ContactDeleted });
  }

  async archive(contactId: string): Promise<{ id: string; archived: boolean }> {
    return this.transport.request({
      method: 'POST',
      path: `/contacts/${seg(contactId)}/archive`,
      response: ContactArchiveState,
      replay: { idempotent: 'archiving an archived contact leaves it archived' },
      contactId,
    });
  }

  async unarchive(contactId: string): Promise<{ id: string; archived: boolean }> {
    return this.transport.request({
      method: 'POST',
      path: `/contacts/${seg(contactId)}/unarchive`,
      response: ContactArchiveState,
      replay: { idempotent: 'unarchiving an active contact leaves it active' },
      contactId,
    });
  }

  /** Attaches a company (Intercom's company `id`, not your company_id). */
  async attachCompany(contactId: string, companyId: string): Promise<Company> {
    return this.transport.request({
      method: 'POST',
      path: `/contacts/${seg(contactId)}/companies`,
      body: { id: companyId },
      label: `company=${companyId}`,
      response: Company,
      replay: { idempotent: 'attaching an attached company changes nothing' },
      contactId,
    });
  }

  /** Every company attached to the contact (the contact object itself shows at most 10). */
  companies(contactId: string): AsyncGenerator<Company> {
    return paginate(async (next) => {
      const page = await this.transport.request({
        method: 'GET',
        path: `/contacts/${seg(contactId)}/companies`,
        query: next !== undefined && 'page' in next ? { page: next.page } : {},
        response: ContactCompanies,
        contactId,
      });
      return { items: page.companies ?? page.data ?? [], pages: page.pages };
    });
  }

  /** Every tag on the contact (the contact object itself shows at most 10). */
  async tags(contactId: string): Promise<Tag[]> {
    return (
      await this.transport.request({
        method: 'GET',
        path: `/contacts/${seg(contactId)}/tags`,
        response: TagList,
        contactId,
      })
    ).data;
  }

  async detachCompany(contactId: string, companyId: string): Promise<Company> {
    return this.transport.request({
      method: 'DELETE',
      path: `/contacts/${seg(contactId)}/companies/${seg(companyId)}`,
      response: Company,
      contactId,
    });
  }
}
