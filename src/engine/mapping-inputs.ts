import type { CallLog, EndUser, KbArticle, LiveChat, Organization, Ticket } from '../model/source';
import { type CustomValueIndex, customValuesOf } from './custom-values';
import { derivedFields, type SourceLookups } from './lookups';

/**
 * What `applyObjectMapping` is given for each kind of source record: the canonical record (with the
 * derived fields a map can use) and its custom field values. The phases and the mapping preview both
 * build their inputs here, so the preview shows exactly what a run writes.
 */
export interface MappingInput {
  record: Record<string, unknown>;
  customValues: ReadonlyMap<number, string | null>;
}

const NONE: ReadonlyMap<number, string | null> = new Map();

const asRecord = (value: object): Record<string, unknown> => value as unknown as Record<string, unknown>;

export function companyInput(org: Organization): MappingInput {
  return { record: asRecord(org), customValues: NONE };
}

export function contactInput(user: EndUser, userValues: CustomValueIndex): MappingInput {
  return { record: asRecord(user), customValues: customValuesOf(userValues, user.id) };
}

export function ticketInput(ticket: Ticket, lookups: SourceLookups, values: CustomValueIndex): MappingInput {
  return {
    record: { ...ticket, ...derivedFields(lookups, 'ticket', ticket.departmentId, ticket.groupId, ticket.brandId) },
    customValues: customValuesOf(values, ticket.id, 'ticket'),
  };
}

export function chatInput(chat: LiveChat, lookups: SourceLookups, values: CustomValueIndex): MappingInput {
  return {
    record: { ...chat, ...derivedFields(lookups, 'live chat', chat.departmentId, chat.groupId) },
    customValues: customValuesOf(values, chat.id, 'chat'),
  };
}

export function callLogInput(call: CallLog, lookups: SourceLookups, values: CustomValueIndex): MappingInput {
  return {
    record: { ...call, ...derivedFields(lookups, 'call log', call.departmentId, call.groupId) },
    customValues: customValuesOf(values, call.id, 'callLog'),
  };
}

export function articleInput(article: KbArticle): MappingInput {
  return { record: asRecord(article), customValues: NONE };
}
