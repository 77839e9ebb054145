import type { ObjectCounts } from '../model/object-types';
import type {
  Agent,
  Attachment,
  AutomationRule,
  Brand,
  CallLog,
  ChatMessage,
  CommentType,
  CustomField,
  CustomFieldValue,
  CustomFieldValueOwner,
  Department,
  DepartmentPolicy,
  EndUser,
  Group,
  KbArticle,
  KbCategory,
  LiveChat,
  Organization,
  OrganizationMembership,
  PreflightFacts,
  QueueUser,
  SourceDescription,
  Tag,
  Ticket,
  TicketComment,
  TicketMessage,
  TicketPriority,
  TicketStatus,
  TicketThread,
} from '../model/source';

/**
 * One SmarterTrack source, read-only, as canonical records. Every list is an async iterable read in
 * keyset pages, so memory does not grow with the size of the help desk.
 */
export interface SourceReader {
  describe(): Promise<SourceDescription>;
  /** Values read leniently since the last call (e.g. an unreadable date read as none), each naming its row and column. */
  drainDataWarnings?(): string[];

  brands(): AsyncIterable<Brand>;
  departments(): AsyncIterable<Department>;
  groups(): AsyncIterable<Group>;
  /** Users holding an employee role; the queue user excluded. */
  agents(): AsyncIterable<Agent>;
  /** Users holding no employee role; the queue user excluded; deleted users included (flagged). */
  endUsers(): AsyncIterable<EndUser>;
  /** The queue pseudo-user(s) (IsQueue). */
  queueUsers(): AsyncIterable<QueueUser>;
  organizations(): AsyncIterable<Organization>;
  /** (organization, end user) pairs from evaluating the organization filters. */
  organizationMemberships(): AsyncIterable<OrganizationMembership>;

  customFields(): AsyncIterable<CustomField>;
  /** Values of tickets, chats, call logs and users. */
  customFieldValues(): AsyncIterable<CustomFieldValue>;

  ticketStatuses(): AsyncIterable<TicketStatus>;
  ticketPriorities(): AsyncIterable<TicketPriority>;
  commentTypes(): AsyncIterable<CommentType>;
  /** Every ticket, deleted and spam included (flagged). */
  tickets(): AsyncIterable<Ticket>;
  ticketMessages(): AsyncIterable<TicketMessage>;
  ticketComments(): AsyncIterable<TicketComment>;
  /** Each ticket with its messages (and their attachments) and comments interleaved by time. */
  ticketThreads(): AsyncIterable<TicketThread>;
  ticketThread(ticketId: number): Promise<TicketThread | null>;
  /** Attachments of tickets, chats and call logs, with their resolved on-disk paths. */
  attachments(): AsyncIterable<Attachment>;

  liveChats(): AsyncIterable<LiveChat>;
  chatMessages(): AsyncIterable<ChatMessage>;
  callLogs(): AsyncIterable<CallLog>;

  kbCategories(): AsyncIterable<KbCategory>;
  kbArticles(): AsyncIterable<KbArticle>;
  tags(): AsyncIterable<Tag>;

  automationRules(): AsyncIterable<AutomationRule>;
  /** Every department with its auto-close / auto-lock / auto-delete settings. */
  departmentPolicies(): AsyncIterable<DepartmentPolicy>;

  /**
   * Pre-flight facts of an on-premises server (version, size, last backup, rows per table); null
   * where they do not apply (SQLite files). Optional so readers without a server can omit it.
   */
  preflight?(): Promise<PreflightFacts | null>;

  /** Aggregates for the scope report, computed where the data is (SQL) when possible. */
  readonly insights: SourceInsights;

  close(): Promise<void>;
}

export interface LongValue {
  channel: CustomFieldValueOwner;
  recordId: number;
  fieldId: number;
  length: number;
}

export interface OrphanReference {
  ticketId: number;
  reference: 'customer' | 'agent' | 'department';
  referencedId: number;
}

/** Totals an Intercom call estimate needs. */
export interface SourceVolumes {
  ticketsWithMessages: number;
  /** Messages + comments of all tickets. */
  ticketEntries: number;
  /** Parts needed because a message carries more than 10 attachments (10 per part). */
  extraAttachmentParts: number;
  ticketsAssigned: number;
  ticketsClosed: number;
  chatsWithMessages: number;
  chatMessages: number;
  communityRows: number;
  /** Groups whose agents have a round-robin order, and rebalance rules. */
  roundRobinGroups: { departmentId: number; groupId: number; agents: number }[];
  rebalanceRules: { id: number; name: string | null; departmentId: number | null; groupId: number | null }[];
}

/** Records carrying a flag worth listing in the scope (ids only). */
export type FlagKind =
  | 'deletedTickets'
  | 'spamTickets'
  | 'draftMessages'
  | 'agentOnlyChatLines'
  | 'privateArticles'
  | 'draftArticles'
  | 'deletedArticles'
  | 'deletedEndUsers';

export interface FlaggedRecord {
  id: number;
  /** The owning record (ticket of a message, chat of a line), when there is one. */
  parentId: number | null;
}

export interface SourceInsights {
  flagged(kind: FlagKind): AsyncIterable<FlaggedRecord>;
  counts(): Promise<ObjectCounts>;
  /** End users sharing an email address (case-insensitive). */
  duplicateEmails(): AsyncIterable<{ email: string; userIds: number[] }>;
  longCustomFieldValues(minLength: number): AsyncIterable<LongValue>;
  /** Tickets whose Intercom part count (messages + comments + extra attachment parts) exceeds maxParts. */
  ticketsOverParts(maxParts: number): AsyncIterable<{ ticketId: number; parts: number }>;
  orphanTicketReferences(): AsyncIterable<OrphanReference>;
  volumes(): Promise<SourceVolumes>;
}
