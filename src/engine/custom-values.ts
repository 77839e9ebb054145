import type { CustomFieldChannel } from '../model/source';
import type { SourceReader } from '../source';

/** Custom field values by record: `<channel>:<recordId>` → field id → value. */
export type CustomValueIndex = Map<string, Map<number, string | null>>;

const EMPTY: ReadonlyMap<number, string | null> = new Map();

/**
 * Loads the custom field values of tickets, chats and call logs (or of users) into memory: a few
 * values per record, far smaller than the records themselves, and joined by id while records stream.
 */
export async function loadCustomValues(
  reader: SourceReader,
): Promise<{ records: CustomValueIndex; users: CustomValueIndex }> {
  const records: CustomValueIndex = new Map();
  const users: CustomValueIndex = new Map();
  for await (const v of reader.customFieldValues())
    put(v.channel === 'user' ? users : records, `${v.channel}:${v.recordId}`, v.fieldId, v.value);
  return { records, users };
}

/** The values of a few records of one channel (those a preview shows), and nothing else. */
export async function loadCustomValuesOf(
  reader: SourceReader,
  channel: CustomFieldChannel | 'user',
  recordIds: ReadonlySet<number>,
): Promise<CustomValueIndex> {
  const index: CustomValueIndex = new Map();
  for await (const v of reader.customFieldValues())
    if (v.channel === channel && recordIds.has(v.recordId))
      put(index, `${v.channel}:${v.recordId}`, v.fieldId, v.value);
  return index;
}

function put(index: CustomValueIndex, key: string, fieldId: number, value: string | null): void {
  let values = index.get(key);
  if (!values) index.set(key, (values = new Map()));
  values.set(fieldId, value);
}

export function customValuesOf(
  index: CustomValueIndex,
  recordId: number,
  channel: CustomFieldChannel | 'user' = 'user',
): ReadonlyMap<number, string | null> {
  return index.get(`${channel}:${recordId}`) ?? EMPTY;
}
