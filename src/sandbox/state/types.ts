import { z } from 'zod';

import { dict, dictOf } from './dict';
import { defaultTicketStates } from './ticket-states';

/**
 * The sandbox's whole state, JSON-serialisable so it can be persisted, inspected and reloaded.
 * Records keep Intercom's field names; derived fields (counts, lists) are computed when rendered.
 */
const attributes = dictOf(z.unknown());
const nullableString = z.string().nullable();
const nullableInt = z.number().int().nullable();

export const workspaceSchema = z.object({
  id_code: z.string(),
  name: z.string(),
  region: z.string(),
  timezone: z.string(),
  created_at: z.number().int(),
});

export const adminSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  job_title: nullableString.default(null),
  team_ids: z.array(z.number().int()).default([]),
  has_inbox_seat: z.boolean().default(true),
  away_mode_enabled: z.boolean().default(false),
});

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  admin_ids: z.array(z.number().int()).default([]),
});

export const helpCenterSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  display_name: z.string(),
  website_turned_on: z.boolean().default(false),
  default: z.boolean().default(false),
  created_at: z.number().int(),
});

export const segmentSchema = z.object({ id: z.string(), name: z.string(), tag_ids: z.array(z.string()) });

const contactSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'lead']),
  external_id: nullableString,
  email: nullableString,
  email_verified: z.boolean().nullable(),
  phone: nullableString,
  name: nullableString,
  avatar: nullableString,
  owner_id: nullableString,
  signed_up_at: nullableInt,
  last_seen_at: nullableInt,
  unsubscribed_from_emails: z.boolean(),
  custom_attributes: attributes,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  archived: z.boolean(),
  company_ids: z.array(z.string()),
  tag_ids: z.array(z.string()),
  /** Epoch ms from which search sees the contact (emulates Intercom's search lag). */
  searchable_at_ms: z.number(),
});

const companySchema = z.object({
  id: z.string(),
  company_id: z.string(),
  name: nullableString,
  plan: nullableString,
  size: nullableInt,
  website: nullableString,
  industry: nullableString,
  monthly_spend: z.number().int(),
  session_count: z.number().int(),
  remote_created_at: nullableInt,
  custom_attributes: attributes,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  archived: z.boolean(),
  tag_ids: z.array(z.string()),
  /** Epoch ms at which an accepted DELETE takes effect (Intercom archives companies asynchronously). */
  archive_at_ms: z.number().optional(),
});

const tagSchema = z.object({ id: z.string(), name: z.string(), created_at: z.number().int() });

const dataAttributeSchema = z.object({
  id: z.number().int(),
  model: z.enum(['contact', 'company']),
  name: z.string(),
  description: z.string(),
  data_type: z.string(),
  options: z.array(z.string()),
  messenger_writable: z.boolean(),
  archived: z.boolean(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

const conversationAttributeSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  data_type: z.string(),
  required: z.boolean(),
  visible_to_team_ids: z.array(z.string()),
  archived: z.boolean(),
  multiline: z.boolean().optional(),
  options: z.array(z.object({ id: z.string(), label: z.string(), archived: z.boolean() })).optional(),
  reference: z.object({ type: z.string(), object_type_id: z.string().optional() }).optional(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

const attachmentSchema = z.object({
  type: z.literal('upload'),
  name: z.string(),
  url: z.string(),
  content_type: z.string(),
  filesize: z.number().int(),
  width: nullableInt,
  height: nullableInt,
});

const authorSchema = z.object({ type: z.string(), id: z.string() });

const conversationPartSchema = z.object({
  id: z.string(),
  part_type: z.string(),
  body: nullableString,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  notified_at: z.number().int(),
  author: authorSchema,
  assigned_to: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  attachments: z.array(attachmentSchema),
  skip_notifications: z.boolean().optional(),
});

const conversationSchema = z.object({
  id: z.string(),
  message_id: z.string(),
  title: nullableString,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  source_type: z.string(),
  source_body: z.string(),
  source_subject: z.string(),
  source_author: authorSchema,
  source_attachments: z.array(attachmentSchema),
  contact_ids: z.array(z.string()),
  state: z.enum(['open', 'closed', 'snoozed']),
  read: z.boolean(),
  priority: z.string(),
  admin_assignee_id: z.number().int(),
  team_assignee_id: z.number().int(),
  snoozed_until: nullableInt,
  waiting_since: nullableInt,
  company_id: nullableString,
  custom_attributes: attributes,
  tags: z.array(z.object({ id: z.string(), applied_at: z.number().int(), applied_by: authorSchema })),
  parts: z.array(conversationPartSchema),
  searchable_at_ms: z.number(),
});

export const ticketTypeAttributeSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  data_type: z.enum(['string', 'list', 'integer', 'decimal', 'boolean', 'datetime', 'files']),
  multiline: z.boolean(),
  list_options: z.array(z.object({ id: z.string(), label: z.string(), archived: z.boolean() })).optional(),
  allow_multiple_values: z.boolean(),
  order: z.number().int(),
  required_to_create: z.boolean(),
  required_to_create_for_contacts: z.boolean(),
  visible_on_create: z.boolean(),
  visible_to_contacts: z.boolean(),
  /** `_default_title_` and `_default_description_`, which every ticket type has. */
  default: z.boolean(),
  archived: z.boolean(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export const ticketCategorySchema = z.enum(['Customer', 'Back-office', 'Tracker']);

export const ticketTypeSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  category: ticketCategorySchema,
  icon: z.string(),
  is_internal: z.boolean(),
  archived: z.boolean(),
  attributes: z.array(ticketTypeAttributeSchema),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

/** A workspace's ticket states: each belongs to the ticket-type categories listed (not to single types). */
const ticketStateSchema = z.object({
  id: z.string(),
  category: z.enum(['submitted', 'in_progress', 'waiting_on_customer', 'resolved']),
  internal_label: z.string(),
  external_label: z.string(),
  ticket_categories: z.array(ticketCategorySchema),
  archived: z.boolean(),
});

export const ticketSchema = z.object({
  id: z.string(),
  /** The Inbox number ("do not use ticket_id for API queries"). */
  ticket_id: z.string(),
  ticket_type_id: z.string(),
  ticket_state_id: z.string(),
  previous_ticket_state_id: nullableString,
  open: z.boolean(),
  is_shared: z.boolean(),
  contact_ids: z.array(z.string()),
  company_id: nullableString,
  ticket_attributes: attributes,
  admin_assignee_id: z.number().int(),
  team_assignee_id: z.number().int(),
  snoozed_until: nullableInt,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  tags: z.array(z.object({ id: z.string(), applied_at: z.number().int(), applied_by: authorSchema })),
  parts: z.array(conversationPartSchema),
  searchable_at_ms: z.number(),
});

const collectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: nullableString,
  parent_id: nullableString,
  help_center_id: z.number().int(),
  translated_content: z.unknown().optional(),
  order: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

const articleSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: nullableString,
  body: nullableString,
  author_id: z.number().int(),
  state: z.enum(['published', 'draft']),
  parent_id: nullableInt,
  parent_type: nullableString,
  translated_content: z.unknown().optional(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

const customObjectInstanceSchema = z.object({
  id: z.string(),
  type: z.string(),
  external_id: z.string(),
  external_created_at: nullableInt,
  external_updated_at: nullableInt,
  custom_attributes: attributes,
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export const sandboxStateSchema = z.object({
  workspace: workspaceSchema,
  admins: z.array(adminSchema),
  teams: z.array(teamSchema),
  helpCenters: z.array(helpCenterSchema),
  customObjectTypes: z.array(z.string()),
  segments: z.array(segmentSchema),
  /** When true, conversation endpoints answer 403 api_plan_restricted (Intercom's plan gate). */
  planRestricted: z.boolean().default(false),
  contacts: dictOf(contactSchema),
  companies: dictOf(companySchema),
  tags: dictOf(tagSchema),
  dataAttributes: dictOf(dataAttributeSchema),
  conversationAttributes: dictOf(conversationAttributeSchema),
  conversations: dictOf(conversationSchema),
  // State files written before tickets were served have none of these.
  ticketTypes: dictOf(ticketTypeSchema).default(() => dict<z.infer<typeof ticketTypeSchema>>()),
  ticketStates: z.array(ticketStateSchema).default(() => defaultTicketStates()),
  tickets: dictOf(ticketSchema).default(() => dict<z.infer<typeof ticketSchema>>()),
  collections: dictOf(collectionSchema),
  articles: dictOf(articleSchema),
  customObjects: dictOf(dictOf(customObjectInstanceSchema)),
  counters: dictOf(z.number().int()),
});

export type SandboxState = z.infer<typeof sandboxStateSchema>;
export type Admin = z.infer<typeof adminSchema>;
export type Team = z.infer<typeof teamSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Company = z.infer<typeof companySchema>;
export type Tag = z.infer<typeof tagSchema>;
export type DataAttribute = z.infer<typeof dataAttributeSchema>;
export type ConversationAttribute = z.infer<typeof conversationAttributeSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationPart = z.infer<typeof conversationPartSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type TicketTypeAttribute = z.infer<typeof ticketTypeAttributeSchema>;
export type TicketType = z.infer<typeof ticketTypeSchema>;
export type TicketState = z.infer<typeof ticketStateSchema>;
export type Ticket = z.infer<typeof ticketSchema>;
export type Collection = z.infer<typeof collectionSchema>;
export type Article = z.infer<typeof articleSchema>;
export type CustomObjectInstance = z.infer<typeof customObjectInstanceSchema>;
