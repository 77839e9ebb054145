import type { MappingFile } from '../../src/model/mapping';

/**
 * The map with its first `count` proposed departments sent to their proposed ticket types (the
 * proposer writes one type per department); the rest stay conversations. Returns the departments sent.
 */
export function sendDepartmentsToTickets(
  map: MappingFile,
  count = 2,
): { map: MappingFile; sent: { id: string; type: string }[] } {
  const tickets = structuredClone(map.ticketDestinations!);
  const ids = Object.keys(tickets.departments).slice(0, count);
  const sent = ids.map((id, i) => ({ id, type: tickets.ticketTypes[i]!.name }));
  for (const { id, type } of sent) tickets.departments[id]!.destination = { ticketType: type };
  return { map: { ...map, ticketDestinations: tickets }, sent };
}
