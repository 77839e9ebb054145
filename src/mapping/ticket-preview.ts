import { customFieldIdOf, type MappingFile, ticketDestinationsOf, type TicketTypeAttribute } from '../model/mapping';
import type { RecordCaption, TicketPreview } from '../model/mapping-editor-messages';
import type { PreviewInput } from './preview';
import { destinationOf } from './ticket-destinations';
import { applyTransform } from './transforms';

type Shown = TicketPreview['attributes'][number]['value'];

/** The transform that turns a source value into what an attribute of this Intercom type takes. */
const TRANSFORM = {
  string: 'string',
  list: 'string',
  integer: 'integer-to-number',
  decimal: 'integer-to-number',
  boolean: 'checkbox-to-boolean',
  datetime: 'date-to-datetime',
} as const;

function attributeValue(attribute: TicketTypeAttribute, sample: PreviewInput): { value: Shown; issue: string | null } {
  const fieldId = customFieldIdOf(attribute.source);
  const raw = fieldId !== null ? sample.customValues?.get(fieldId) : sample.record[attribute.source];
  if (raw === null || raw === undefined || raw === '') return { value: null, issue: null };
  const result = applyTransform(raw, { kind: TRANSFORM[attribute.dataType], overflow: 'trim', invalid: 'fail' });
  if (result.error) return { value: null, issue: result.error };
  let value = result.value as Shown;
  if (attribute.dataType === 'integer' && typeof value === 'number' && !Number.isInteger(value))
    return { value, issue: `${value} is not a whole number` };
  if (attribute.dataType === 'datetime' && typeof value === 'number') value = new Date(value * 1000).toISOString();
  if (attribute.dataType === 'list' && typeof value === 'string' && !attribute.options.includes(value))
    return { value, issue: `"${value}" is not one of the list's options` };
  return { value, issue: null };
}

/**
 * One source ticket of a department as the Intercom ticket the map makes of it: its type, title,
 * attribute values (each checked against the attribute's type) and state. Null while the department
 * goes to conversations or its ticket type is not in the map.
 */
export function previewTicket(
  map: MappingFile,
  department: string,
  sample: PreviewInput & { caption: RecordCaption | null },
): TicketPreview | null {
  const destination = destinationOf(map, Number(department));
  if (destination === 'conversation') return null;
  const tickets = ticketDestinationsOf(map);
  const type = tickets.ticketTypes.find((t) => t.name === destination.ticketType);
  if (!type) return null;
  const status = typeof sample.record.statusName === 'string' ? sample.record.statusName : null;
  const subject = sample.record.subject;
  return {
    department,
    id: sample.id,
    caption: sample.caption,
    ticketType: type.name,
    title: typeof subject === 'string' ? subject : null,
    attributes: type.attributes.map((a) => ({ name: a.name, dataType: a.dataType, ...attributeValue(a, sample) })),
    status,
    state: status !== null ? (tickets.states[status] ?? null) : null,
  };
}
