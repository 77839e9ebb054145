import { z } from 'zod';

import { ObjectType } from './object-types';

/**
 * The ledger's on-disk shapes: one journal entry per line of `migration/runs/<run-id>/journal.jsonl`,
 * the run metadata in `run.json`. The journals are the truth; every index is derived from them.
 */

/**
 * `configure` prepares the Intercom workspace only (attributes the map needs; admin and team matches).
 * `adopt` writes nothing to Intercom: it records what Intercom already holds of this source (found by
 * the keys the engine gives its objects) when a ledger is rebuilt from Intercom.
 */
const RUN_KINDS = ['configure', 'sample', 'full', 'delta', 'rollback', 'dry-run', 'adopt'] as const;
export const RunKind = z.enum(RUN_KINDS);
export type RunKind = z.infer<typeof RunKind>;

const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** Sortable by time, safe as a folder name on every platform: `20261128T154110123Z-full-3fa9`. */
export const RunId = z.string().regex(/^[0-9]{8}T[0-9]{9}Z-[a-z-]+-[0-9a-f]{4,}$/, 'not a run id');
export type RunId = z.infer<typeof RunId>;

const IsoTime = z.iso.datetime({ offset: true });

/**
 * Write operations. `reply`/`note` add a conversation part; `attach`/`detach` link two objects
 * (contact ↔ company, file ↔ part); `untag`, `detach`, `unarchive`, `open`, `restore` exist for rollback.
 */
const WRITE_OPS = [
  'create',
  'update',
  'reply',
  'note',
  'tag',
  'untag',
  'attach',
  'detach',
  'close',
  'open',
  'assign',
  'archive',
  'unarchive',
  'delete',
  'restore',
] as const;
export const WriteOp = z.enum(WRITE_OPS);
export type WriteOp = z.infer<typeof WriteOp>;

/** Ops whose applied outcome is the Intercom object that stands for the source record itself. */
export const RECORD_CREATING_OPS: readonly WriteOp[] = ['create', 'reply', 'note'];

const INTERCOM_RESOURCES = [
  'admin',
  'team',
  'contact',
  'company',
  'conversation',
  'conversation_part',
  'ticket',
  'ticket_part',
  'ticket_type',
  'ticket_type_attribute',
  'tag',
  'data_attribute',
  'conversation_attribute',
  'contact_note',
  'help_center_collection',
  'article',
  'custom_object_instance',
] as const;
export const IntercomResource = z.enum(INTERCOM_RESOURCES);
export type IntercomResource = z.infer<typeof IntercomResource>;

/**
 * What an intent writes to, as typed fields resume and rollback read: the resource kind, its Intercom
 * id when it already has one, and what else undoing the write needs. `description` is for people
 * reading the journal (and an opaque identity of the write); no code parses it.
 */
export const WriteTarget = z.object({
  resource: IntercomResource,
  intercomId: z.string().min(1).optional(),
  /** `custom_object_instance`: the custom object type (created in the Intercom UI), e.g. `CallLog`. */
  customObjectType: z.string().min(1).optional(),
  /** `ticket_type_attribute`: the ticket type it belongs to (Intercom addresses attributes through their type). */
  ticketTypeId: z.string().min(1).optional(),
  /** The admin Intercom makes the write on behalf of (close, open): undoing it acts as the same admin. */
  actingAdminId: z.string().min(1).optional(),
  /** `tag`: the object tagged (contact, company, conversation or ticket, by Intercom id). */
  tagged: z
    .object({ object: z.enum(['contact', 'company', 'conversation', 'ticket']), id: z.string().min(1) })
    .optional(),
  /** e.g. "POST /contacts" or "conversation 499 ← reply". For people reading the journal. */
  description: z.string().min(1),
});
export type WriteTarget = z.infer<typeof WriteTarget>;

const UnixSeconds = z.number().int().nonnegative();
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha-256 hex');

/**
 * How to find out, after a crash, whether a write whose outcome is unknown was applied. POSTs are
 * never retried blindly: resume runs this lookup first (DESIGN.md invariants).
 */
export const LookupKey = z.discriminatedUnion('by', [
  z.object({ by: z.literal('external_id'), value: z.string().min(1) }),
  z.object({ by: z.literal('email'), value: z.string().min(1) }),
  z.object({ by: z.literal('company_id'), value: z.string().min(1) }),
  /** Tags, data attributes, collections, articles: unique by name (articles: title) within their resource. */
  z.object({ by: z.literal('name'), value: z.string().min(1) }),
  /** Conversation or ticket created for a contact: its Intercom contact id, created_at and a hash of the body. */
  z.object({
    by: z.literal('conversation'),
    contactId: z.string().min(1),
    createdAt: UnixSeconds,
    bodySha256: Sha256Hex,
  }),
  /** An Intercom ticket created for a contact: its contact id, created_at and ticket type (tickets have no body), and the source key it carries. */
  z.object({
    by: z.literal('ticket'),
    contactId: z.string().min(1),
    createdAt: UnixSeconds,
    ticketTypeId: z.string().min(1),
    sourceKey: z.string().min(1).optional(),
  }),
  /** A reply or note inside a known Intercom ticket. */
  z.object({
    by: z.literal('ticket_part'),
    ticketId: z.string().min(1),
    createdAt: UnixSeconds,
    bodySha256: Sha256Hex,
  }),
  /** A reply or note inside a known conversation (use `conversation_id`, never the message id). */
  z.object({
    by: z.literal('conversation_part'),
    conversationId: z.string().min(1),
    createdAt: UnixSeconds,
    bodySha256: Sha256Hex,
  }),
  /** The target already has an id (update, close, assign, tag, archive, delete…): read it back and compare. */
  z.object({ by: z.literal('intercom_id'), id: z.string().min(1) }),
]);
export type LookupKey = z.infer<typeof LookupKey>;

/** Any JSON value (before-images are Intercom objects as read back before an update). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

const SourceId = z.string().min(1);

/** The write a rollback intent undoes: the intent it reverses in the target run. */
const UndoRef = z.object({ runId: RunId, seq: z.number().int().positive(), op: WriteOp });
type UndoRef = z.infer<typeof UndoRef>;

export const SourceDescription = z.object({
  /** `sql`, `sqlite`, `soap`… */
  kind: z.string().min(1),
  /** Human-readable, secret-free: host/database or URL without credentials. */
  description: z.string().min(1),
});
export type SourceDescription = z.infer<typeof SourceDescription>;

/** What a run is, fixed when it starts: carried by run.json and by each attempt's first journal entry. */
export const RunOrigin = z.object({
  kind: RunKind,
  rollbackOf: RunId.optional(),
  startedAt: IsoTime,
  mappingHash: z.string().min(1),
  source: SourceDescription,
});
export type RunOrigin = z.infer<typeof RunOrigin>;

/**
 * The on-disk format of journal entries and run.json, written as `v` on each. Format 0 (files written
 * before `v` existed) has the same shapes without `v` and without `run` on `run-status` entries; its
 * reader is `upgradeFormat0` below. Format 2 types the targets (`customObjectType`, `actingAdminId`,
 * `tagged`); older intents get them from `typedTargetOfFormat1`. A file of a format newer than this
 * one is refused, never guessed.
 */
export const LEDGER_FORMAT = 2 as const;
export const FormatVersion = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type FormatVersion = z.infer<typeof FormatVersion>;

/** Reads a format-0 object (a journal line or run.json written before `v`): the shapes are unchanged. */
function upgradeFormat0(json: Record<string, unknown>): Record<string, unknown> {
  return { ...json, v: 0 };
}

/**
 * The format a parsed journal line or run.json declares: 0 without `v`; a number this reader does not
 * know (a newer st2ic wrote it) comes back as `newer`.
 */
export function declaredFormat(
  json: unknown,
): { format: FormatVersion; json: Record<string, unknown> } | { newer: unknown } | { notAnObject: true } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { notAnObject: true };
  const record = json as Record<string, unknown>;
  if (!('v' in record)) return { format: 0, json: upgradeFormat0(record) };
  if (record.v === 0 || record.v === 1 || record.v === 2) return { format: record.v, json: record };
  return { newer: record.v };
}

const EntryBase = {
  /** Format version (LEDGER_FORMAT when written; 0 for lines written before it existed). */
  v: FormatVersion,
  seq: z.number().int().positive(),
  at: IsoTime,
  runId: RunId,
};

export const IntentBody = z.object({
  op: WriteOp,
  objectType: ObjectType,
  sourceId: SourceId,
  target: WriteTarget,
  lookup: LookupKey,
  /** True when the Intercom object existed before this run (matched, then updated). */
  existedBefore: z.boolean().optional(),
  /** The object as read before an update of a pre-existing record; rollback restores it. */
  beforeImage: JsonValue.optional(),
  /** Set on rollback runs: the write this intent reverses. */
  undoes: UndoRef.optional(),
});
export type IntentBody = z.infer<typeof IntentBody>;

export const ErrorInfo = z.object({
  /** A stable class, e.g. `validation`, `conflict`, `not_found`, `rate_limited`, `server`, `network`. */
  errorClass: z.string().min(1),
  message: z.string(),
  /** The source or payload field at fault, when there is one. */
  field: z.string().min(1).optional(),
  httpStatus: z.number().int().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const OutcomeResult = z.discriminatedUnion('result', [
  z.object({
    result: z.literal('applied'),
    intercomId: z.string().min(1),
    /** Secondary ids of the same write, e.g. `{ messageId }` next to a conversation id. */
    relatedIds: z.record(z.string(), z.string()).optional(),
    /** `lookup` when resume found the write already applied. */
    resolvedBy: z.enum(['response', 'lookup']).default('response'),
  }),
  z.object({ result: z.literal('failed'), error: ErrorInfo }),
  /** Known not to have happened (resume's lookup found nothing): safe to retry. */
  z.object({ result: z.literal('not-applied'), reason: z.string().min(1) }),
]);
export type OutcomeResult = z.input<typeof OutcomeResult>;

/** A value longer than its target takes: the field, its length, the limit, and whether a note keeps it whole. */
export const CutValue = z.object({
  field: z.string().min(1),
  length: z.number().int().positive(),
  limit: z.number().int().positive(),
  keptInNote: z.boolean(),
});
export type CutValue = z.infer<typeof CutValue>;

/**
 * `placeholder`: no customer message to open with (no messages, or a comment first); `agent-opened`:
 * an agent's message came first. Either way the opener says so in words of ours, never the customer's.
 */
export const OpenerKind = z.enum(['placeholder', 'agent-opened']);
export type OpenerKind = z.infer<typeof OpenerKind>;

export const RecordState = z.discriminatedUnion('state', [
  /** `existedBefore`: matched to an Intercom object that was there before the migration (e.g. an admin). */
  z.object({
    state: z.literal('migrated'),
    intercomId: z.string().min(1),
    existedBefore: z.boolean().optional(),
    /** Digest of what was written (payload, state, part ids): delta compares it to find changed records. */
    fingerprint: z.string().optional(),
    /** Values cut to an Intercom limit (each kept whole in a note unless the map says otherwise): counted as "cut". */
    cut: z.array(CutValue).optional(),
    /** A conversation not opened by a customer message: what opened it instead (counted in the reconciliation). */
    opener: OpenerKind.optional(),
    /** The Intercom object the record became when it is not the object type's usual one: a SmarterTrack ticket sent to an Intercom ticket type. */
    intercomObject: z.literal('ticket').optional(),
  }),
  z.object({ state: z.literal('skipped'), reason: z.string().min(1) }),
  z.object({ state: z.literal('failed'), error: ErrorInfo }),
]);
export type RecordState = z.infer<typeof RecordState>;

export const RecordBody = z.intersection(z.object({ objectType: ObjectType, sourceId: SourceId }), RecordState);
export type RecordBody = z.infer<typeof RecordBody>;

const WatermarkValue = z.union([z.string().min(1), z.number()]);

export const IntentEntry = z.object({ ...EntryBase, type: z.literal('intent'), ...IntentBody.shape });
export type IntentEntry = z.infer<typeof IntentEntry>;

export const OutcomeEntry = z.object({
  ...EntryBase,
  type: z.literal('outcome'),
  intentSeq: z.number().int().positive(),
  outcome: OutcomeResult,
});
export type OutcomeEntry = z.infer<typeof OutcomeEntry>;

export const RecordEntry = z.object({
  ...EntryBase,
  type: z.literal('record'),
  objectType: ObjectType,
  sourceId: SourceId,
  result: RecordState,
});
export type RecordEntry = z.infer<typeof RecordEntry>;

/**
 * Watermark and checkpoint entries were written by older versions (delta finds changes by record
 * fingerprints, and a resume by the journal's records): still parsed so old journals read, then ignored.
 */
const WatermarkEntry = z.object({
  ...EntryBase,
  type: z.literal('watermark'),
  objectType: ObjectType,
  value: WatermarkValue,
});
type WatermarkEntry = z.infer<typeof WatermarkEntry>;

const CheckpointEntry = z.object({
  ...EntryBase,
  type: z.literal('checkpoint'),
  phase: z.string().min(1),
  data: JsonValue.optional(),
});
type CheckpointEntry = z.infer<typeof CheckpointEntry>;

const RunStatusEntry = z.object({
  ...EntryBase,
  type: z.literal('run-status'),
  status: RunStatus,
  /** 1 for the first attempt, +1 on each resume. */
  attempt: z.number().int().positive(),
  message: z.string().optional(),
  /**
   * On the entry that starts an attempt (format 1): what run.json says about the run's origin, so a
   * lost run.json can be rebuilt from the journal, the truth.
   */
  run: RunOrigin.optional(),
});
type RunStatusEntry = z.infer<typeof RunStatusEntry>;

export const JournalEntry = z.discriminatedUnion('type', [
  IntentEntry,
  OutcomeEntry,
  RecordEntry,
  WatermarkEntry,
  CheckpointEntry,
  RunStatusEntry,
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

export const RecordCounts = z.object({
  migrated: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** reason → count, for skipped records. */
  skippedReasons: z.record(z.string(), z.number().int().nonnegative()),
  /** `errorClass: field` (or errorClass) → count, for failed records. */
  failedReasons: z.record(z.string(), z.number().int().nonnegative()),
});
export type RecordCounts = z.infer<typeof RecordCounts>;

export const RunCounts = z.partialRecord(ObjectType, RecordCounts);
export type RunCounts = z.infer<typeof RunCounts>;

export const RunMeta = z.object({
  /** Format version (LEDGER_FORMAT when written; 0 for a run.json written before it existed). */
  v: FormatVersion,
  id: RunId,
  kind: RunKind,
  /** Rollback runs: the run being undone. */
  rollbackOf: RunId.optional(),
  startedAt: IsoTime,
  finishedAt: IsoTime.optional(),
  status: RunStatus,
  attempts: z.number().int().positive(),
  mappingHash: z.string().min(1),
  source: SourceDescription,
  /** Written at finish (and on resume), derived from the journal's `record` entries. */
  counts: RunCounts.optional(),
});
export type RunMeta = z.infer<typeof RunMeta>;
