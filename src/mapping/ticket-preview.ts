import { destinationOf, type MappingFile, ticketDestinationsOf, type TicketTypeAttribute } from '../model/mapping';
import type { RecordCaption, TicketPreview } from '../model/mapping-editor-messages';
import type { PreviewInput } from './preview';
import { ticketAttributeValue } from './ticket-attributes';

type Shown = TicketPreview['attributes'][number]['value'];

/** The value as the preview shows it: dates readable. */
function attributeValue(attribute: TicketTypeAttribute, sample: PreviewInput): { value: Shown; issue: string | null } {
  const { value, issue } = ticketAttributeValue(attribute, sample);
  const shown =
    attribute.dataType === 'datetime' && typeof value === 'number' ? new Date(value * 1000).toISOString() : value;
  return { value: shown, issue };
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
