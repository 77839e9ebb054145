import { z } from 'zod';

/**
 * Canonical source records: what every SmarterTrack reader (SQL, SOAP) yields, whatever the engine,
 * table prefix or build. Ids are the source's own ids; every date is a UTC ISO-8601 string or null.
 */

const Id = z.number().int();
const UtcDate = z.iso.datetime();
const OptDate = UtcDate.nullable();
const Text = z.string().nullable();

export const Brand = z.object({
  id: Id,
  name: Text,
  hostHeader: Text,
  isDefault: z.boolean(),
});
export type Brand = z.infer<typeof Brand>;

export const Department = z.object({
  id: Id,
  name: Text,
  brandId: Id.nullable(),
  deleted: z.boolean(),
  internal: z.boolean(),
  templateIds: z.object({ ticket: Id.nullable(), chat: Id.nullable(), callLog: Id.nullable() }),
});
export type Department = z.infer<typeof Department>;

export const Group = z.object({
  departmentId: Id,
  id: Id,
  name: Text,
  description: Text,
  deleted: z.boolean(),
  frontLine: z.boolean(),
  internal: z.boolean(),
});
export type Group = z.infer<typeof Group>;

const UserBase = z.object({
  id: Id,
  userName: Text,
  email: Text,
  displayName: Text,
  /** Only newer builds keep a phone on the user; null when the column does not exist. */
  phone: Text,
  language: Text,
  createdAt: OptDate,
  lastLoginAt: OptDate,
  deleted: z.boolean(),
  emailVerified: z.boolean(),
  lockedOut: z.boolean(),
  roleNames: z.array(z.string()),
});

const GroupMembership = z.object({
  departmentId: Id,
  groupId: Id,
  isGroupAdmin: z.boolean(),
  activeForTickets: z.boolean(),
  activeForChats: z.boolean(),
  roundRobinOrder: z.number().int().nullable(),
});

export const Agent = UserBase.extend({
  kind: z.literal('agent'),
  primaryAdmin: z.boolean(),
  groups: z.array(GroupMembership),
});
export type Agent = z.infer<typeof Agent>;

export const EndUser = UserBase.extend({ kind: z.literal('endUser') });
export type EndUser = z.infer<typeof EndUser>;

/** The queue pseudo-user (IsQueue): neither an agent nor an end user; tickets "assigned" to it are unassigned. */
export const QueueUser = UserBase.extend({ kind: z.literal('queue') });
export type QueueUser = z.infer<typeof QueueUser>;

const OrganizationFilter = z.object({
  id: Id,
  type: Text,
  kind: z.enum(['email', 'domain', 'user', 'phone', 'unknown']),
  value: Text,
  userId: Id.nullable(),
});
type OrganizationFilter = z.infer<typeof OrganizationFilter>;

export const Organization = z.object({
  id: Id,
  name: Text,
  website: Text,
  phone: Text,
  filters: z.array(OrganizationFilter),
});
export type Organization = z.infer<typeof Organization>;

export const OrganizationMembership = z.object({
  organizationId: Id,
  userId: Id,
  /** The filter kinds that matched, for the audit trail. */
  matchedBy: z.array(z.enum(['email', 'domain', 'user', 'phone'])),
});
export type OrganizationMembership = z.infer<typeof OrganizationMembership>;

export const CustomFieldChannel = z.enum(['ticket', 'chat', 'callLog']);
export type CustomFieldChannel = z.infer<typeof CustomFieldChannel>;

export const CustomFieldTemplateUse = z.object({
  templateId: Id,
  templateName: Text,
  displayName: Text,
  sortOrder: z.number().int().nullable(),
  visible: z.boolean(),
  visibleToAgents: z.boolean(),
  required: z.boolean(),
  requiredToRespond: z.boolean(),
  requiredToClose: z.boolean(),
  conditionalFieldId: Id.nullable(),
  conditionalValues: z.array(z.string()),
  /** Which departments use this template, and for which channel. */
  departments: z.array(z.object({ departmentId: Id, channel: CustomFieldChannel })),
});
export type CustomFieldTemplateUse = z.infer<typeof CustomFieldTemplateUse>;

export const CustomField = z.object({
  id: Id,
  name: Text,
  dataType: z.number().int(),
  kind: z.enum(['text', 'textarea', 'dropdown', 'checkbox', 'date', 'number', 'unknown']),
  defaultValue: Text,
  options: z.array(z.string()),
  isGlobal: z.boolean(),
  templates: z.array(CustomFieldTemplateUse),
});
export type CustomField = z.infer<typeof CustomField>;

/** Values belong to a ticket, chat or call log (template channels) or to a user (contact attributes). */
export const CustomFieldValueOwner = z.enum(['ticket', 'chat', 'callLog', 'user']);
export type CustomFieldValueOwner = z.infer<typeof CustomFieldValueOwner>;

export const CustomFieldValue = z.object({
  channel: CustomFieldValueOwner,
  recordId: Id,
  fieldId: Id,
  value: Text,
});
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;

export const Ticket = z.object({
  id: Id,
  number: Text,
  subject: Text,
  statusId: Id.nullable(),
  statusName: Text,
  /** From the status lookup: false for Closed / Closed and Locked; null if the status is unknown. */
  statusIsOpen: z.boolean().nullable(),
  priorityId: Id.nullable(),
  priorityName: Text,
  departmentId: Id.nullable(),
  groupId: Id.nullable(),
  brandId: Id.nullable(),
  /** Null when unassigned or assigned to the queue user. */
  assignedAgentId: Id.nullable(),
  customerUserId: Id.nullable(),
  customerEmail: Text,
  openedAt: OptDate,
  closedAt: OptDate,
  deletedAt: OptDate,
  deleted: z.boolean(),
  spam: z.boolean(),
  /** Numbers of tickets merged into this one (st_TicketMerges): keep them as aliases. */
  mergedNumbers: z.array(z.string()),
});
export type Ticket = z.infer<typeof Ticket>;

export const AttachmentOwnerKind = z.enum(['ticket', 'chat', 'callLog']);
export type AttachmentOwnerKind = z.infer<typeof AttachmentOwnerKind>;

export const AttachmentPathStatus = z.enum(['found', 'missing', 'unsafe', 'noRoot', 'noFileName']);
export type AttachmentPathStatus = z.infer<typeof AttachmentPathStatus>;

export const Attachment = z.object({
  id: Id,
  owner: z.object({ kind: AttachmentOwnerKind, id: Id }),
  messageId: Id.nullable(),
  userId: Id.nullable(),
  originalName: Text,
  fileNameOnDisk: Text,
  /** Absolute path of the bytes under the attachments root, or null (see pathStatus). */
  path: Text,
  pathStatus: AttachmentPathStatus,
  length: z.number().int().nullable(),
  cidTag: Text,
  deleted: z.boolean(),
  createdAt: OptDate,
});
export type Attachment = z.infer<typeof Attachment>;

export const TicketMessage = z.object({
  id: Id,
  ticketId: Id,
  direction: z.enum(['inbound', 'outbound']).nullable(),
  fromUserId: Id.nullable(),
  fromAddress: Text,
  toAddress: Text,
  ccAddresses: Text,
  subject: Text,
  bodyHtml: Text,
  bodyText: Text,
  draft: z.boolean(),
  date: OptDate,
});
export type TicketMessage = z.infer<typeof TicketMessage>;

export const TicketComment = z.object({
  id: Id,
  ticketId: Id,
  typeId: Id.nullable(),
  typeName: Text,
  authorUserId: Id.nullable(),
  text: Text,
  date: OptDate,
});
export type TicketComment = z.infer<typeof TicketComment>;

/** One item of a ticket's timeline: messages (with their attachments) and internal comments, by time. */
export const ThreadItem = z.discriminatedUnion('kind', [
  TicketMessage.extend({ kind: z.literal('message'), attachments: z.array(Attachment) }),
  TicketComment.extend({ kind: z.literal('comment') }),
]);
export type ThreadItem = z.infer<typeof ThreadItem>;

export const TicketThread = z.object({
  ticket: Ticket,
  items: z.array(ThreadItem),
  /** Attachments of the ticket whose message is not among its messages (kept, not dropped). */
  looseAttachments: z.array(Attachment),
});
export type TicketThread = z.infer<typeof TicketThread>;

export const LiveChat = z.object({
  id: Id,
  number: Text,
  departmentId: Id.nullable(),
  groupId: Id.nullable(),
  agentUserId: Id.nullable(),
  customerUserId: Id.nullable(),
  customerName: Text,
  customerEmail: Text,
  initialQuestion: Text,
  startedAt: OptDate,
  endedAt: OptDate,
  deletedAt: OptDate,
  deleted: z.boolean(),
});
export type LiveChat = z.infer<typeof LiveChat>;

export const ChatMessage = z.object({
  id: Id,
  chatId: Id,
  userId: Id.nullable(),
  senderType: z.enum(['customer', 'agent', 'system', 'unknown']),
  /** ViewRestriction hides the line from the customer. */
  agentOnly: z.boolean(),
  isHtml: z.boolean(),
  text: Text,
  date: OptDate,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const CallLog = z.object({
  id: Id,
  number: Text,
  departmentId: Id.nullable(),
  groupId: Id.nullable(),
  agentUserId: Id.nullable(),
  customerUserId: Id.nullable(),
  customerName: Text,
  customerPhone: Text,
  customerEmail: Text,
  subject: Text,
  description: Text,
  outgoing: z.boolean(),
  deleted: z.boolean(),
  startedAt: OptDate,
  endedAt: OptDate,
  createdAt: OptDate,
  modifiedAt: OptDate,
  deletedAt: OptDate,
});
export type CallLog = z.infer<typeof CallLog>;

export const KbCategory = z.object({
  id: Id,
  parentId: Id.nullable(),
  name: Text,
  private: z.boolean(),
  visible: z.boolean().nullable(),
});
export type KbCategory = z.infer<typeof KbCategory>;

export const KbArticle = z.object({
  id: Id,
  categoryId: Id.nullable(),
  subject: Text,
  bodyHtml: Text,
  summary: Text,
  private: z.boolean(),
  draft: z.boolean(),
  deleted: z.boolean(),
  flaggedForReview: z.boolean(),
  displayInAllBrands: z.boolean().nullable(),
  brandIds: z.array(Id),
  authorUserId: Id.nullable(),
  createdAt: OptDate,
  modifiedAt: OptDate,
});
export type KbArticle = z.infer<typeof KbArticle>;

export const Tag = z.object({ id: Id, name: Text, deleted: z.boolean(), createdAt: OptDate });
export type Tag = z.infer<typeof Tag>;

export const TicketStatus = z.object({
  id: Id,
  name: Text,
  displayName: Text,
  sortOrder: z.number().int().nullable(),
  isOpen: z.boolean(),
  isActive: z.boolean(),
  isLocked: z.boolean(),
});
export type TicketStatus = z.infer<typeof TicketStatus>;

export const TicketPriority = z.object({
  id: Id,
  name: Text,
  displayName: Text,
  sortOrder: z.number().int().nullable(),
});
export type TicketPriority = z.infer<typeof TicketPriority>;

export const CommentType = z.object({ id: Id, name: Text, displayName: Text });
export type CommentType = z.infer<typeof CommentType>;

/** st_Events with their conditions and actions: automation to rebuild by hand in Intercom. */
export const AutomationRule = z.object({
  id: Id,
  name: Text,
  eventGroup: Text,
  active: z.boolean(),
  enabled: z.boolean().nullable(),
  repeating: z.boolean(),
  lastModifiedAt: OptDate,
  conditions: z.array(z.object({ id: Id, key: Text, type: Text, condition: Text, value1: Text, value2: Text })),
  actions: z.array(z.object({ id: Id, key: Text, inputs: z.array(z.object({ key: Text, value: Text })) })),
});
export type AutomationRule = z.infer<typeof AutomationRule>;

/** Per-department ticket lifecycle settings (the closest SmarterTrack has to SLA policies). */
export const DepartmentPolicy = z.object({
  departmentId: Id,
  departmentName: Text,
  autoClose: z.object({ enabled: z.boolean(), hours: z.number().int().nullable() }),
  autoLock: z.object({ enabled: z.boolean(), hours: z.number().int().nullable() }),
  autoDelete: z.object({ enabled: z.boolean(), days: z.number().int().nullable() }),
  autoDeleteCallLogs: z.object({ enabled: z.boolean(), days: z.number().int().nullable() }),
});
export type DepartmentPolicy = z.infer<typeof DepartmentPolicy>;

/** What a reader found: engine, prefix, tables and columns, what is missing but tolerated. */
export const SourceDescription = z.object({
  engine: z.enum(['sqlite', 'mssql', 'soap']),
  location: z.string(),
  tablePrefix: z.string(),
  tables: z.array(z.object({ name: z.string(), logicalName: z.string(), columns: z.array(z.string()) })),
  missingOptionalTables: z.array(z.string()),
  missingOptionalColumns: z.array(z.string()),
  versionHints: z.array(z.string()),
});
export type SourceDescription = z.infer<typeof SourceDescription>;

/**
 * Ledger id of an attachment: ticket, chat and call-log attachments live in separate tables whose ids
 * overlap, so the owner kind is part of the id.
 */
export function attachmentSourceId(attachment: Pick<Attachment, 'id' | 'owner'>): string {
  return `${attachment.owner.kind}:${attachment.id}`;
}

const ATTACHMENT_SOURCE_ID = new RegExp(`^(${AttachmentOwnerKind.options.join('|')}):-?\\d+$`);

/**
 * True for an id of attachmentSourceId's shape. Notes that only carry files are journaled under the
 * same object type, so their ids must never have this shape: one would stand for another record.
 */
export function isAttachmentSourceId(sourceId: string): boolean {
  return ATTACHMENT_SOURCE_ID.test(sourceId);
}

/**
 * What an on-premises SQL Server tells about itself before a migration (all read by SELECT): the
 * server build, database size, last full backup (msdb), rows per SmarterTrack table. A fact that
 * could not be read is null and its reason is listed in `unavailable`.
 */
export const PreflightFacts = z.object({
  serverVersion: Text,
  productVersion: Text,
  edition: Text,
  databaseName: Text,
  dataBytes: z.number().nonnegative().nullable(),
  logBytes: z.number().nonnegative().nullable(),
  /** null when msdb could not be read; `finishedAt` null when it holds no full backup. */
  lastFullBackup: z.object({ finishedAt: OptDate }).nullable(),
  tableRows: z.array(z.object({ table: z.string(), rows: z.number().int().nonnegative() })),
  unavailable: z.array(z.string()),
});
export type PreflightFacts = z.infer<typeof PreflightFacts>;
