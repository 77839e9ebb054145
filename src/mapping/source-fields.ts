import type { MappedObject } from '../model/mapping';

type SourceValueType = 'string' | 'email' | 'html' | 'text' | 'datetime' | 'integer' | 'boolean' | 'id' | 'list';

export interface SourceField {
  /** Property of the canonical record (src/model/source.ts). */
  path: string;
  type: SourceValueType;
  /** Personal data: the AI proposer redacts its values by default. */
  personal?: boolean;
}

/**
 * The canonical record fields a map can use, per mapped object. Custom fields are added at run time
 * as `custom:<fieldId>` from the source's field definitions. Derived fields (`channel`, `brandName`,
 * `departmentName`, `groupName`) are filled in by the engine from lookups before the map is applied.
 */
export const SOURCE_FIELDS: Record<MappedObject, SourceField[]> = {
  companies: [
    { path: 'id', type: 'id' },
    { path: 'name', type: 'string', personal: true },
    { path: 'website', type: 'string', personal: true },
    { path: 'phone', type: 'string', personal: true },
  ],
  contacts: [
    { path: 'id', type: 'id' },
    { path: 'email', type: 'email', personal: true },
    { path: 'displayName', type: 'string', personal: true },
    { path: 'userName', type: 'string', personal: true },
    { path: 'phone', type: 'string', personal: true },
    { path: 'language', type: 'string' },
    { path: 'createdAt', type: 'datetime' },
    { path: 'lastLoginAt', type: 'datetime' },
    { path: 'emailVerified', type: 'boolean' },
    { path: 'deleted', type: 'boolean' },
  ],
  tickets: [
    { path: 'id', type: 'id' },
    { path: 'number', type: 'string' },
    { path: 'subject', type: 'string', personal: true },
    { path: 'statusName', type: 'string' },
    { path: 'priorityName', type: 'string' },
    { path: 'departmentId', type: 'id' },
    { path: 'groupId', type: 'id' },
    { path: 'brandId', type: 'id' },
    { path: 'openedAt', type: 'datetime' },
    { path: 'closedAt', type: 'datetime' },
    { path: 'mergedNumbers', type: 'list' },
    { path: 'channel', type: 'string' },
    { path: 'brandName', type: 'string' },
    { path: 'departmentName', type: 'string' },
    { path: 'groupName', type: 'string' },
  ],
  liveChats: [
    { path: 'id', type: 'id' },
    { path: 'number', type: 'string' },
    { path: 'initialQuestion', type: 'text', personal: true },
    { path: 'departmentId', type: 'id' },
    { path: 'groupId', type: 'id' },
    { path: 'startedAt', type: 'datetime' },
    { path: 'endedAt', type: 'datetime' },
    { path: 'channel', type: 'string' },
    { path: 'departmentName', type: 'string' },
    { path: 'groupName', type: 'string' },
  ],
  callLogs: [
    { path: 'id', type: 'id' },
    { path: 'number', type: 'string' },
    { path: 'subject', type: 'string', personal: true },
    { path: 'description', type: 'text', personal: true },
    { path: 'customerPhone', type: 'string', personal: true },
    { path: 'outgoing', type: 'boolean' },
    { path: 'departmentId', type: 'id' },
    { path: 'groupId', type: 'id' },
    { path: 'startedAt', type: 'datetime' },
    { path: 'endedAt', type: 'datetime' },
    { path: 'channel', type: 'string' },
    { path: 'departmentName', type: 'string' },
    { path: 'groupName', type: 'string' },
  ],
  kbArticles: [
    { path: 'id', type: 'id' },
    { path: 'subject', type: 'string' },
    { path: 'summary', type: 'text' },
    { path: 'bodyHtml', type: 'html' },
    { path: 'createdAt', type: 'datetime' },
    { path: 'modifiedAt', type: 'datetime' },
  ],
};
