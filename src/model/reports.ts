import { z } from 'zod';

import { RunId, RunKind, RunStatus } from './journal';
import { ObjectType } from './object-types';

/**
 * reconciliation-<run>.json and rebuild-inventory.json: what the CLI (`validate`, `inventory`), the
 * extension and CI read. Every figure traces back to ledger `record` entries or source rows.
 */

const ReportSource = z.object({
  engine: z.string(),
  location: z.string(),
  tablePrefix: z.string(),
});
type ReportSource = z.infer<typeof ReportSource>;

/** A run, or the workspace's current state: the latest record entry per source record across runs. */
export const ReconciliationScope = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('run'), runId: RunId, kind: RunKind, status: RunStatus }),
  z.object({ mode: z.literal('workspace'), runIds: z.array(RunId) }),
]);
export type ReconciliationScope = z.infer<typeof ReconciliationScope>;

const Count = z.number().int().nonnegative();

export const TypeReconciliation = z.object({
  objectType: ObjectType,
  /** reader.insights.counts() for this type. */
  source: Count,
  /** The scope has at least one record entry of this type; only then are gaps (unaccounted) listed. */
  covered: z.boolean(),
  migrated: Count,
  skipped: Count,
  failed: Count,
  skippedReasons: z.array(z.object({ reason: z.string(), count: Count })),
  failedReasons: z.array(z.object({ errorClass: z.string(), field: z.string().nullable(), count: Count })),
  /** Source records with no record entry at all (covered types only). */
  unaccounted: Count,
  /** The first of them, in source order (all are in the CSV). */
  unaccountedIds: z.array(z.string()),
  /** A run's reconciliation: source records this run has no entry for that another run of the workspace recorded (not a gap). */
  otherRuns: Count.default(0),
  /** Record entries whose source record no longer exists in the source (deleted since, or a bad id). */
  notInSource: Count,
  /** Migrated records with a value cut to an Intercom limit (each listed in the CSV as "cut"). */
  cut: Count.default(0),
  /** Conversations opened by a placeholder of ours, not a customer message (listed as "opener"). */
  placeholderOpeners: Count.default(0),
  /** …of which the source conversation was opened by an agent. */
  agentOpened: Count.default(0),
  /** Migrated records that became Intercom tickets (tickets of departments the map sends to a ticket type). */
  asIntercomTickets: Count.default(0),
});
export type TypeReconciliation = z.infer<typeof TypeReconciliation>;

/**
 * One field of one migrated record where Intercom does not hold what the source holds. `expected` is
 * the source's value (read again from SmarterTrack), `actual` Intercom's.
 */
export const FieldMismatch = z.object({
  objectType: ObjectType,
  sourceId: z.string(),
  intercomId: z.string(),
  /** e.g. `name`, `state`, `text`, `created_at`, `author`, `custom_attributes.Brand`, `file content`. */
  field: z.string(),
  expected: z.string(),
  actual: z.string(),
});
export type FieldMismatch = z.infer<typeof FieldMismatch>;

/** The independent verification: records read back from Intercom and compared with the source. */
export const FieldCheck = z.object({
  /** Records read back per object type, or every migrated one. */
  sample: z.union([z.number().int().nonnegative(), z.literal('all')]),
  types: z.array(
    z.object({
      objectType: ObjectType,
      migrated: Count,
      checked: Count,
      withMismatches: Count,
      /** Percent of the checked records Intercom holds exactly as the source (rounded down); null: none checked. */
      fidelity: z.number().min(0).max(100).nullable(),
    }),
  ),
  mismatches: z.array(FieldMismatch),
  /** Values that could not be compared (a file Intercom did not serve), counted. */
  unchecked: z.array(z.object({ objectType: ObjectType, what: z.string(), count: Count })).default([]),
});
export type FieldCheck = z.infer<typeof FieldCheck>;

export const ReconciliationReport = z.object({
  kind: z.literal('st2ic.reconciliation'),
  version: z.literal(1),
  generatedAt: z.iso.datetime(),
  scope: ReconciliationScope,
  source: ReportSource,
  types: z.array(TypeReconciliation),
  totals: z.object({ source: Count, migrated: Count, skipped: Count, failed: Count, unaccounted: Count }),
  fieldCheck: FieldCheck,
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;

/** One row of the CSV of skipped, failed and unaccounted records. */
export const ReconciliationRow = z.object({
  objectType: ObjectType,
  sourceId: z.string(),
  /** `cut` and `opener` rows are migrated records: a value cut to a limit, an opener that is a placeholder of ours. */
  state: z.enum(['skipped', 'failed', 'unaccounted', 'cut', 'opener']),
  /** The skip reason, or the error class of a failure. */
  reason: z.string(),
  field: z.string(),
  message: z.string(),
  /** The run that recorded the state (empty for unaccounted records). */
  runId: z.string(),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRow>;

export const RECONCILIATION_CSV_COLUMNS = [
  'objectType',
  'sourceId',
  'state',
  'reason',
  'field',
  'message',
  'runId',
] as const;

// ---- rebuild inventory ------------------------------------------------------------------------

export const RebuildArea = z.enum([
  'automationRules',
  'departmentPolicies',
  'autoAssignment',
  'callLogs',
  'community',
  'droppedCustomFields',
  'missingTeams',
  'unmatchedAgents',
]);
export type RebuildArea = z.infer<typeof RebuildArea>;

/** One thing to rebuild: what it was in SmarterTrack, and what an Intercom admin builds instead. */
export const RebuildEntry = z.object({
  /** Readable name: the rule's, the department's, the field's… */
  name: z.string(),
  /** The SmarterTrack id, when the item is one row. */
  sourceId: z.string().nullable(),
  /** What it was in SmarterTrack: settings, conditions, actions, one fact per line. */
  inSmarterTrack: z.array(z.string()),
  /** What to build in Intercom, as steps an admin follows in order. */
  inIntercom: z.array(z.string()),
});
export type RebuildEntry = z.infer<typeof RebuildEntry>;

/** One area to rebuild, worded the same in rebuild-inventory.json and scope.json. */
export const RebuildSection = z.object({
  area: RebuildArea,
  title: z.string(),
  /** Why this does not migrate, and where in Intercom it is rebuilt. */
  summary: z.string(),
  /** SmarterTrack records the section stands for: one per entry, or the rows behind one entry (call logs, community). */
  count: z.number().int().nonnegative(),
  entries: z.array(RebuildEntry),
});
export type RebuildSection = z.infer<typeof RebuildSection>;

export const RebuildInventory = z.object({
  kind: z.literal('st2ic.rebuild-inventory'),
  version: z.literal(1),
  generatedAt: z.iso.datetime(),
  source: ReportSource,
  /** Where missing teams and unmatched agents came from: the ledger's current state, or one run. */
  ledgerScope: z.union([
    z.object({ mode: z.literal('workspace') }),
    z.object({ mode: z.literal('run'), runId: RunId }),
  ]),
  sections: z.array(RebuildSection),
});
export type RebuildInventory = z.infer<typeof RebuildInventory>;
