import { z } from 'zod';

/**
 * The mapping file, <workspace>/migration/mapping.json: how each SmarterTrack object and field becomes
 * an Intercom one. People review and confirm it; the engine refuses to move records under a map that
 * is not confirmed, or that changed since it was confirmed (see src/mapping/review.ts).
 */

/** Where a source value lands. */
export const MappingTarget = z.discriminatedUnion('kind', [
  /** A built-in Intercom field of the target object (e.g. contact `email`, conversation `title`). */
  z.object({ kind: z.literal('standard'), field: z.string().min(1) }),
  /** A custom data attribute; `create` lets the configure phase create it when it does not exist. */
  z.object({
    kind: z.literal('attribute'),
    name: z.string().min(1),
    dataType: z.enum(['string', 'integer', 'float', 'boolean', 'datetime']),
    create: z.boolean().default(true),
  }),
  /** The value becomes a tag (optionally prefixed, e.g. "priority: High"). */
  z.object({ kind: z.literal('tag'), prefix: z.string().default('') }),
  /** The value is written into a note (conversations: an admin note; contacts: kept in the report). */
  z.object({ kind: z.literal('note'), label: z.string().default('') }),
  /** The value selects the team the conversation is assigned to (through valueMaps.teams). */
  z.object({ kind: z.literal('team') }),
  /** Not migrated; the reason is shown to reviewers and in the rebuild inventory. */
  z.object({ kind: z.literal('drop'), reason: z.string().default('') }),
]);
export type MappingTarget = z.infer<typeof MappingTarget>;

/** What happens to a value on the way. */
export const TransformKind = z.enum([
  'none',
  'string',
  'checkbox-to-boolean',
  'date-to-datetime',
  'integer-to-number',
  'html-to-text',
  'value-map',
]);
export type TransformKind = z.infer<typeof TransformKind>;

export const Transform = z.object({
  kind: TransformKind.default('none'),
  /** For value-map: source value → target value; unmapped values keep `fallback` (or fail when absent). */
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  fallback: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  /** Longest value the target takes; longer ones are handled by `overflow`. */
  maxLength: z.number().int().positive().optional(),
  /** trim: cut and report; note: cut, and the whole value goes into a note; fail: the record fails. */
  overflow: z.enum(['trim', 'note', 'fail']).default('note'),
  /** A value the transform cannot convert: fail the record, or keep it in a note and go on (reported). */
  invalid: z.enum(['fail', 'note']).default('fail'),
});
export type Transform = z.infer<typeof Transform>;

const ProposalSource = z.enum(['default', 'heuristic', 'ai', 'person']);

const Proposal = z.object({
  by: ProposalSource,
  confidence: z.number().min(0).max(1),
  reason: z.string(),
});
type Proposal = z.infer<typeof Proposal>;

export const FieldMapping = z.object({
  /** A field of the canonical source record (src/model/source.ts), or `custom:<fieldId>`. */
  source: z.string().min(1),
  /** Human label of the source field (custom fields: their SmarterTrack display name). */
  label: z.string().optional(),
  target: MappingTarget,
  transform: Transform.default({ kind: 'none', overflow: 'trim', invalid: 'fail' }),
  /** Used when the source value is empty. */
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  proposal: Proposal.optional(),
  reviewed: z.boolean().default(false),
});
export type FieldMapping = z.infer<typeof FieldMapping>;
export type FieldMappingInput = z.input<typeof FieldMapping>;

/** A custom field of SmarterTrack is a mapping's source as `custom:<fieldId>`. */
const CUSTOM_FIELD_PREFIX = 'custom:';

export function customFieldSource(fieldId: number): string {
  return `${CUSTOM_FIELD_PREFIX}${fieldId}`;
}

export function customFieldIdOf(source: string): number | null {
  if (!source.startsWith(CUSTOM_FIELD_PREFIX)) return null;
  const id = Number(source.slice(CUSTOM_FIELD_PREFIX.length));
  return Number.isInteger(id) ? id : null;
}

/** Where a field goes, readable (the mapping layer and the webview word it alike): `email`, `attribute "Product"`, `tag`. */
export function targetLabel(mapping: Pick<FieldMapping, 'target'>): string {
  const t = mapping.target;
  switch (t.kind) {
    case 'standard':
      return t.field;
    case 'attribute':
      return `attribute "${t.name}"`;
    case 'tag':
      return 'tag';
    case 'note':
      return 'note';
    case 'team':
      return 'team';
    case 'drop':
      return 'dropped';
  }
}

/** The source object kinds a map covers, and the Intercom object each becomes. */
export const MappedObject = z.enum(['companies', 'contacts', 'tickets', 'liveChats', 'callLogs', 'kbArticles']);
export type MappedObject = z.infer<typeof MappedObject>;

export const ObjectMapping = z.object({
  enabled: z.boolean().default(true),
  fields: z.array(FieldMapping),
});
export type ObjectMapping = z.infer<typeof ObjectMapping>;

export const ConversationState = z.enum(['open', 'closed', 'snoozed']);

const ValueMaps = z.object({
  /** SmarterTrack status name → Intercom conversation state. */
  ticketStatus: z.record(z.string(), ConversationState).default({}),
  /** SmarterTrack priority name → whether the conversation is marked priority. */
  priority: z.record(z.string(), z.enum(['priority', 'not_priority'])).default({}),
  /** `department:<id>` or `group:<departmentId>:<groupId>` → Intercom team name or id. */
  teams: z.record(z.string(), z.string()).default({}),
  /** Brand id → team name/id (mode team) or attribute value (mode attribute). */
  brands: z
    .object({
      mode: z.enum(['team', 'attribute']).default('attribute'),
      values: z.record(z.string(), z.string()).default({}),
    })
    .default({ mode: 'attribute', values: {} }),
});
type ValueMaps = z.infer<typeof ValueMaps>;

/** Where a department's tickets land: an Intercom conversation (as before), or a ticket of a ticket type of this map. */
export const TicketDestination = z.union([z.literal('conversation'), z.object({ ticketType: z.string().min(1) })]);
export type TicketDestination = z.infer<typeof TicketDestination>;

/** Intercom's ticket type categories (2.16: Customer, Back-office, Tracker). */
const TicketCategory = z.enum(['Customer', 'Back-office', 'Tracker']);

/** Intercom's ticket attribute data types (2.16, less `files`: SmarterTrack fields hold no files). */
export const TicketAttributeType = z.enum(['string', 'list', 'integer', 'decimal', 'boolean', 'datetime']);
export type TicketAttributeType = z.infer<typeof TicketAttributeType>;

/** An attribute of a ticket type, fed by one field of the ticket (`custom:<fieldId>`, `priorityName`…). */
export const TicketTypeAttribute = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  dataType: TicketAttributeType,
  /** A list's items (Intercom requires at least one). */
  options: z.array(z.string().min(1)).default([]),
  /** Empty until someone names one: validation reports it. */
  source: z.string().default(''),
  label: z.string().optional(),
  proposal: Proposal.optional(),
});
export type TicketTypeAttribute = z.infer<typeof TicketTypeAttribute>;

/** A ticket type the map needs in Intercom; `configure` creates it and its attributes when missing. */
const TicketTypeDefinition = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  category: TicketCategory.default('Customer'),
  attributes: z.array(TicketTypeAttribute).default([]),
  proposal: Proposal.optional(),
});
export type TicketTypeDefinition = z.infer<typeof TicketTypeDefinition>;

/**
 * Which departments' tickets become Intercom tickets, of which type, in which state. Optional in the
 * file: a map written before it existed parses unchanged and keeps its content hash (all conversations).
 */
export const TicketDestinations = z.object({
  default: TicketDestination.default('conversation'),
  /** SmarterTrack department id → its name (for people) and where its tickets land. */
  departments: z
    .record(z.string(), z.object({ name: z.string().default(''), destination: TicketDestination }))
    .default({}),
  ticketTypes: z.array(TicketTypeDefinition).default([]),
  /** SmarterTrack status name → Intercom ticket state, by the name GET /ticket_states gives it (internal label). */
  states: z.record(z.string(), z.string()).default({}),
});
export type TicketDestinations = z.infer<typeof TicketDestinations>;

/** The map's ticket destinations; a map written before they existed sends every ticket to a conversation. */
export function ticketDestinationsOf(map: { ticketDestinations?: TicketDestinations | undefined }): TicketDestinations {
  return map.ticketDestinations ?? TicketDestinations.parse({});
}

/** Where the tickets of one department land: its own entry, else the map's default (also for a ticket without a department). */
export function destinationOf(
  map: { ticketDestinations?: TicketDestinations | undefined },
  departmentId: number | null,
): TicketDestination {
  const destinations = ticketDestinationsOf(map);
  if (departmentId === null) return destinations.default;
  return destinations.departments[String(departmentId)]?.destination ?? destinations.default;
}

export const MappingOptions = z.object({
  includeDeletedTickets: z.boolean().default(false),
  includeSpamTickets: z.boolean().default(false),
  /** Call logs become a note-only conversation, or an instance of the workspace's custom object type. */
  callLogsAs: z.enum(['note', 'custom-object']).default('note'),
  callObjectType: z.string().default('Call'),
  /** Admin that stands in for agents with no matching Intercom admin (by email). */
  fallbackAdminEmail: z.string().nullable().default(null),
  /** Public base URL where KB images will be hosted; null: images are reported. */
  kbImageBaseUrl: z.string().nullable().default(null),
  /** Tag put on everything a run creates, so a rehearsal is easy to find and undo. */
  runTag: z.string().default('st2ic-migrated'),
});
export type MappingOptions = z.infer<typeof MappingOptions>;

const ReviewStamp = z.object({ by: z.string().min(1), at: z.iso.datetime(), hash: z.string().regex(/^[0-9a-f]{64}$/) });
type ReviewStamp = z.infer<typeof ReviewStamp>;

/** draft → reviewed (allows a sample) → approved (allows full and delta). */
export const ReviewStatus = z.enum(['draft', 'reviewed', 'approved']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

const Review = z.object({
  status: ReviewStatus.default('draft'),
  reviewed: ReviewStamp.optional(),
  approved: ReviewStamp.optional(),
});
type Review = z.infer<typeof Review>;

export const MAPPING_FORMAT_VERSION = 1;

export const MappingFile = z.object({
  $schema: z.string().optional(),
  formatVersion: z.literal(MAPPING_FORMAT_VERSION),
  objects: z.object({
    companies: ObjectMapping,
    contacts: ObjectMapping,
    tickets: ObjectMapping,
    liveChats: ObjectMapping,
    callLogs: ObjectMapping,
    kbArticles: ObjectMapping,
  }),
  valueMaps: ValueMaps,
  ticketDestinations: TicketDestinations.optional(),
  options: MappingOptions,
  review: Review.default({ status: 'draft' }),
});
export type MappingFile = z.infer<typeof MappingFile>;
export type MappingFileInput = z.input<typeof MappingFile>;
