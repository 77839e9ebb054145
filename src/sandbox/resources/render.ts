import { indexes } from '../state/indexes';
import type { Store } from '../state/store';
import type { Attachment, Company, Contact, Tag } from '../state/types';

/** Fields 2.16's contact schema declares without `nullable`: absent rather than null (a contact without an email). */
const CONTACT_NON_NULLABLE = ['email', 'email_domain'];

/** Renders records the way Intercom's responses shape them (derived lists and counts included). */
export function renderContact(store: Store, c: Contact): Record<string, unknown> {
  const emailDomain = c.email?.split('@')[1] ?? null;
  return withoutNulls(
    {
      type: 'contact',
      id: c.id,
      workspace_id: store.state.workspace.id_code,
      external_id: c.external_id,
      role: c.role,
      email: c.email,
      email_domain: emailDomain,
      phone: c.phone,
      name: c.name,
      owner_id: c.owner_id,
      has_hard_bounced: false,
      marked_email_as_spam: false,
      unsubscribed_from_emails: c.unsubscribed_from_emails,
      created_at: c.created_at,
      updated_at: c.updated_at,
      signed_up_at: c.signed_up_at,
      last_seen_at: c.last_seen_at,
      last_replied_at: null,
      last_contacted_at: null,
      last_email_opened_at: null,
      last_email_clicked_at: null,
      language_override: null,
      browser: null,
      browser_version: null,
      browser_language: null,
      os: null,
      android_app_name: null,
      ios_app_name: null,
      custom_attributes: c.custom_attributes,
      avatar: c.avatar ? { type: 'avatar', image_url: c.avatar } : null,
      tags: addressableList('tag', c.tag_ids, `/contacts/${c.id}/tags`, (id) => `/tags/${id}`),
      notes: addressableList('note', [], `/contacts/${c.id}/notes`, (id) => `/notes/${id}`),
      companies: addressableList('company', c.company_ids, `/contacts/${c.id}/companies`, (id) => `/companies/${id}`),
      location: { type: 'location', country: null, region: null, city: null, country_code: null, continent_code: null },
      social_profiles: { type: 'list', data: [] },
      enabled_push_messaging: null,
    },
    CONTACT_NON_NULLABLE,
  );
}

function addressableList(type: string, ids: string[], url: string, itemUrl: (id: string) => string) {
  return {
    type: 'list',
    data: ids.map((id) => ({ type, id, url: itemUrl(id) })),
    url,
    total_count: ids.length,
    has_more: false,
  };
}

export function userCount(store: Store, companyId: string): number {
  return indexes(store.state).contactsByCompany.get(companyId)?.size ?? 0;
}

/** The object without the listed keys whose value is null (all keys when none are listed). */
export function withoutNulls(record: Record<string, unknown>, keys?: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([key, value]) => value !== null || (keys !== undefined && !keys.includes(key))),
  );
}

/** 2.16's attachment declares width and height as integers: absent when unknown (not an image). */
export function renderAttachment(a: Attachment): Record<string, unknown> {
  return withoutNulls({ ...a }, ['width', 'height']);
}

/** Fields 2.16's company schema declares without `nullable`: absent rather than null. */
const COMPANY_NON_NULLABLE = ['name', 'size', 'website', 'industry', 'remote_created_at', 'last_request_at'];

export function renderCompany(store: Store, c: Company): Record<string, unknown> {
  return withoutNulls(
    {
      type: 'company',
      id: c.id,
      name: c.name,
      app_id: store.state.workspace.id_code,
      company_id: c.company_id,
      remote_created_at: c.remote_created_at,
      created_at: c.created_at,
      updated_at: c.updated_at,
      last_request_at: null,
      size: c.size,
      website: c.website,
      industry: c.industry,
      monthly_spend: c.monthly_spend,
      session_count: c.session_count,
      user_count: userCount(store, c.id),
      custom_attributes: c.custom_attributes,
      plan: c.plan ? { type: 'plan', id: c.plan, name: c.plan } : {},
      tags: { type: 'tag.list', tags: c.tag_ids.map((id) => tagBasic(store.state.tags[id])).filter(Boolean) },
      segments: { type: 'segment.list', segments: [] },
    },
    COMPANY_NON_NULLABLE,
  );
}

export function tagBasic(tag: Tag | undefined): Record<string, unknown> | undefined {
  return tag ? { type: 'tag', id: tag.id, name: tag.name } : undefined;
}
