import { z } from 'zod';

import { RunId, RunStatus } from './journal';

/**
 * What a sample run produced, record by record, for the reviewer who approves the final map from
 * real results (the mapping editor shows it). Sent to a webview, so it is parsed on both sides.
 * Every string that comes from the source or from Intercom is plain text, never markup: the
 * webview escapes it.
 */

/** The object types a sample run lists, one item per journaled record. */
export const SampleObject = z.enum(['tickets', 'liveChats', 'callLogs', 'endUsers', 'organizations']);
export type SampleObject = z.infer<typeof SampleObject>;

/** One readable fact: "Subject" → "Printer on fire". */
export const SampleField = z.object({ label: z.string(), value: z.string() });
export type SampleField = z.infer<typeof SampleField>;

/** A field Intercom does not hold as the source and the map say it should (the reconciliation's check). */
const SampleMismatch = z.object({ field: z.string(), expected: z.string(), actual: z.string() });
type SampleMismatch = z.infer<typeof SampleMismatch>;

/** The Intercom object a migrated record became, as read back after the run. */
export const SampleIntercomObject = z.object({
  id: z.string().min(1),
  kind: z.enum(['conversation', 'ticket', 'contact', 'company']),
  /** Where a person opens it: the Intercom web app, or the local sandbox's read-only view; null when unknown. */
  url: z.string().nullable(),
  fields: z.array(SampleField),
});
export type SampleIntercomObject = z.infer<typeof SampleIntercomObject>;

export const SampleResultItem = z.object({
  object: SampleObject,
  sourceId: z.string().min(1),
  source: z.object({ title: z.string(), fields: z.array(SampleField) }),
  state: z.enum(['migrated', 'skipped', 'failed']),
  /** Why it was skipped. */
  reason: z.string().optional(),
  error: z.object({ field: z.string().optional(), message: z.string() }).optional(),
  /** Migrated records that Intercom gave back (absent: not migrated, or read back as not found). */
  intercom: SampleIntercomObject.optional(),
  mismatches: z.array(SampleMismatch),
});
export type SampleResultItem = z.infer<typeof SampleResultItem>;

/** Most items one result lists (a sample run journals far fewer). */
export const SAMPLE_RESULTS_CAP = 200;

export const SampleResults = z.object({
  runId: RunId,
  runStatus: RunStatus,
  generatedAt: z.iso.datetime(),
  items: z.array(SampleResultItem).max(SAMPLE_RESULTS_CAP),
  /**
   * What the run left for the admin that no record's differences show: agents no Intercom admin
   * matched, departments without a team (their conversations read back "as mapped" all the same).
   */
  attention: z.array(z.string()).default([]),
});
export type SampleResults = z.infer<typeof SampleResults>;
