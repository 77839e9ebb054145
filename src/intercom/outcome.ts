import type { CreateContactRequest } from './schemas/contacts';
import type {
  AdminReplyRequest,
  ContactReplyRequest,
  ConversationPartRequest,
  CreateConversationRequest,
} from './schemas/conversations';
import type { CreateConversationAttributeRequest, CreateDataAttributeRequest } from './schemas/data-attributes';
import type { CreateArticleRequest, CreateCollectionRequest } from './schemas/help-center';
import type {
  AdminTicketReplyRequest,
  ContactTicketReplyRequest,
  CreateTicketRequest,
  CreateTicketTypeAttributeRequest,
  CreateTicketTypeRequest,
} from './schemas/tickets';

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
  | {
      kind: 'ticket';
      /** The ticket's one contact, as the create named it. */
      contact: { id: string } | { external_id: string } | { email: string };
      ticket_type_id: string;
      created_at?: number;
      title?: string;
      /** The text attributes the create sent: the ticket found must hold each (a source key among them tells two tickets of one moment apart). */
      attributes?: Record<string, string>;
      sent_at: number;
    }
  | {
      kind: 'ticket_reply';
      ticket_id: string;
      created_at?: number;
      body?: string;
      part_type: string;
      author_id?: string;
      sent_at: number;
    }
  | { kind: 'ticket_type'; name: string }
  | { kind: 'ticket_type_attribute'; ticket_type_id: string; name: string }
  | {
      kind: 'conversation_state';
      conversation_id: string;
      action: 'close' | 'open' | 'snoozed' | 'assignment';
      assignee_id?: string;
      assignee_type?: 'admin' | 'team';
    }
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
    case 'ticket':
      return `ticket of contact ${Object.values(lookup.contact)[0] ?? '?'} created_at=${lookup.created_at ?? 'now'}`;
    case 'ticket_reply':
      return `${lookup.part_type} on ticket ${lookup.ticket_id} created_at=${lookup.created_at ?? 'now'}`;
    case 'ticket_type':
      return `ticket type name=${lookup.name}`;
    case 'ticket_type_attribute':
      return `attribute name=${lookup.name} of ticket type ${lookup.ticket_type_id}`;
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

/**
 * The lookup for each non-idempotent write, built from its request body. The endpoints use these;
 * a caller that journals a write before sending it can build (and store) the same lookup, so a
 * crash between sending and recording the answer is resolved exactly like a lost response.
 * `sentAt` (Unix seconds) bounds the search when the body carries no created_at.
 */
export const lookupFor = {
  contactCreate(body: CreateContactRequest): OutcomeLookup {
    return {
      kind: 'contact',
      ...(body.external_id !== undefined ? { external_id: body.external_id } : {}),
      ...(body.email !== undefined ? { email: body.email } : {}),
      ...(body.role !== undefined ? { role: body.role } : {}),
    };
  },
  conversationCreate(body: CreateConversationRequest, sentAt: number): OutcomeLookup {
    return {
      kind: 'conversation',
      contact_id: body.from.id,
      body: body.body,
      sent_at: sentAt,
      ...(body.created_at !== undefined ? { created_at: body.created_at } : {}),
    };
  },
  contactReply(conversationId: string, body: ContactReplyRequest, sentAt: number): OutcomeLookup {
    const author = 'intercom_user_id' in body ? body.intercom_user_id : undefined;
    return {
      kind: 'reply',
      conversation_id: conversationId,
      part_type: 'comment',
      body: body.body,
      sent_at: sentAt,
      ...(author !== undefined ? { author_id: author } : {}),
      ...(body.created_at !== undefined ? { created_at: body.created_at } : {}),
    };
  },
  adminReply(conversationId: string, body: AdminReplyRequest, sentAt: number): OutcomeLookup {
    return {
      kind: 'reply',
      conversation_id: conversationId,
      part_type: body.message_type === 'note' ? 'note' : 'comment',
      author_id: body.admin_id,
      sent_at: sentAt,
      ...(body.body !== undefined ? { body: body.body } : {}),
      ...(body.created_at !== undefined ? { created_at: body.created_at } : {}),
    };
  },
  ticketCreate(body: CreateTicketRequest, sentAt: number): OutcomeLookup {
    const title = body.ticket_attributes?._default_title_;
    const texts = Object.entries(body.ticket_attributes ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_default_title_',
    );
    return {
      kind: 'ticket',
      contact: body.contacts[0]!,
      ticket_type_id: body.ticket_type_id,
      sent_at: sentAt,
      ...(body.created_at !== undefined ? { created_at: body.created_at } : {}),
      ...(typeof title === 'string' ? { title } : {}),
      ...(texts.length ? { attributes: Object.fromEntries(texts) } : {}),
    };
  },
  /** The same decision as a conversation reply, made on the ticket's parts. */
  ticketReply(
    ticketId: string,
    body: AdminTicketReplyRequest | ContactTicketReplyRequest,
    sentAt: number,
  ): OutcomeLookup {
    const reply =
      body.type === 'admin'
        ? lookupFor.adminReply(ticketId, body, sentAt)
        : lookupFor.contactReply(ticketId, body, sentAt);
    if (reply.kind !== 'reply') throw new Error('a reply lookup is a reply');
    const { kind: _kind, conversation_id: _conversation, ...rest } = reply;
    return { kind: 'ticket_reply', ticket_id: ticketId, ...rest };
  },
  ticketType(body: CreateTicketTypeRequest): OutcomeLookup {
    return { kind: 'ticket_type', name: body.name };
  },
  ticketTypeAttribute(ticketTypeId: string, body: CreateTicketTypeAttributeRequest): OutcomeLookup {
    return { kind: 'ticket_type_attribute', ticket_type_id: ticketTypeId, name: body.name };
  },
  conversationPart(conversationId: string, body: ConversationPartRequest): OutcomeLookup {
    return {
      kind: 'conversation_state',
      conversation_id: conversationId,
      action: body.message_type,
      ...(body.message_type === 'assignment' ? { assignee_id: body.assignee_id, assignee_type: body.type } : {}),
    };
  },
  dataAttribute(body: CreateDataAttributeRequest): OutcomeLookup {
    return { kind: 'attribute', model: body.model, name: body.name };
  },
  conversationAttribute(body: CreateConversationAttributeRequest): OutcomeLookup {
    return { kind: 'conversation_attribute', name: body.name };
  },
  collection(body: CreateCollectionRequest): OutcomeLookup {
    return { kind: 'collection', name: body.name, parent_id: body.parent_id ?? null };
  },
  article(body: CreateArticleRequest): OutcomeLookup {
    return { kind: 'article', title: body.title, parent_id: body.parent_id ?? null };
  },
};
