import { z } from 'zod';

import { CustomAttributes, Id, Pages, Timestamp } from './common';
import { AdminReplyRequest, byOneContactIdentifier, ContactReplyBase, ConversationPart } from './conversations';

const TicketCategory = z.enum(['Customer', 'Back-office', 'Tracker']);

/** POST /ticket_types. Every type also gets `_default_title_` and `_default_description_`. */
export const CreateTicketTypeRequest = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  category: TicketCategory.optional(),
  icon: z.string().optional(),
  is_internal: z.boolean().optional(),
});
export type CreateTicketTypeRequest = z.input<typeof CreateTicketTypeRequest>;

/** PUT /ticket_types/{id}: `archived: true` is the only removal (there is no DELETE). */
export const UpdateTicketTypeRequest = CreateTicketTypeRequest.partial().extend({ archived: z.boolean().optional() });
export type UpdateTicketTypeRequest = z.input<typeof UpdateTicketTypeRequest>;

const AttributeFlags = {
  required_to_create: z.boolean().optional(),
  required_to_create_for_contacts: z.boolean().optional(),
  visible_on_create: z.boolean().optional(),
  visible_to_contacts: z.boolean().optional(),
  multiline: z.boolean().optional(),
  /** A list's items, comma-delimited ("Low,Medium,High"). */
  list_items: z.string().optional(),
  allow_multiple_values: z.boolean().optional(),
};

export const CreateTicketTypeAttributeRequest = z
  .strictObject({
    name: z.string().min(1),
    description: z.string(),
    data_type: z.enum(['string', 'list', 'integer', 'decimal', 'boolean', 'datetime', 'files']),
    ...AttributeFlags,
  })
  .refine((b) => b.data_type !== 'list' || (b.list_items ?? '').trim() !== '', {
    message: 'list attributes need list_items',
    path: ['list_items'],
  });
export type CreateTicketTypeAttributeRequest = z.input<typeof CreateTicketTypeAttributeRequest>;

export const UpdateTicketTypeAttributeRequest = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  archived: z.boolean().optional(),
  ...AttributeFlags,
});
export type UpdateTicketTypeAttributeRequest = z.input<typeof UpdateTicketTypeAttributeRequest>;

export const TicketTypeAttribute = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  name: z.string(),
  description: z.string().nullish(),
  data_type: z.string(),
  input_options: z.record(z.string(), z.unknown()).nullish(),
  required_to_create: z.boolean().nullish(),
  default: z.boolean().nullish(),
  ticket_type_id: Id.nullish(),
  archived: z.boolean().nullish(),
});
export type TicketTypeAttribute = z.infer<typeof TicketTypeAttribute>;

export const TicketState = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  category: z.string(),
  internal_label: z.string().nullish(),
  external_label: z.string().nullish(),
});
export type TicketState = z.infer<typeof TicketState>;

/**
 * Attributes come under `data` in Intercom's answers and examples, under `ticket_type_attributes`
 * in 2.16's schema: both are read, into `ticket_type_attributes.data`.
 */
const TicketTypeAttributeList = z
  .looseObject({
    data: z.array(TicketTypeAttribute).nullish(),
    ticket_type_attributes: z.array(TicketTypeAttribute).nullish(),
  })
  .transform((list) => ({ ...list, data: list.data ?? list.ticket_type_attributes ?? [] }));

export const TicketType = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  name: z.string(),
  description: z.string().nullish(),
  category: z.string().nullish(),
  icon: z.string().nullish(),
  archived: z.boolean().nullish(),
  is_internal: z.boolean().nullish(),
  ticket_type_attributes: TicketTypeAttributeList.nullish(),
  ticket_states: z.looseObject({ data: z.array(TicketState).nullish() }).nullish(),
});
export type TicketType = z.infer<typeof TicketType>;

export const TicketTypeList = z.looseObject({ type: z.string().nullish(), data: z.array(TicketType) });

export const TicketStateList = z.looseObject({
  type: z.string().nullish(),
  data: z.array(
    TicketState.extend({
      archived: z.boolean().nullish(),
      ticket_types: z.looseObject({ data: z.array(z.looseObject({ id: Id })).nullish() }).nullish(),
    }),
  ),
});

/** Ticket attribute values: a list attribute takes its item's id (or label); files a list of file objects. */
const TicketAttributes = z.record(
  z.string(),
  z.union([CustomAttributes.valueType, z.array(z.record(z.string(), z.unknown()))]),
);

/** POST /tickets. `contacts`: exactly one, by `id`, `external_id` or `email` (an unknown email creates a contact). */
export const CreateTicketRequest = z.strictObject({
  ticket_type_id: z.string().min(1),
  contacts: z
    .array(
      z.union([
        z.strictObject({ id: z.string().min(1) }),
        z.strictObject({ external_id: z.string().min(1) }),
        z.strictObject({ email: z.string().min(1) }),
      ]),
    )
    .length(1),
  company_id: z.string().optional(),
  created_at: Timestamp.optional(),
  ticket_attributes: TicketAttributes.optional(),
  assignment: z
    .strictObject({ admin_assignee_id: z.string().optional(), team_assignee_id: z.string().optional() })
    .optional(),
  conversation_to_link_id: z.string().optional(),
  skip_notifications: z.boolean().optional(),
});
export type CreateTicketRequest = z.input<typeof CreateTicketRequest>;

/** PUT /tickets/{id}. No created_at: state changes are stamped "now". `assignee_id` "0" unassigns. */
export const UpdateTicketRequest = z.strictObject({
  ticket_attributes: TicketAttributes.optional(),
  ticket_state_id: z.string().optional(),
  company_id: z.string().optional(),
  open: z.boolean().optional(),
  is_shared: z.boolean().optional(),
  snoozed_until: Timestamp.optional(),
  admin_id: z.number().int().optional(),
  assignee_id: z.string().optional(),
  skip_notifications: z.boolean().optional(),
});
export type UpdateTicketRequest = z.input<typeof UpdateTicketRequest>;

/** The same fields as an admin conversation reply (2.16's admin_reply_ticket_request; attachment_files win over urls). */
export const AdminTicketReplyRequest = AdminReplyRequest;
export type AdminTicketReplyRequest = z.input<typeof AdminTicketReplyRequest>;

// 2.16's contact_reply_ticket_* take no attachment_files; the ticket endpoint adds skip_notifications.
const { attachment_files: _noFiles, ...ContactTicketReplyBase } = ContactReplyBase;

/** Exactly one of intercom_user_id, user_id or email. Refused on Back-office tickets (400 parameter_mismatch). */
export const ContactTicketReplyRequest = byOneContactIdentifier({
  ...ContactTicketReplyBase,
  skip_notifications: z.boolean().optional(),
});
export type ContactTicketReplyRequest = z.input<typeof ContactTicketReplyRequest>;

/** A ticket part (the answer of a reply, and each part of a ticket): the same shape as a conversation part. */
export const TicketPart = ConversationPart;
export type TicketPart = z.infer<typeof TicketPart>;

export const Ticket = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  /** The Inbox number: never used in paths. */
  ticket_id: Id.nullish(),
  category: z.string().nullish(),
  ticket_attributes: z.record(z.string(), z.unknown()).nullish(),
  ticket_state: TicketState.nullish(),
  ticket_type: TicketType.nullish(),
  contacts: z
    .looseObject({ contacts: z.array(z.looseObject({ id: Id, external_id: z.string().nullish() })).nullish() })
    .nullish(),
  admin_assignee_id: Id.nullish(),
  team_assignee_id: Id.nullish(),
  created_at: Timestamp,
  updated_at: Timestamp.nullish(),
  open: z.boolean().nullish(),
  snoozed_until: Timestamp.nullish(),
  ticket_parts: z
    .looseObject({ ticket_parts: z.array(TicketPart).nullish(), total_count: z.number().nullish() })
    .nullish(),
  is_shared: z.boolean().nullish(),
  previous_ticket_state_id: Id.nullish(),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketList = z.looseObject({
  type: z.string().nullish(),
  tickets: z.array(Ticket),
  total_count: z.number().nullish(),
  pages: Pages.nullish(),
});
