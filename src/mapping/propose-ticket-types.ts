import {
  customFieldSource,
  type TicketAttributeType,
  type TicketDestinations,
  type TicketTypeAttribute,
  type TicketTypeDefinition,
} from '../model/mapping';
import type { CustomField, TicketPriority, TicketStatus } from '../model/source';
import { proposeCustomField } from './heuristic';

/** A department as the proposer needs it. */
export interface DepartmentInput {
  id: number;
  name: string | null;
  deleted: boolean;
}

export interface TicketTypeInputs {
  departments: readonly DepartmentInput[];
  customFields: readonly CustomField[];
  /** Channels each custom field has values or template slots in (absent: tickets, as the default map reads it). */
  fieldChannels: ReadonlyMap<number, ReadonlySet<string>>;
  samples: ReadonlyMap<number, readonly string[]>;
  statuses: readonly TicketStatus[];
  priorities: readonly TicketPriority[];
}

/**
 * Intercom's default ticket states, by the name GET /ticket_states gives them (internal label). A
 * workspace can rename them; the plan reports a state the workspace lacks.
 */
const STATE = {
  submitted: 'Submitted',
  inProgress: 'In progress',
  waiting: 'Waiting on customer',
  resolved: 'Resolved',
} as const;

/** Closed statuses resolve; waiting-like ones wait on the customer; new-like ones are submitted. */
function stateFor(status: TicketStatus): string {
  const name = `${status.name ?? ''} ${status.displayName ?? ''}`;
  if (!status.isOpen || /closed|resolved|complete|done/i.test(name)) return STATE.resolved;
  if (/wait|pending|hold|customer|reply/i.test(name)) return STATE.waiting;
  if (/new|submitted|unassigned|received/i.test(name)) return STATE.submitted;
  return STATE.inProgress;
}

const FIELD_TYPES: Record<string, TicketAttributeType> = {
  string: 'string',
  integer: 'integer',
  float: 'decimal',
  boolean: 'boolean',
  datetime: 'datetime',
};

/** A custom field as a ticket attribute: a drop-down becomes a list of its options, the rest as the heuristic types it. */
function customAttribute(field: CustomField, samples: readonly string[]): TicketTypeAttribute {
  const proposal = proposeCustomField(field, samples);
  const label = field.name ?? `Field ${field.id}`;
  const base = { name: label, description: `SmarterTrack custom field ${field.id}`, label };
  const options = [...new Set(field.options.map((o) => o.trim()).filter((o) => o !== ''))];
  // Intercom takes a list's items comma-separated: an option with a comma in it cannot be one.
  const withComma = options.filter((o) => o.includes(','));
  if (field.kind === 'dropdown' && options.length > 0 && withComma.length > 0)
    return {
      ...base,
      dataType: 'string',
      options: [],
      source: customFieldSource(field.id),
      proposal: {
        by: 'heuristic',
        confidence: 0.6,
        reason: `drop-down whose option "${withComma[0]}" holds a comma, which an Intercom list cannot: text`,
      },
    };
  if (field.kind === 'dropdown' && options.length > 0) {
    return {
      ...base,
      dataType: 'list',
      options,
      source: customFieldSource(field.id),
      proposal: { by: 'heuristic', confidence: 0.85, reason: `drop-down with ${options.length} options: a list` },
    };
  }
  const dataType = proposal.target.kind === 'attribute' ? FIELD_TYPES[proposal.target.dataType] : undefined;
  return {
    ...base,
    dataType: dataType ?? 'string',
    options: [],
    source: customFieldSource(field.id),
    ...(proposal.proposal ? { proposal: proposal.proposal } : {}),
  };
}

/** Ticket fields of a department: templates that name it for tickets, and global fields that tickets carry. */
function fieldsOf(department: DepartmentInput, inputs: TicketTypeInputs): CustomField[] {
  const onTickets = (f: CustomField) => inputs.fieldChannels.get(f.id)?.has('ticket') ?? true;
  return inputs.customFields.filter(
    (f) =>
      (f.isGlobal && onTickets(f)) ||
      f.templates.some((t) => t.departments.some((d) => d.departmentId === department.id && d.channel === 'ticket')),
  );
}

const NUMBER_ATTRIBUTE = 'SmarterTrack ticket number';

function typeName(department: DepartmentInput, taken: Set<string>): string {
  const base = department.name?.trim() || `Department ${department.id}`;
  const name = taken.has(base.toLowerCase()) ? `${base} (${department.id})` : base;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * A ticket type candidate per department (named after it, its ticket custom fields and the priority
 * as attributes) and a status → state map. Every department stays a conversation: a person opts in.
 */
export function proposeTicketDestinations(inputs: TicketTypeInputs): TicketDestinations {
  const taken = new Set<string>();
  const priorityNames = [...new Set(inputs.priorities.map((p) => p.name?.trim() ?? '').filter((n) => n !== ''))];
  const departments: TicketDestinations['departments'] = {};
  const ticketTypes: TicketTypeDefinition[] = [];
  for (const department of [...inputs.departments].sort((a, b) => a.id - b.id)) {
    if (department.deleted) continue;
    departments[String(department.id)] = { name: department.name ?? '', destination: 'conversation' };
    const names = new Set<string>();
    const attributes = fieldsOf(department, inputs)
      .sort((a, b) => a.id - b.id)
      .map((f) => {
        const attribute = customAttribute(f, inputs.samples.get(f.id) ?? []);
        // Names are unique within a type: a second field of the same name keeps its id.
        const name = names.has(attribute.name.toLowerCase()) ? `${attribute.name} (${f.id})` : attribute.name;
        names.add(name.toLowerCase());
        return { ...attribute, name };
      });
    if (priorityNames.length > 0 && !attributes.some((a) => a.name.toLowerCase() === 'priority'))
      attributes.push({
        name: 'Priority',
        description: 'SmarterTrack priority',
        dataType: 'list',
        options: priorityNames,
        source: 'priorityName',
        proposal: { by: 'heuristic', confidence: 0.8, reason: 'the ticket priority, as a list of its names' },
      });
    // Intercom numbers tickets anew: the SmarterTrack number stays searchable as an attribute.
    if (!attributes.some((a) => a.name.toLowerCase() === NUMBER_ATTRIBUTE.toLowerCase()))
      attributes.push({
        name: NUMBER_ATTRIBUTE,
        description: 'The ticket number in SmarterTrack',
        dataType: 'string',
        options: [],
        source: 'number',
        proposal: { by: 'heuristic', confidence: 0.9, reason: 'the number people know the ticket by' },
      });
    ticketTypes.push({
      name: typeName(department, taken),
      description: `Tickets of the SmarterTrack department ${department.name ?? department.id}`,
      category: 'Customer',
      attributes,
      proposal: {
        by: 'heuristic',
        confidence: 0.6,
        reason: `one type per department; ${attributes.length} attribute(s) from its ticket fields`,
      },
    });
  }
  const states: Record<string, string> = {};
  for (const s of inputs.statuses) if (s.name) states[s.name] = stateFor(s);
  return { default: 'conversation', departments, ticketTypes, states };
}
