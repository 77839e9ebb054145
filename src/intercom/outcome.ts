/**
 * What a lookup needs to decide whether a write whose response was lost was applied.
 * Each POST that is not idempotent by nature declares one of these; OutcomeUnknownError carries it
 * and resolve-unknown.ts turns it into "here is the existing object" or "not applied".
 */
export type OutcomeLookup =
  | { kind: 'contact'; external_id?: string; email?: string; role?: string }
  | { kind: 'company'; company_id: string }
  | { kind: 'conversation'; contact_id: string; created_at?: number; body: string; sent_at: number }
  | {
      kind: 'reply';
      conversation_id: string;
      created_at?: number;
      body?: string;
      part_type: string;
      author_id?: string;
      sent_at: number;
    }
  | { kind: 'conversation_state'; conversation_id: string; action: 'close' | 'open' | 'snoozed' | 'assignment'; assignee_id?: string; assignee_type?: 'admin' | 'team' }
  | { kind: 'tag'; name: string }
  | { kind: 'attribute'; model: 'contact' | 'company'; name: string }
  | { kind: 'conversation_attribute'; name: string }
  | { kind: 'collection'; name: string; parent_id?: string | null }
  | { kind: 'article'; title: string; parent_id?: number | string | null };

/** One line naming the lookup, for messages and logs (never includes bodies: they can be long). */
export function describeLookup(lookup: OutcomeLookup): string {
  switch (lookup.kind) {
    case 'contact':
      return `contact ${lookup.external_id !== undefined ? `external_id=${lookup.external_id}` : `email=${lookup.email ?? '?'}`}`;
    case 'company':
      return `company company_id=${lookup.company_id}`;
    case 'conversation':
      return `conversation of contact ${lookup.contact_id} created_at=${lookup.created_at ?? 'now'}`;
    case 'reply':
      return `${lookup.part_type} on conversation ${lookup.conversation_id} created_at=${lookup.created_at ?? 'now'}`;
    case 'conversation_state':
      return `${lookup.action} on conversation ${lookup.conversation_id}`;
    case 'tag':
      return `tag name=${lookup.name}`;
    case 'attribute':
      return `${lookup.model} attribute name=${lookup.name}`;
    case 'conversation_attribute':
      return `conversation attribute name=${lookup.name}`;
    case 'collection':
      return `collection name=${lookup.name}`;
    case 'article':
      return `article title=${lookup.title}`;
  }
}
