import type { Store } from '../state/store';
import type { Contact } from '../state/types';
import type { FieldType, SearchField } from './query';

type Field = SearchField<Contact>;
const str = (read: Field['read']): Field => ({ read, type: 'string' });
const date = (read: Field['read']): Field => ({ read, type: 'date' });
const bool = (read: Field['read']): Field => ({ read, type: 'boolean' });
const none = (type: FieldType): Field => ({ read: () => null, type });

/**
 * The searchable contact fields of 2.16's table, with their types. Fields the sandbox keeps no value
 * for (devices, location, email engagement) are searchable and hold nothing, as on a contact that
 * never used the Messenger. `company_id` is not in Intercom's table; kept for tests that used it.
 */
const FIELDS: Record<string, Field> = {
  id: str((c) => c.id),
  role: str((c) => c.role),
  name: str((c) => c.name),
  avatar: str((c) => c.avatar),
  owner_id: str((c) => c.owner_id),
  email: str((c) => c.email),
  email_domain: str((c) => c.email?.split('@')[1] ?? null),
  phone: str((c) => c.phone),
  formatted_phone: str((c) => c.phone?.replace(/[^\d+]/g, '') ?? null),
  external_id: str((c) => c.external_id),
  created_at: date((c) => c.created_at),
  signed_up_at: date((c) => c.signed_up_at),
  updated_at: date((c) => c.updated_at),
  last_seen_at: date((c) => c.last_seen_at),
  last_contacted_at: none('date'),
  last_replied_at: none('date'),
  last_email_opened_at: none('date'),
  last_email_clicked_at: none('date'),
  language_override: none('string'),
  browser: none('string'),
  browser_language: none('string'),
  os: none('string'),
  'location.country': none('string'),
  'location.region': none('string'),
  'location.city': none('string'),
  unsubscribed_from_emails: bool((c) => c.unsubscribed_from_emails),
  marked_email_as_spam: bool(() => false),
  has_hard_bounced: bool(() => false),
  ios_last_seen_at: none('date'),
  ios_app_version: none('string'),
  ios_device: none('string'),
  ios_app_device: none('string'),
  ios_os_version: none('string'),
  ios_app_name: none('string'),
  ios_sdk_version: none('string'),
  android_last_seen_at: none('date'),
  android_app_version: none('string'),
  android_device: none('string'),
  android_app_name: none('string'),
  andoid_sdk_version: none('string'), // sic: Intercom's table spells it so
  android_sdk_version: none('string'),
  tag_id: { read: (c) => c.tag_ids, type: 'string', operators: ['=', '!='] },
  company_id: str((c) => c.company_ids),
};

const ATTRIBUTE_TYPES: Record<string, FieldType> = {
  integer: 'integer',
  float: 'integer',
  decimal: 'integer',
  date: 'date',
  datetime: 'date',
  boolean: 'boolean',
};

export function contactSearchField(store: Store): (name: string) => Field | undefined {
  return (name) => {
    if (name.startsWith('custom_attributes.')) {
      const key = name.slice('custom_attributes.'.length);
      const attribute = Object.values(store.state.dataAttributes).find(
        (a) => a.model === 'contact' && a.name === key && !a.archived,
      );
      if (!attribute) return undefined;
      return { read: (c) => c.custom_attributes[key], type: ATTRIBUTE_TYPES[attribute.data_type] ?? 'string' };
    }
    if (name === 'segment_id') {
      return {
        read: (c) => store.state.segments.filter((s) => s.tag_ids.some((t) => c.tag_ids.includes(t))).map((s) => s.id),
        type: 'string',
        operators: ['=', '!='],
      };
    }
    return Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
  };
}
