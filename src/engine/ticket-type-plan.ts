import type { IntercomClient } from '../intercom';
import { departmentsSentToTickets, ticketDestinationProblems, ticketTypesInUse } from '../mapping/ticket-destinations';
import {
  type MappingFile,
  type TicketAttributeType,
  ticketDestinationsOf,
  type TicketTypeAttribute,
  type TicketTypeDefinition,
} from '../model/mapping';
import { SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';
import { EngineUsageError } from './errors';

/** One ticket type the map sends departments to, against what the workspace has. */
export interface TicketTypePlan {
  definition: TicketTypeDefinition;
  /** The existing type's id; null: configure creates it. */
  id: string | null;
  attributesToCreate: TicketTypeAttribute[];
  attributesExisting: string[];
  /** The type lacks the attribute that carries each ticket's source key: configure adds it, hidden from customers. */
  sourceKeyMissing: boolean;
  sourceKeyName: string;
  /** `department 3 "Support"`, for the plan. */
  usedBy: string[];
}

export interface TicketsPlan {
  types: TicketTypePlan[];
  /** States the map names that the workspace lacks (the API cannot create states), with the statuses that need them. */
  statesMissing: { state: string; statuses: string[] }[];
  /**
   * Statuses whose ticket state says the opposite of the status: a closed status mapped to a state
   * that is not resolved, or an open one to a resolved state (the ticket would look done, or not).
   */
  stateMismatches: { status: string; state: string; category: string; closed: boolean }[];
  /** Existing attributes of another data type than the map's. */
  attributeConflicts: { ticketType: string; attribute: string; wanted: TicketAttributeType; existingType: string }[];
}

/** The workspace's ticket types by name (their ids and attribute ids by name) and its states by name. */
export interface WorkspaceTickets {
  types: Map<string, { id: string; attributes: Map<string, string> }>;
  states: Map<string, string>;
}

/** How the workspace's ticket types, attributes and states are keyed: names compare trimmed and in any case. */
export const ticketNameKey = (s: string) => s.trim().toLowerCase();
const key = ticketNameKey;

/** The ticket types, attributes and states the map needs; nothing is read from Intercom when no department is sent to tickets. */
export async function planTickets(
  client: IntercomClient,
  map: MappingFile,
): Promise<{ plan: TicketsPlan; workspace: WorkspaceTickets }> {
  const workspace: WorkspaceTickets = { types: new Map(), states: new Map() };
  const plan: TicketsPlan = { types: [], statesMissing: [], stateMismatches: [], attributeConflicts: [] };
  const departments = departmentsSentToTickets(map);
  if (departments.length === 0) return { plan, workspace };
  const problems = ticketDestinationProblems(map);
  if (problems.length > 0)
    throw new EngineUsageError(`mapping.json cannot send tickets to Intercom tickets yet:\n  ${problems.join('\n  ')}`);

  for (const t of await client.ticketTypes.list()) {
    if (t.archived) continue;
    const attributes = new Map<string, string>();
    for (const a of t.ticket_type_attributes?.data ?? []) if (!a.archived) attributes.set(key(a.name), String(a.id));
    workspace.types.set(key(t.name), { id: String(t.id), attributes });
    const existing = t.ticket_type_attributes?.data ?? [];
    for (const wanted of ticketTypesInUse(map).filter((d) => key(d.name) === key(t.name)))
      for (const a of wanted.attributes) {
        const found = existing.find((e) => !e.archived && key(e.name) === key(a.name));
        if (found && found.data_type !== a.dataType)
          plan.attributeConflicts.push({
            ticketType: wanted.name,
            attribute: a.name,
            wanted: a.dataType,
            existingType: found.data_type,
          });
      }
  }
  const categories = new Map<string, string>();
  for (const s of await client.ticketTypes.listStates()) {
    if (s.archived === true) continue;
    for (const label of [s.internal_label, s.external_label])
      if (label && !workspace.states.has(key(label))) {
        workspace.states.set(key(label), String(s.id));
        categories.set(key(label), s.category);
      }
  }

  for (const definition of ticketTypesInUse(map)) {
    const existing = workspace.types.get(key(definition.name));
    const conflicting = new Set(
      plan.attributeConflicts.filter((c) => c.ticketType === definition.name).map((c) => key(c.attribute)),
    );
    const present = definition.attributes.filter((a) => existing?.attributes.has(key(a.name)));
    plan.types.push({
      definition,
      id: existing?.id ?? null,
      attributesToCreate: definition.attributes.filter(
        (a) => !existing?.attributes.has(key(a.name)) && !conflicting.has(key(a.name)),
      ),
      attributesExisting: present.filter((a) => !conflicting.has(key(a.name))).map((a) => a.name),
      sourceKeyMissing: !existing?.attributes.has(key(SOURCE_KEY_ATTRIBUTE)),
      sourceKeyName: SOURCE_KEY_ATTRIBUTE,
      usedBy: departments.filter((d) => d.ticketType === definition.name).map((d) => d.label),
    });
  }
  const missing = new Map<string, string[]>();
  for (const [status, state] of Object.entries(ticketDestinationsOf(map).states)) {
    const category = categories.get(key(state));
    const closed = map.valueMaps.ticketStatus[status] === 'closed';
    if (category !== undefined && closed !== (category === 'resolved'))
      plan.stateMismatches.push({ status, state, category, closed });
    if (workspace.states.has(key(state))) continue;
    missing.set(state, [...(missing.get(state) ?? []), status]);
  }
  plan.statesMissing = [...missing].map(([state, statuses]) => ({ state, statuses }));
  return { plan, workspace };
}

/** A status whose ticket state says the opposite, in words: a warning, the reviewer may mean it. */
export function stateMismatchText(m: TicketsPlan['stateMismatches'][number]): string {
  return m.closed
    ? `SmarterTrack status "${m.status}" is closed, but its ticket state "${m.state}" is ${m.category.replaceAll('_', ' ')}: its tickets will look open in Intercom (ticketDestinations.states)`
    : `SmarterTrack status "${m.status}" is open, but its ticket state "${m.state}" is resolved: its tickets will look done in Intercom (ticketDestinations.states)`;
}
