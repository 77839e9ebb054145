import {
  type FieldMappingInput as FieldMapping,
  type MappedObject,
  MAPPING_FORMAT_VERSION,
  MappingFile,
  type MappingFileInput,
} from '../model/mapping';
import type { CustomField, CustomFieldChannel, TicketPriority, TicketStatus } from '../model/source';
import { proposeCustomField } from './heuristic';
import { type DepartmentInput, proposeTicketDestinations } from './propose-ticket-types';
import { MAX_ATTRIBUTE_STRING } from './targets';

/** Which source objects carry a custom field: ticket/chat/call-log templates, or user values. */
export type FieldChannel = CustomFieldChannel | 'user';

export interface DefaultMapInputs {
  customFields: readonly CustomField[];
  /** Channels each custom field has values or template slots in. */
  fieldChannels: ReadonlyMap<number, ReadonlySet<FieldChannel>>;
  /** A few sample values per custom field (for the heuristic). */
  samples: ReadonlyMap<number, readonly string[]>;
  statuses: readonly TicketStatus[];
  priorities: readonly TicketPriority[];
  departmentNames: readonly string[];
  /** Departments with their ids, for the ticket type candidates (absent: none proposed). */
  departments?: readonly DepartmentInput[];
  brands: readonly { id: number; name: string | null }[];
}

const CHANNEL_OBJECT: Record<FieldChannel, MappedObject> = {
  ticket: 'tickets',
  chat: 'liveChats',
  callLog: 'callLogs',
  user: 'contacts',
};

function std(source: string, field: string, reason: string, extra: Partial<FieldMapping> = {}): FieldMapping {
  return {
    source,
    target: { kind: 'standard', field },
    transform: { kind: 'none', overflow: 'trim' },
    proposal: { by: 'default', confidence: 1, reason },
    reviewed: false,
    ...extra,
  };
}

function attr(
  source: string,
  name: string,
  reason: string,
  dataType: 'string' | 'integer' | 'datetime' | 'boolean' = 'string',
): FieldMapping {
  return {
    source,
    target: { kind: 'attribute', name, dataType, create: true },
    transform:
      dataType === 'string'
        ? { kind: 'string', maxLength: MAX_ATTRIBUTE_STRING, overflow: 'note' }
        : dataType === 'datetime'
          ? { kind: 'date-to-datetime', overflow: 'trim' }
          : { kind: 'none', overflow: 'trim' },
    proposal: { by: 'default', confidence: 1, reason },
    reviewed: false,
  };
}

function drop(source: string, reason: string): FieldMapping {
  return {
    source,
    target: { kind: 'drop', reason },
    transform: { kind: 'none', overflow: 'trim' },
    proposal: { by: 'default', confidence: 1, reason },
    reviewed: false,
  };
}

function team(source: string, reason: string): FieldMapping {
  return {
    source,
    target: { kind: 'team' },
    transform: { kind: 'none', overflow: 'trim' },
    proposal: { by: 'default', confidence: 0.9, reason },
    reviewed: false,
  };
}

function note(source: string, label: string, reason: string, extra: Partial<FieldMapping> = {}): FieldMapping {
  return {
    source,
    target: { kind: 'note', label },
    transform: { kind: 'none', overflow: 'trim' },
    proposal: { by: 'default', confidence: 0.9, reason },
    reviewed: false,
    ...extra,
  };
}

const DATE = { transform: { kind: 'date-to-datetime', overflow: 'trim' } } as const;

/** The SmarterTrack → Intercom map of DEVELOPERS.md, plus a heuristic proposal per custom field. Status: draft. */
export function buildDefaultMap(inputs: DefaultMapInputs): MappingFile {
  const objects: Record<MappedObject, { enabled: boolean; fields: FieldMapping[] }> = {
    companies: {
      enabled: true,
      fields: [
        std('name', 'name', 'organization name'),
        std('website', 'website', 'organization website'),
        attr(
          'phone',
          'Company phone',
          'organizations have a phone; companies have no standard phone field (attribute names are shared with contacts)',
        ),
      ],
    },
    contacts: {
      enabled: true,
      fields: [
        std('email', 'email', 'end user email'),
        std('displayName', 'name', 'display name'),
        std('phone', 'phone', 'phone, where the build keeps one'),
        std('createdAt', 'signed_up_at', 'account creation date', DATE),
        std('lastLoginAt', 'last_seen_at', 'last portal login', DATE),
        drop('userName', 'the login name is replaced by email and external_id'),
        drop('language', 'Intercom detects language from the conversation'),
        drop('emailVerified', 'Intercom verifies emails itself'),
      ],
    },
    tickets: {
      enabled: true,
      fields: [
        std('subject', 'title', 'ticket subject'),
        attr('number', 'SmarterTrack ticket number', 'keeps the number customers quote'),
        attr('channel', 'SmarterTrack channel', 'ticket, live chat or call log'),
        attr('brandName', 'Brand', 'brand, through the department'),
        attr(
          'statusName',
          'SmarterTrack status',
          'the exact source status; the conversation state follows valueMaps.ticketStatus',
        ),
        attr('priorityName', 'SmarterTrack priority', 'the exact source priority; priority follows valueMaps.priority'),
        attr('mergedNumbers', 'Merged ticket numbers', 'numbers of tickets merged into this one'),
        team('departmentName', 'the department selects the team (valueMaps.teams)'),
        drop('groupName', 'the department already selects the team; map the group instead if teams follow groups'),
      ],
    },
    liveChats: {
      enabled: true,
      fields: [
        attr('number', 'SmarterTrack chat number', 'keeps the chat number'),
        attr('channel', 'SmarterTrack channel', 'ticket, live chat or call log'),
        team('departmentName', 'the department selects the team (valueMaps.teams)'),
        drop('groupName', 'the department already selects the team'),
      ],
    },
    callLogs: {
      enabled: true,
      fields: [
        std('subject', 'title', 'call subject'),
        attr('number', 'SmarterTrack call number', 'keeps the call number'),
        attr('channel', 'SmarterTrack channel', 'ticket, live chat or call log'),
        note('description', 'Call notes', "the agent's call notes"),
        note('customerPhone', 'Phone number', 'the number called or calling'),
        team('departmentName', 'the department selects the team (valueMaps.teams)'),
        drop('groupName', 'the department already selects the team'),
      ],
    },
    kbArticles: {
      enabled: true,
      fields: [
        std('subject', 'title', 'article subject'),
        std('summary', 'description', 'article summary, as plain text', {
          transform: { kind: 'html-to-text', maxLength: MAX_ATTRIBUTE_STRING, overflow: 'trim' },
        }),
        std('bodyHtml', 'body', 'article HTML'),
      ],
    },
  };

  for (const field of [...inputs.customFields].sort((a, b) => a.id - b.id)) {
    const channels = inputs.fieldChannels.get(field.id) ?? new Set<FieldChannel>(['ticket']);
    const proposal = proposeCustomField(field, inputs.samples.get(field.id) ?? []);
    for (const channel of [...channels].sort()) objects[CHANNEL_OBJECT[channel]].fields.push(proposal);
  }

  const ticketStatus: Record<string, 'open' | 'closed'> = {};
  for (const s of inputs.statuses) if (s.name) ticketStatus[s.name] = s.isOpen ? 'open' : 'closed';
  const priority: Record<string, 'priority' | 'not_priority'> = {};
  for (const p of inputs.priorities)
    if (p.name) priority[p.name] = /high|urgent|critical|emergency/i.test(p.name) ? 'priority' : 'not_priority';
  const teams: Record<string, string> = {};
  for (const name of inputs.departmentNames) teams[name] = name;
  const brandValues: Record<string, string> = {};
  for (const b of inputs.brands) brandValues[String(b.id)] = b.name ?? `Brand ${b.id}`;

  const file: MappingFileInput = {
    $schema: './mapping.schema.json',
    formatVersion: MAPPING_FORMAT_VERSION,
    objects,
    valueMaps: { ticketStatus, priority, teams, brands: { mode: 'attribute', values: brandValues } },
    ticketDestinations: proposeTicketDestinations({ ...inputs, departments: inputs.departments ?? [] }),
    options: {},
    review: { status: 'draft' },
  };
  return MappingFile.parse(file);
}
