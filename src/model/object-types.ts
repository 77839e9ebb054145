import { z } from 'zod';

/**
 * The source object types the product counts, reads and migrates. Scope reports, the generator's
 * manifest and (later) the ledger all key their counts by these names, so a number in one can be
 * compared with a number in another.
 *
 * Counting rules (what one unit of each is):
 * - brands, departments, groups: rows, deleted ones included (flagged).
 * - agents: users holding at least one employee role (RoleCategory EMPLOYEE), the queue user excluded.
 * - endUsers: users holding no employee role, the queue user excluded; deleted ones included (flagged).
 * - organizations: rows. organizationMemberships: (organization, user) pairs after evaluating filters.
 * - customFields: definitions (st_CustomDataFields rows). customFieldValues: value rows of every channel.
 * - tickets: every ticket row, deleted and spam included (flagged, never dropped).
 * - ticketMessages: message rows, drafts included (flagged). ticketComments: comment rows.
 * - attachments: attachment rows of tickets, chats and call logs (deleted rows included, flagged).
 * - liveChats, chatMessages (agent-only lines included, flagged), callLogs: rows.
 * - kbCategories, kbArticles: rows (private, draft and deleted included, flagged).
 * - tags: st_Tags rows. automationRules: st_Events rows. slaPolicies: departments with auto-close,
 *   auto-lock or auto-delete settings enabled (one per department).
 */
export const OBJECT_TYPES = [
  'brands',
  'departments',
  'groups',
  'agents',
  'endUsers',
  'organizations',
  'organizationMemberships',
  'customFields',
  'customFieldValues',
  'tickets',
  'ticketMessages',
  'ticketComments',
  'attachments',
  'liveChats',
  'chatMessages',
  'callLogs',
  'kbCategories',
  'kbArticles',
  'tags',
  'automationRules',
  'slaPolicies',
] as const;

export const ObjectType = z.enum(OBJECT_TYPES);
export type ObjectType = z.infer<typeof ObjectType>;

export const ObjectCounts = z.record(ObjectType, z.number().int().nonnegative());
export type ObjectCounts = z.infer<typeof ObjectCounts>;
