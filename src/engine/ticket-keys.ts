import { type IntercomClient, PlanRestrictedError } from '../intercom';
import type { TicketType } from '../intercom/schemas/tickets';
import { parseConversationSourceKey, SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';

/** An Intercom ticket that carries this tool's source key: the SmarterTrack ticket it stands for. */
export interface KeyedTicket {
  sourceId: string;
  ticketId: string;
}

/** The id of a type's source key attribute (configure adds it to every type the map uses), if it has one. */
async function keyAttributeOf(client: IntercomClient, type: TicketType): Promise<string | undefined> {
  const attributes =
    type.ticket_type_attributes?.data ?? (await client.ticketTypes.get(String(type.id))).ticket_type_attributes?.data;
  const attribute = (attributes ?? []).find((a) => a.name === SOURCE_KEY_ATTRIBUTE);
  return attribute ? String(attribute.id) : undefined;
}

/**
 * The Intercom tickets of this source, by the key each carries in its `st2ic_source_key` ticket
 * attribute (set in the create itself): for every ticket type of the workspace that has the
 * attribute (a type the map no longer uses still holds the tickets sent to it), the tickets whose
 * key starts with `ticket:`, found by ticket search on the attribute. `perType` stops after the first
 * ones of each type (the probes of a writing run). Search lags behind writes by seconds: a ticket
 * created moments ago may not be found yet. A token that may not read tickets wrote none.
 */
export async function* keyedTickets(client: IntercomClient, perType = Infinity): AsyncGenerator<KeyedTicket> {
  let types: TicketType[];
  try {
    types = await client.ticketTypes.list();
  } catch (error) {
    if (error instanceof PlanRestrictedError) return;
    throw error;
  }
  for (const type of types) {
    const attributeId = await keyAttributeOf(client, type);
    if (attributeId === undefined) continue;
    let n = 0;
    const query = { field: `ticket_attribute.${attributeId}`, operator: '^' as const, value: 'ticket:' };
    for await (const ticket of client.tickets.search(query, Math.min(perType, 150))) {
      if (n++ >= perType) break;
      const key = parseConversationSourceKey(ticket.ticket_attributes?.[SOURCE_KEY_ATTRIBUTE]);
      if (key?.objectType === 'tickets') yield { sourceId: key.sourceId, ticketId: String(ticket.id) };
    }
  }
}
