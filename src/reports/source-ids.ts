import type { ObjectType } from '../model/object-types';
import { attachmentSourceId } from '../model/source';
import type { SourceReader } from '../source';

/**
 * The source id of every record of a type, as the engine journals it: the row id, except
 * composite keys — groups `<departmentId>:<groupId>`, memberships `<organizationId>:<userId>`,
 * custom-field values `<channel>:<recordId>:<fieldId>` — and SLA policies, one per department
 * with a lifecycle setting enabled (its department id).
 */
export async function* sourceIdsOf(reader: SourceReader, type: ObjectType): AsyncGenerator<string> {
  const ids = <T>(items: AsyncIterable<T>, id: (item: T) => string | number | null) => mapIds(items, id);
  switch (type) {
    case 'brands':
      yield* ids(reader.brands(), (r) => r.id);
      return;
    case 'departments':
      yield* ids(reader.departments(), (r) => r.id);
      return;
    case 'groups':
      yield* ids(reader.groups(), (r) => `${r.departmentId}:${r.id}`);
      return;
    case 'agents':
      yield* ids(reader.agents(), (r) => r.id);
      return;
    case 'endUsers':
      yield* ids(reader.endUsers(), (r) => r.id);
      return;
    case 'organizations':
      yield* ids(reader.organizations(), (r) => r.id);
      return;
    case 'organizationMemberships':
      yield* ids(reader.organizationMemberships(), (r) => `${r.organizationId}:${r.userId}`);
      return;
    case 'customFields':
      yield* ids(reader.customFields(), (r) => r.id);
      return;
    case 'customFieldValues':
      yield* ids(reader.customFieldValues(), (r) => `${r.channel}:${r.recordId}:${r.fieldId}`);
      return;
    case 'tickets':
      yield* ids(reader.tickets(), (r) => r.id);
      return;
    case 'ticketMessages':
      yield* ids(reader.ticketMessages(), (r) => r.id);
      return;
    case 'ticketComments':
      yield* ids(reader.ticketComments(), (r) => r.id);
      return;
    case 'attachments':
      yield* ids(reader.attachments(), (r) => attachmentSourceId(r));
      return;
    case 'liveChats':
      yield* ids(reader.liveChats(), (r) => r.id);
      return;
    case 'chatMessages':
      yield* ids(reader.chatMessages(), (r) => r.id);
      return;
    case 'callLogs':
      yield* ids(reader.callLogs(), (r) => r.id);
      return;
    case 'kbCategories':
      yield* ids(reader.kbCategories(), (r) => r.id);
      return;
    case 'kbArticles':
      yield* ids(reader.kbArticles(), (r) => r.id);
      return;
    case 'tags':
      yield* ids(reader.tags(), (r) => r.id);
      return;
    case 'automationRules':
      yield* ids(reader.automationRules(), (r) => r.id);
      return;
    case 'slaPolicies':
      yield* ids(reader.departmentPolicies(), (p) =>
        p.autoClose.enabled || p.autoLock.enabled || p.autoDelete.enabled ? p.departmentId : null,
      );
      return;
  }
}

async function* mapIds<T>(items: AsyncIterable<T>, id: (item: T) => string | number | null): AsyncGenerator<string> {
  for await (const item of items) {
    const value = id(item);
    if (value !== null) yield String(value);
  }
}
