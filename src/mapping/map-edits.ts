import {
  type FieldMapping,
  type MappedObject,
  type MappingFile,
  type MappingTarget,
  targetLabel,
  type TicketDestination,
  ticketDestinationsOf,
  type TicketTypeAttribute,
  type TicketTypeDefinition,
  type Transform,
} from '../model/mapping';
import type { GlobalValueMap } from '../model/mapping-editor-messages';
import { MappingError } from './errors';
import { attributeProblems } from './ticket-destinations';

/**
 * The edits a reviewer makes in the mapping editor, as pure functions from one map to the next. The
 * editor writes their result into the mapping.json document, so each is an ordinary, undoable edit
 * with a readable diff.
 */

/** Below this confidence a proposal is flagged for a closer look. */
export const LOW_CONFIDENCE = 0.6;

export interface FieldRef {
  object: MappedObject;
  index: number;
  source: string;
}

export class StaleEditError extends MappingError {
  override readonly name = 'StaleEditError';
}

function withField(map: MappingFile, ref: FieldRef, change: (field: FieldMapping) => FieldMapping): MappingFile {
  const fields = map.objects[ref.object].fields;
  const field = fields[ref.index];
  if (!field || field.source !== ref.source) {
    throw new StaleEditError(
      `${ref.object} field ${ref.index} is not "${ref.source}" any more: the map changed; the editor shows it again`,
    );
  }
  const next = fields.map((f, i) => (i === ref.index ? change(f) : f));
  return { ...map, objects: { ...map.objects, [ref.object]: { ...map.objects[ref.object], fields: next } } };
}

/** A person's change replaces the machine's proposal; the old target stays in the reason for the record. */
function byPerson(field: FieldMapping, target: MappingTarget, transform: Transform): FieldMapping {
  const before = targetLabel(field);
  const after = targetLabel({ target });
  const reason = before === after ? 'set by the reviewer' : `set by the reviewer (proposed: ${before})`;
  return { ...field, target, transform, proposal: { by: 'person', confidence: 1, reason }, reviewed: true };
}

export function acceptField(map: MappingFile, ref: FieldRef): MappingFile {
  return withField(map, ref, (f) => ({ ...f, reviewed: true }));
}

export function dropField(map: MappingFile, ref: FieldRef, reason: string): MappingFile {
  return withField(map, ref, (f) =>
    byPerson(f, { kind: 'drop', reason: reason.trim() || 'dropped by the reviewer' }, { ...f.transform, kind: 'none' }),
  );
}

export function editField(map: MappingFile, ref: FieldRef, target: MappingTarget, transform: Transform): MappingFile {
  return withField(map, ref, (f) => byPerson(f, target, transform));
}

/** Fields without a proposal were written by a person: they count as fully confident. */
export function confidenceOf(field: FieldMapping): number {
  return field.proposal?.confidence ?? 1;
}

/** Marks reviewed every field at or above `min` confidence; returns the map and how many changed. */
export function acceptAbove(
  map: MappingFile,
  object: MappedObject | 'all',
  min: number,
): { map: MappingFile; accepted: number } {
  let accepted = 0;
  const objects = { ...map.objects };
  for (const key of Object.keys(objects) as MappedObject[]) {
    if (object !== 'all' && key !== object) continue;
    objects[key] = {
      ...objects[key],
      fields: objects[key].fields.map((f) => {
        if (f.reviewed || confidenceOf(f) < min) return f;
        accepted++;
        return { ...f, reviewed: true };
      }),
    };
  }
  return { map: { ...map, objects }, accepted };
}

export function setObjectEnabled(map: MappingFile, object: MappedObject, enabled: boolean): MappingFile {
  return { ...map, objects: { ...map.objects, [object]: { ...map.objects[object], enabled } } };
}

export function setGlobalValueMap(map: MappingFile, entry: GlobalValueMap): MappingFile {
  const current: Record<string, string> = { ...map.valueMaps[entry.map] };
  if (entry.value === null) delete current[entry.key];
  else current[entry.key] = entry.value;
  return { ...map, valueMaps: { ...map.valueMaps, [entry.map]: current } };
}

/** Sends one department's tickets (or, with `default`, every department without an entry) to a conversation or a ticket type. */
export function setTicketDestination(
  map: MappingFile,
  department: string,
  destination: TicketDestination,
): MappingFile {
  const tickets = ticketDestinationsOf(map);
  if (destination !== 'conversation' && !tickets.ticketTypes.some((t) => t.name === destination.ticketType))
    throw typeGone(destination.ticketType);
  if (department === 'default') return { ...map, ticketDestinations: { ...tickets, default: destination } };
  const entry = tickets.departments[department];
  if (!entry) throw new StaleEditError(`department ${department} is not in the map's ticket destinations`);
  return {
    ...map,
    ticketDestinations: {
      ...tickets,
      departments: { ...tickets.departments, [department]: { ...entry, destination } },
    },
  };
}

export function setTicketState(map: MappingFile, status: string, state: string | null): MappingFile {
  const tickets = ticketDestinationsOf(map);
  const states = { ...tickets.states };
  if (state === null) delete states[status];
  else states[status] = state;
  return { ...map, ticketDestinations: { ...tickets, states } };
}

const typeGone = (ticketType: string) => new StaleEditError(`ticket type "${ticketType}" is not in the map any more`);

/** One ticket type of the map with its attributes changed; refused when the map has no type of that name any more. */
function withTicketType(
  map: MappingFile,
  ticketType: string,
  change: (type: TicketTypeDefinition) => TicketTypeAttribute[],
): MappingFile {
  const tickets = ticketDestinationsOf(map);
  const at = tickets.ticketTypes.findIndex((t) => t.name === ticketType);
  if (at < 0) throw typeGone(ticketType);
  const ticketTypes = tickets.ticketTypes.map((t, i) => (i === at ? { ...t, attributes: change(t) } : t));
  return { ...map, ticketDestinations: { ...tickets, ticketTypes } };
}

function attributeAt(type: TicketTypeDefinition, name: string): number {
  const at = type.attributes.findIndex((a) => a.name === name);
  if (at < 0) throw new StaleEditError(`ticket type "${type.name}" has no attribute "${name}" any more`);
  return at;
}

/**
 * An attribute as a reviewer set it, checked as validation checks the map (a known source, a list's
 * options) and against the type's other attributes (`replaces`: the position it takes). Options are
 * kept for lists only.
 */
function checkedAttribute(
  type: TicketTypeDefinition,
  attribute: TicketTypeAttribute,
  replaces?: number,
): TicketTypeAttribute {
  const name = attribute.name.trim();
  if (name === '') throw new StaleEditError(`ticket type "${type.name}": an attribute needs a name`);
  const at = `ticket type "${type.name}" attribute "${name}"`;
  const clash = type.attributes.find((a, i) => i !== replaces && a.name.toLowerCase() === name.toLowerCase());
  if (clash) throw new StaleEditError(`${at}: the type has an attribute "${clash.name}" already`);
  const options = attribute.dataType === 'list' ? attribute.options.map((o) => o.trim()).filter((o) => o !== '') : [];
  const problems = attributeProblems({ ...attribute, name, options });
  if (new Set(options.map((o) => o.toLowerCase())).size < options.length) problems.push('an option is there twice');
  if (problems.length > 0) throw new StaleEditError(`${at}: ${problems.join('; ')}`);
  return { ...attribute, name, options, source: attribute.source.trim() };
}

/** `Plan: list of custom:1`: what a person's edit replaced. */
const attributeSummary = (a: TicketTypeAttribute) => `${a.name}: ${a.dataType} of ${a.source || 'no source'}`;

/**
 * Replaces one attribute of a ticket type (its name may change). As with a field, the machine's
 * proposal becomes the reviewer's, the old attribute kept in its reason for the record.
 */
export function setTicketAttribute(
  map: MappingFile,
  ticketType: string,
  originalName: string,
  attribute: TicketTypeAttribute,
): MappingFile {
  return withTicketType(map, ticketType, (type) => {
    const at = attributeAt(type, originalName);
    const edited = checkedAttribute(type, attribute, at);
    const before = attributeSummary(type.attributes[at]!);
    const reason =
      before === attributeSummary(edited) ? 'set by the reviewer' : `set by the reviewer (proposed: ${before})`;
    return type.attributes.map((a, i) =>
      i === at ? { ...edited, proposal: { by: 'person', confidence: 1, reason } } : a,
    );
  });
}

export function addTicketAttribute(map: MappingFile, ticketType: string, attribute: TicketTypeAttribute): MappingFile {
  return withTicketType(map, ticketType, (type) => [
    ...type.attributes,
    {
      ...checkedAttribute(type, attribute),
      proposal: { by: 'person', confidence: 1, reason: 'added by the reviewer' },
    },
  ]);
}

export function removeTicketAttribute(map: MappingFile, ticketType: string, name: string): MappingFile {
  return withTicketType(map, ticketType, (type) => {
    const at = attributeAt(type, name);
    return type.attributes.filter((_, i) => i !== at);
  });
}

/** Where the same Intercom field or attribute is fed by more than one source field of an object. */
export function conflictingFields(map: MappingFile, object: MappedObject): Set<number> {
  const byTarget = new Map<string, number[]>();
  map.objects[object].fields.forEach((f, i) => {
    const t = f.target;
    const key =
      t.kind === 'standard'
        ? `standard:${t.field}`
        : t.kind === 'attribute'
          ? `attribute:${t.name.toLowerCase()}`
          : undefined;
    if (key) byTarget.set(key, [...(byTarget.get(key) ?? []), i]);
  });
  return new Set([...byTarget.values()].filter((list) => list.length > 1).flat());
}
