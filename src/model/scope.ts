import { z } from 'zod';

import { ObjectCounts } from './object-types';
import { RebuildSection } from './reports';
import { PreflightFacts, SourceDescription } from './source';

/** scope.json: what the source holds, what will not move cleanly, what to rebuild, what it costs. */

export const ProblemCode = z.enum([
  'endUserWithoutEmail',
  'endUserInvalidEmail',
  'duplicateEmail',
  'agentWithoutEmail',
  'customFieldValueNearLimit',
  'customFieldValueOverLimit',
  'unknownCustomFieldType',
  'attachmentMissing',
  'attachmentUnsafePath',
  'attachmentNotChecked',
  'attachmentTooLarge',
  'attachmentEmpty',
  'ticketOverPartLimit',
  'orphanReference',
  'deletedTicket',
  'spamTicket',
  'draftMessage',
  'agentOnlyChatLine',
  'privateArticle',
  'draftArticle',
  'deletedArticle',
  'deletedEndUser',
]);
export type ProblemCode = z.infer<typeof ProblemCode>;

/** One flagged record: its id plus whatever context identifies the issue. */
export const ProblemItem = z.object({
  id: z.number().int(),
  /** The record as the run names it (a ticket by its number: "ticket 123-ABC"). */
  label: z.string().optional(),
  /** The ticket (chat, call log) a message, value or attachment belongs to. */
  parentKind: z.enum(['ticket', 'chat', 'callLog', 'user']).optional(),
  parentId: z.number().int().optional(),
  /** The parent as the run names it ("ticket 123-ABC"). */
  parentLabel: z.string().optional(),
  fieldId: z.number().int().optional(),
  length: z.number().int().optional(),
  parts: z.number().int().optional(),
  email: z.string().optional(),
  userIds: z.array(z.number().int()).optional(),
  reference: z.enum(['customer', 'agent', 'department']).optional(),
  referencedId: z.number().int().optional(),
  detail: z.string().optional(),
});
export type ProblemItem = z.infer<typeof ProblemItem>;

export const Problem = z.object({
  code: ProblemCode,
  severity: z.enum(['error', 'warning', 'info']),
  title: z.string(),
  /** What happens to these records, or what to do about them. */
  advice: z.string(),
  count: z.number().int().nonnegative(),
  items: z.array(ProblemItem),
});
export type Problem = z.infer<typeof Problem>;

const EstimateLine = z.object({
  object: z.string(),
  calls: z.number().int().nonnegative(),
  how: z.string(),
});

export const Estimate = z.object({
  requestsPerMinute: z.number().int().positive(),
  lines: z.array(EstimateLine),
  totalCalls: z.number().int().nonnegative(),
  minutes: z.number().nonnegative(),
  /**
   * The same run with every ticket sent to an Intercom ticket instead of a conversation (the map
   * chooses per department): the tickets line it replaces, and the totals. Absent in older reports.
   */
  asIntercomTickets: z
    .object({ line: EstimateLine, totalCalls: z.number().int().nonnegative(), minutes: z.number().nonnegative() })
    .optional(),
});
export type Estimate = z.infer<typeof Estimate>;

/** Something the person running the migration confirms because the database cannot tell. */
export const ChecklistItem = z.object({
  id: z.enum(['fullBackup', 'licenseActivation', 'serviceStopped']),
  item: z.string(),
  why: z.string(),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

/** Pre-flight of an on-premises SQL Server source; not applicable to SQLite files. */
export const Preflight = z.object({
  applicable: z.boolean(),
  note: z.string(),
  facts: PreflightFacts.nullable(),
  lastFullBackupAgeDays: z.number().nonnegative().nullable(),
  warnings: z.array(z.string()),
  checklist: z.array(ChecklistItem),
});
export type Preflight = z.infer<typeof Preflight>;

export const ScopeReport = z.object({
  kind: z.literal('st2ic.scope'),
  /** 2: `rebuild` holds the rebuild inventory's sections (1 had one line of advice and details per area). */
  version: z.literal(2),
  generatedAt: z.iso.datetime(),
  source: SourceDescription,
  attachmentsRoot: z.string().nullable(),
  counts: ObjectCounts,
  problems: z.array(Problem),
  /** The rebuild inventory's sections that need only the source (no map, no ledger). */
  rebuild: z.array(RebuildSection),
  estimate: Estimate,
  preflight: Preflight,
});
export type ScopeReport = z.infer<typeof ScopeReport>;

/** What the Migration view reads of scope.json: alike in every version, so an older file still shows. */
export const ScopeSummary = ScopeReport.pick({ generatedAt: true, counts: true, problems: true });
