import { z } from 'zod';

import {
  ConversationState,
  MappedObject,
  MappingFile,
  MappingTarget,
  ReviewStatus,
  TicketAttributeType,
  TicketDestination,
  Transform,
} from './mapping';
import { SampleResults } from './sample-results';

/**
 * The messages between the mapping editor webview and the extension host. Both sides parse every
 * message with these schemas and drop what fails (a webview is untrusted: it renders source data).
 * Fields are addressed by object, position and source name together, so a stale message (the file
 * changed under the webview) is refused instead of editing the wrong row.
 */

const FieldRef = { object: MappedObject, index: z.number().int().nonnegative(), source: z.string().min(1) };

/**
 * Set by the webview on every request (the extension's tests may leave it out): the host's reply, and
 * a preview or sample results that answer it, carry it back, so an error is shown as this request's.
 */
const RequestId = z.number().int().nonnegative();
const Asks = { requestId: RequestId.optional() };

/** Global value maps a reviewer edits one entry at a time; `value: null` removes the entry. */
export const GlobalValueMap = z.discriminatedUnion('map', [
  z.object({ map: z.literal('ticketStatus'), key: z.string().min(1), value: ConversationState.nullable() }),
  z.object({
    map: z.literal('priority'),
    key: z.string().min(1),
    value: z.enum(['priority', 'not_priority']).nullable(),
  }),
  z.object({ map: z.literal('teams'), key: z.string().min(1), value: z.string().min(1).nullable() }),
]);
export type GlobalValueMap = z.infer<typeof GlobalValueMap>;

/** A ticket type's attribute as the editor sends it (the host checks it as validation checks the map). */
const TicketAttributeEdit = z.object({
  name: z.string().max(200),
  description: z.string().max(1000),
  dataType: TicketAttributeType,
  options: z.array(z.string().max(200)).max(500),
  source: z.string().max(200),
  label: z.string().max(200).optional(),
});
const TicketTypeName = z.string().min(1).max(200);
const AttributeName = z.string().min(1).max(200);

export const WebviewMessage = z.discriminatedUnion('type', [
  /** The webview has loaded and listens: the host sends the state only after this. */
  z.object({ type: z.literal('ready') }),
  z.object({ ...Asks, type: z.literal('accept'), ...FieldRef }),
  /** Marks reviewed every field (of one object, or all) whose proposal is at least this confident. */
  z.object({
    ...Asks,
    type: z.literal('acceptAbove'),
    object: z.union([MappedObject, z.literal('all')]),
    min: z.number().min(0).max(1),
  }),
  z.object({ ...Asks, type: z.literal('drop'), ...FieldRef, reason: z.string().max(500) }),
  z.object({ ...Asks, type: z.literal('edit'), ...FieldRef, target: MappingTarget, transform: Transform }),
  z.object({ ...Asks, type: z.literal('setEnabled'), object: MappedObject, enabled: z.boolean() }),
  z.object({ ...Asks, type: z.literal('setValueMap'), entry: GlobalValueMap }),
  /** Where one department's tickets land (`department`: its id, or `default`). */
  z.object({
    ...Asks,
    type: z.literal('setTicketDestination'),
    department: z.string().regex(/^(\d+|default)$/),
    destination: TicketDestination,
  }),
  /** The ticket state a SmarterTrack status becomes; `state: null` removes the entry. */
  z.object({
    ...Asks,
    type: z.literal('setTicketState'),
    status: z.string().min(1),
    state: z.string().trim().min(1).nullable(),
  }),
  /** Replaces one attribute of a ticket type (`name`: the attribute's name before the edit). */
  z.object({
    ...Asks,
    type: z.literal('setTicketAttribute'),
    ticketType: TicketTypeName,
    name: AttributeName,
    attribute: TicketAttributeEdit,
  }),
  z.object({
    ...Asks,
    type: z.literal('addTicketAttribute'),
    ticketType: TicketTypeName,
    attribute: TicketAttributeEdit,
  }),
  z.object({ ...Asks, type: z.literal('removeTicketAttribute'), ticketType: TicketTypeName, name: AttributeName }),
  /** One ticket of the department as it will look as an Intercom ticket. */
  z.object({ ...Asks, type: z.literal('previewTicket'), department: z.string().regex(/^\d+$/) }),
  /** Asks the host to stamp the map; the host asks for the reviewer's name and a modal confirmation. */
  z.object({ ...Asks, type: z.literal('confirm'), level: z.enum(['reviewed', 'approved']) }),
  z.object({ ...Asks, type: z.literal('preview'), object: MappedObject, count: z.number().int().min(1).max(50) }),
  z.object({ ...Asks, type: z.literal('runSample') }),
  z.object({ ...Asks, type: z.literal('loadSampleResults') }),
  z.object({ ...Asks, type: z.literal('openLink'), url: z.url({ protocol: /^https?$/ }) }),
  z.object({ ...Asks, type: z.literal('openAsText') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** Intercom targets a field can take, per object: the built-in fields and the workspace's attributes. */
export const TargetCatalog = z.record(
  MappedObject,
  z.object({
    standard: z.array(z.object({ name: z.string(), type: z.string(), maxLength: z.number().optional() })),
    attributes: z.array(z.object({ name: z.string(), dataType: z.string() })),
  }),
);
export type TargetCatalog = z.infer<typeof TargetCatalog>;

const Stamp = z.object({ by: z.string(), at: z.string(), hash: z.string() });

/** A value as shown in the preview: text, number, boolean or nothing (dates arrive as ISO text). */
const ShownValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const PreviewCell = z.object({
  source: z.string(),
  label: z.string(),
  target: z.string(),
  raw: ShownValue,
  mapped: ShownValue,
  nearLimit: z.boolean(),
  issues: z.array(z.object({ severity: z.enum(['error', 'warning']), message: z.string() })),
});
type PreviewCell = z.infer<typeof PreviewCell>;

/**
 * What a reviewer knows a source record by: its kind, its number or name, and a detail (a subject, a
 * start, an email). "Ticket 20240115-0003 · Printer jams"; a null name shows the record's id.
 */
export const RecordCaption = z.object({
  kind: z.string().min(1).max(40),
  name: z.string().min(1).nullable(),
  detail: z.string().min(1).nullable(),
});
export type RecordCaption = z.infer<typeof RecordCaption>;

export const PreviewRecord = z.object({
  id: z.number(),
  caption: RecordCaption.nullable(),
  ok: z.boolean(),
  fields: z.array(PreviewCell),
});
export type PreviewRecord = z.infer<typeof PreviewRecord>;

/** One source ticket of a department as the Intercom ticket the map makes of it. */
export const TicketPreview = z.object({
  department: z.string(),
  /** The source ticket's id. */
  id: z.number(),
  caption: RecordCaption.nullable(),
  ticketType: z.string(),
  title: ShownValue,
  attributes: z.array(
    z.object({ name: z.string(), dataType: z.string(), value: ShownValue, issue: z.string().nullable() }),
  ),
  status: z.string().nullable(),
  /** The ticket state its status maps to; null: none (a problem the map's validation names). */
  state: z.string().nullable(),
});
export type TicketPreview = z.infer<typeof TicketPreview>;

export const EditorState = z.object({
  /** The document as the mapping schema reads it; null with `error` when it does not parse. */
  map: MappingFile.nullable(),
  error: z.string().nullable(),
  /** What the stamps allow now (a stamp whose hash differs from the content counts for nothing). */
  status: ReviewStatus,
  /** What the file claims; differs from `status` when the map was edited after it was confirmed. */
  claimed: ReviewStatus,
  hash: z.string(),
  reviewed: Stamp.nullable(),
  approved: Stamp.nullable(),
  dirty: z.boolean(),
  targets: TargetCatalog,
  lowConfidence: z.number(),
  /** Per object, the positions of fields that feed the same Intercom field as another field. */
  conflicts: z.record(MappedObject, z.array(z.number().int())),
  /** The connected workspace's teams, for the Teams value map; null when Intercom is not connected or could not be read. */
  teams: z.array(z.object({ id: z.string(), name: z.string() })).nullable(),
  /** What stops the ticket destinations (each naming department and field); empty while all are conversations. */
  ticketProblems: z.array(z.string()).default([]),
  /** The ticket fields an attribute of a ticket type can read (custom fields with their labels). */
  ticketSources: z.array(z.object({ source: z.string(), label: z.string().optional() })).default([]),
});
export type EditorState = z.infer<typeof EditorState>;

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: EditorState }),
  z.object({
    ...Asks,
    type: z.literal('preview'),
    object: MappedObject,
    records: z.array(PreviewRecord),
    error: z.string().nullable(),
  }),
  /** A department's ticket preview; null with `error`, or when the department has no ticket. */
  z.object({
    ...Asks,
    type: z.literal('ticketPreview'),
    department: z.string(),
    preview: TicketPreview.nullable(),
    error: z.string().nullable(),
  }),
  /** The sample run read back from Intercom, or why there is none. */
  z.object({
    ...Asks,
    type: z.literal('sampleResults'),
    results: SampleResults.nullable(),
    error: z.string().nullable(),
  }),
  /** How a request ended: `error` is why it was refused or failed; `message` what it did, when worth saying. */
  z.object({
    type: z.literal('reply'),
    requestId: RequestId,
    error: z.string().nullable(),
    message: z.string().optional(),
  }),
  z.object({ type: z.literal('busy'), task: z.string().nullable() }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), message: z.string() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;
