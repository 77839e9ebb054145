import type { CustomField, TicketPriority, TicketStatus } from '../../src/model/source';

/** Source definitions the map proposers read, built short for tests. */

export function customField(
  id: number,
  name: string,
  kind: CustomField['kind'],
  extra: Partial<CustomField> = {},
): CustomField {
  return { id, name, dataType: 0, kind, defaultValue: null, options: [], isGlobal: false, templates: [], ...extra };
}

/** A status in sort order `id`; a closed one is inactive. */
export function ticketStatus(id: number, name: string, isOpen = true): TicketStatus {
  return { id, name, displayName: name, sortOrder: id, isOpen, isActive: isOpen, isLocked: false };
}

export function ticketPriority(id: number, name: string): TicketPriority {
  return { id, name, displayName: name, sortOrder: id };
}
