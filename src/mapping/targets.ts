import { MAX_ATTRIBUTE_STRING } from '../model/intercom-limits';
import type { MappedObject } from '../model/mapping';

export type TargetValueType = 'string' | 'email' | 'integer' | 'float' | 'boolean' | 'datetime' | 'html' | 'url';

export interface StandardField {
  name: string;
  type: TargetValueType;
  /** Set by the engine itself (ids and keys); a map may not point another source field at it. */
  reserved?: boolean;
  maxLength?: number;
}

/** Intercom's built-in fields a source value may be mapped onto, per mapped object (API 2.16). */
export const STANDARD_FIELDS: Record<MappedObject, StandardField[]> = {
  companies: [
    { name: 'company_id', type: 'string', reserved: true },
    { name: 'name', type: 'string' },
    { name: 'website', type: 'url' },
    { name: 'industry', type: 'string' },
    { name: 'plan', type: 'string' },
    { name: 'size', type: 'integer' },
    { name: 'remote_created_at', type: 'datetime' },
  ],
  contacts: [
    { name: 'external_id', type: 'string', reserved: true },
    { name: 'email', type: 'email' },
    { name: 'name', type: 'string' },
    { name: 'phone', type: 'string' },
    { name: 'signed_up_at', type: 'datetime' },
    { name: 'last_seen_at', type: 'datetime' },
  ],
  tickets: [
    { name: 'title', type: 'string' },
    { name: 'created_at', type: 'datetime', reserved: true },
  ],
  liveChats: [
    { name: 'title', type: 'string' },
    { name: 'created_at', type: 'datetime', reserved: true },
  ],
  callLogs: [
    { name: 'title', type: 'string' },
    { name: 'created_at', type: 'datetime', reserved: true },
  ],
  kbArticles: [
    { name: 'title', type: 'string' },
    { name: 'description', type: 'string' },
    { name: 'body', type: 'html' },
  ],
};

// Defined once with its source in src/model/intercom-limits.ts.
export { MAX_ATTRIBUTE_STRING };

/** The Intercom model a mapped object's custom attributes belong to. */
export function attributeModel(object: MappedObject): 'contact' | 'company' | 'conversation' | null {
  switch (object) {
    case 'contacts':
      return 'contact';
    case 'companies':
      return 'company';
    case 'tickets':
    case 'liveChats':
    case 'callLogs':
      return 'conversation';
    case 'kbArticles':
      return null;
  }
}

export function standardField(object: MappedObject, name: string): StandardField | undefined {
  return STANDARD_FIELDS[object].find((f) => f.name === name);
}
