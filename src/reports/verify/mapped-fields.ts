import type { MappedObject, MappingFile } from '../../model/mapping';
import { expectedFor, sameValue, shown } from './source-values';

/** Intercom's standard fields a map can fill, by type (Intercom's 2.16 description; read-only fields left out). */
const STANDARD_TYPES: Partial<
  Record<MappedObject, Record<string, 'string' | 'email' | 'datetime' | 'integer' | 'float' | 'boolean'>>
> = {
  companies: {
    name: 'string',
    website: 'string',
    plan: 'string',
    industry: 'string',
    size: 'integer',
    monthly_spend: 'float',
    remote_created_at: 'datetime',
  },
  contacts: {
    email: 'email',
    name: 'string',
    phone: 'string',
    signed_up_at: 'datetime',
    last_seen_at: 'datetime',
    avatar: 'string',
    owner_id: 'integer',
    unsubscribed_from_emails: 'boolean',
  },
  tickets: { title: 'string' },
  liveChats: { title: 'string' },
  callLogs: { title: 'string' },
};

export interface FieldDifference {
  field: string;
  source: string;
  intercom: string;
}

const CLIP = 300;
const clip = (text: string): string =>
  text.length > CLIP ? `${text.slice(0, CLIP)}… (${text.length} characters)` : text;

/** Both values, shown so that a cut one reads as cut (long values look alike once clipped). */
function shownPair(source: unknown, intercom: unknown): { source: string; intercom: string } {
  const s = shown(source);
  const i = shown(intercom);
  if (
    typeof source === 'string' &&
    typeof intercom === 'string' &&
    intercom.length < source.length &&
    source.startsWith(intercom)
  ) {
    return { source: clip(s), intercom: `${clip(i)} (cut: ${intercom.length} of ${source.length} characters)` };
  }
  return { source: clip(s), intercom: clip(i) };
}

/**
 * Every field the map sends to a standard field or a custom attribute: Intercom holds the source's
 * value. `record` is the source record (with the fields SmarterTrack shows beside it), `custom` its
 * custom field values; `intercom` the object read back. `keptWhole`: whether the whole of a value
 * Intercom holds cut short is in the object's notes (a conversation's), so nothing of it is lost.
 */
export function mappedFieldDifferences(
  map: MappingFile,
  object: MappedObject,
  record: Record<string, unknown>,
  custom: ReadonlyMap<number, string | null>,
  intercom: { custom_attributes?: Record<string, unknown> | null } & Record<string, unknown>,
  keptWhole?: (value: string) => boolean,
): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const mapping of map.objects[object].fields) {
    const t = mapping.target;
    const customId = /^custom:(\d+)$/.exec(mapping.source);
    const raw = customId ? (custom.get(Number(customId[1])) ?? null) : record[mapping.source];
    if (t.kind === 'standard') {
      const type = STANDARD_TYPES[object]?.[t.field];
      if (!type) continue;
      const expected = expectedFor(mapping, raw, type);
      if (expected.kind === 'unchecked') continue;
      const actual = intercom[t.field];
      if (!sameValue(expected.value, actual, type)) out.push({ field: t.field, ...shownPair(expected.value, actual) });
    } else if (t.kind === 'attribute') {
      const expected = expectedFor(mapping, raw, t.dataType);
      if (expected.kind === 'unchecked') continue;
      const actual = intercom.custom_attributes?.[t.name];
      if (sameValue(expected.value, actual, t.dataType)) continue;
      const cutButKept =
        typeof expected.value === 'string' &&
        typeof actual === 'string' &&
        actual.length > 0 &&
        expected.value.startsWith(actual) &&
        keptWhole?.(expected.value) === true;
      if (!cutButKept) out.push({ field: `custom_attributes.${t.name}`, ...shownPair(expected.value, actual) });
    }
  }
  return out;
}
