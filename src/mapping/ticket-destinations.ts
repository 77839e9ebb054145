import {
  customFieldIdOf,
  type MappingFile,
  ticketDestinationsOf,
  type TicketTypeAttribute,
  type TicketTypeDefinition,
} from '../model/mapping';
import { SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';
import { SOURCE_FIELDS } from './source-fields';

export interface TicketDepartment {
  /** Department id, or `default` for the map's default destination. */
  key: string;
  /** `department 3 "Support"`, or `the default destination`. */
  label: string;
  ticketType: string;
}

/** Every department (and the default) sent to an Intercom ticket type, in the map's order. */
export function departmentsSentToTickets(map: Pick<MappingFile, 'ticketDestinations'>): TicketDepartment[] {
  const destinations = ticketDestinationsOf(map);
  const out: TicketDepartment[] = [];
  if (destinations.default !== 'conversation')
    out.push({ key: 'default', label: 'the default destination', ticketType: destinations.default.ticketType });
  for (const [id, entry] of Object.entries(destinations.departments)) {
    if (entry.destination === 'conversation') continue;
    const label = `department ${id}${entry.name ? ` "${entry.name}"` : ''}`;
    out.push({ key: id, label, ticketType: entry.destination.ticketType });
  }
  return out;
}

/** The ticket types some department is sent to: what `configure` needs in Intercom. */
export function ticketTypesInUse(map: Pick<MappingFile, 'ticketDestinations'>): TicketTypeDefinition[] {
  const used = new Set(departmentsSentToTickets(map).map((d) => d.ticketType));
  return ticketDestinationsOf(map).ticketTypes.filter((t) => used.has(t.name));
}

const TICKET_FIELDS = new Set(SOURCE_FIELDS.tickets.map((f) => f.path));

const knownSource = (source: string) => TICKET_FIELDS.has(source) || customFieldIdOf(source) !== null;

/** Attributes every ticket type has: Intercom's title and description, and the migration's source key. */
const RESERVED_ATTRIBUTES = new Set(['_default_title_', '_default_description_', SOURCE_KEY_ATTRIBUTE]);

/** What is wrong with one attribute by itself (its name beside the type's others is the caller's to check). */
export function attributeProblems(a: Pick<TicketTypeAttribute, 'name' | 'dataType' | 'options' | 'source'>): string[] {
  const problems: string[] = [];
  if (a.source.trim() === '') problems.push('no source field feeds it');
  else if (!knownSource(a.source))
    problems.push(`unknown source field "${a.source}" (a ticket field or custom:<fieldId>)`);
  if (a.dataType === 'list' && a.options.length === 0) problems.push('a list attribute needs its options');
  for (const option of a.dataType === 'list' ? a.options.filter((o) => o.includes(',')) : [])
    problems.push(`option "${option}" holds a comma, which Intercom's list items cannot (make it text)`);
  if (RESERVED_ATTRIBUTES.has(a.name.trim().toLowerCase()))
    problems.push(`"${a.name}" is a name Intercom or the migration gives an attribute of every ticket type`);
  return problems;
}

/**
 * The fields an attribute can read, for a reviewer to pick from: the ticket's own, then the custom
 * fields the map knows on tickets (its ticket fields and its attributes' sources), with their labels.
 */
export function ticketAttributeSources(map: MappingFile): { source: string; label?: string }[] {
  const out = new Map<string, { source: string; label?: string }>();
  for (const f of SOURCE_FIELDS.tickets) out.set(f.path, { source: f.path });
  const fields = [...map.objects.tickets.fields, ...ticketDestinationsOf(map).ticketTypes.flatMap((t) => t.attributes)];
  for (const f of fields)
    if (customFieldIdOf(f.source) !== null && !out.has(f.source))
      out.set(f.source, { source: f.source, ...(f.label ? { label: f.label } : {}) });
  return [...out.values()];
}

function typeProblems(type: TicketTypeDefinition, where: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of type.attributes) {
    const at = `ticket type "${type.name}" attribute "${a.name}" (${where})`;
    if (seen.has(a.name.toLowerCase())) problems.push(`${at}: the type has two attributes of this name`);
    seen.add(a.name.toLowerCase());
    problems.push(...attributeProblems(a).map((p) => `${at}: ${p}`));
  }
  return problems;
}

/**
 * What stops the map from sending tickets to Intercom tickets, each naming the department and the
 * field: an unknown ticket type, an attribute without a source, a list without options, a status
 * without a state. Departments left to conversations are not checked.
 */
export function ticketDestinationProblems(map: MappingFile): string[] {
  const destinations = ticketDestinationsOf(map);
  const problems: string[] = [];
  const names = new Map<string, number>();
  for (const t of destinations.ticketTypes) names.set(t.name, (names.get(t.name) ?? 0) + 1);
  for (const [name, count] of names)
    if (count > 1) problems.push(`ticketDestinations.ticketTypes: ${count} ticket types are named "${name}"`);
  const checked = new Set<string>();
  const statuses = Object.keys(map.valueMaps.ticketStatus);
  for (const department of departmentsSentToTickets(map)) {
    const type = destinations.ticketTypes.find((t) => t.name === department.ticketType);
    if (!type) {
      problems.push(
        `${department.label}: ticket type "${department.ticketType}" is not defined in ticketDestinations.ticketTypes`,
      );
      continue;
    }
    if (!checked.has(type.name)) problems.push(...typeProblems(type, `for ${department.label}`));
    checked.add(type.name);
    for (const status of statuses)
      if (!destinations.states[status]?.trim())
        problems.push(`${department.label}: status "${status}" has no ticket state (ticketDestinations.states)`);
  }
  return problems;
}
