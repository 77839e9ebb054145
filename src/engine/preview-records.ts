import type { PreviewInput } from '../mapping/preview';
import type { MappedObject } from '../model/mapping';
import type { RecordCaption } from '../model/mapping-editor-messages';
import type { CustomFieldChannel } from '../model/source';
import type { SourceReader } from '../source';
import { type CustomValueIndex, loadCustomValuesOf } from './custom-values';
import { loadLookups, type SourceLookups } from './lookups';
import {
  articleInput,
  callLogInput,
  chatInput,
  companyInput,
  contactInput,
  type MappingInput,
  ticketInput,
} from './mapping-inputs';
import {
  articleCaption,
  callLogCaption,
  chatCaption,
  endUserCaption,
  organizationCaption,
  ticketCaption,
} from './record-caption';

/** A previewed record, with what a reviewer knows it by. */
export interface PreviewSample extends PreviewInput {
  caption: RecordCaption;
}

/** A record a run would map: its id, its caption, and its mapping input once the custom values are known. */
interface Candidate {
  id: number;
  caption: RecordCaption;
  input(values: CustomValueIndex): MappingInput;
}

/** How one mapped object's records are read, which ones a run leaves out, and whose custom values they carry. */
interface ObjectSource {
  channel: CustomFieldChannel | 'user' | null;
  candidates(): AsyncIterable<Candidate>;
}

async function* candidates<T extends { id: number }>(
  records: AsyncIterable<T>,
  leftOut: (r: T) => boolean,
  caption: (r: T) => RecordCaption,
  input: (r: T, values: CustomValueIndex) => MappingInput,
): AsyncIterable<Candidate> {
  for await (const r of records)
    if (!leftOut(r)) yield { id: r.id, caption: caption(r), input: (values) => input(r, values) };
}

function sourceOf(reader: SourceReader, object: MappedObject, lookups: SourceLookups): ObjectSource {
  switch (object) {
    case 'companies':
      return {
        channel: null,
        candidates: () => candidates(reader.organizations(), () => false, organizationCaption, companyInput),
      };
    case 'contacts':
      return {
        channel: 'user',
        candidates: () => candidates(reader.endUsers(), (u) => u.deleted, endUserCaption, contactInput),
      };
    case 'tickets':
      return {
        channel: 'ticket',
        candidates: () =>
          candidates(
            reader.tickets(),
            (t) => t.deleted || t.spam,
            ticketCaption,
            (t, v) => ticketInput(t, lookups, v),
          ),
      };
    case 'liveChats':
      return {
        channel: 'chat',
        candidates: () =>
          candidates(
            reader.liveChats(),
            (c) => c.deleted,
            chatCaption,
            (c, v) => chatInput(c, lookups, v),
          ),
      };
    case 'callLogs':
      return {
        channel: 'callLog',
        candidates: () =>
          candidates(
            reader.callLogs(),
            (c) => c.deleted,
            callLogCaption,
            (c, v) => callLogInput(c, lookups, v),
          ),
      };
    case 'kbArticles':
      return {
        channel: null,
        candidates: () => candidates(reader.kbArticles(), (a) => a.deleted, articleCaption, articleInput),
      };
  }
}

/** The `size` highest-scoring entries seen, one per id (ties: lower id first). Memory: `size` entries. */
class Longest<T> {
  private readonly entries: { id: number; score: number; item: T }[] = [];
  constructor(private readonly size: number) {}

  offer(id: number, score: number, item: T): void {
    if (this.size <= 0) return;
    const at = this.entries.findIndex((e) => e.id === id);
    if (at >= 0) {
      if (this.entries[at]!.score >= score) return;
      this.entries.splice(at, 1);
    }
    const index = this.entries.findIndex((e) => e.score < score || (e.score === score && e.id > id));
    if (index < 0) {
      if (this.entries.length < this.size) this.entries.push({ id, score, item });
      return;
    }
    this.entries.splice(index, 0, { id, score, item });
    if (this.entries.length > this.size) this.entries.pop();
  }

  scoreOf(id: number): number | undefined {
    return this.entries.find((e) => e.id === id)?.score;
  }

  list(): { id: number; score: number; item: T }[] {
    return [...this.entries];
  }
}

/** The longest text a record carries: the longest string among its fields. */
function longestText(record: Record<string, unknown>): number {
  let longest = 0;
  for (const value of Object.values(record))
    if (typeof value === 'string' && value.length > longest) longest = value.length;
  return longest;
}

const NO_VALUES: CustomValueIndex = new Map();

/**
 * Up to `count` source records of one mapped object, as the engine gives them to
 * `applyObjectMapping` (same record, derived fields and custom values), for `previewObject`, each
 * with its caption.
 * About half are the first records in source order, the rest those with the longest text (a
 * field or a custom value), so values near Intercom's limits show; records a run leaves out
 * (deleted, spam) are never chosen. Deterministic; reads the source as streams and keeps at most
 * `count` records of each kind in memory.
 */
export async function previewRecords(
  reader: SourceReader,
  object: MappedObject,
  count: number,
): Promise<PreviewSample[]> {
  if (count <= 0) return [];
  const longCount = Math.floor(count / 2);
  const lookups: SourceLookups =
    object === 'tickets' || object === 'liveChats' || object === 'callLogs'
      ? await loadLookups(reader)
      : { departments: new Map(), groups: new Map(), brands: new Map() };
  const source = sourceOf(reader, object, lookups);

  // The records holding the longest custom values; a record's own fields are scored as it streams.
  const longestValues = new Longest<null>(count);
  if (source.channel) {
    for await (const v of reader.customFieldValues()) {
      if (v.channel === source.channel && v.value !== null) longestValues.offer(v.recordId, v.value.length, null);
    }
  }
  const first: Candidate[] = [];
  const longest = new Longest<Candidate>(count);
  for await (const candidate of source.candidates()) {
    if (first.length < count) first.push(candidate);
    const own = longestText(candidate.input(NO_VALUES).record);
    longest.offer(candidate.id, Math.max(own, longestValues.scoreOf(candidate.id) ?? 0), candidate);
  }

  const chosen = new Map<number, Candidate>();
  const take = (items: readonly Candidate[], upTo: number) => {
    for (const c of items) {
      if (chosen.size >= upTo) return;
      if (!chosen.has(c.id)) chosen.set(c.id, c);
    }
  };
  take(first, count - longCount);
  take(
    longest.list().map((e) => e.item),
    count,
  );
  // Fewer long records than asked (a small source): more of the first ones.
  take(first, count);
  const values = source.channel ? await loadCustomValuesOf(reader, source.channel, new Set(chosen.keys())) : NO_VALUES;
  return [...chosen.values()].map((c) => {
    const { record, customValues } = c.input(values);
    return { id: c.id, caption: c.caption, record, customValues };
  });
}

/** The first ticket of a department a run would migrate, with its custom values; null when it has none. */
export async function departmentTicket(reader: SourceReader, departmentId: number): Promise<PreviewSample | null> {
  const source = sourceOf(reader, 'tickets', await loadLookups(reader));
  for await (const candidate of source.candidates()) {
    if (candidate.input(NO_VALUES).record.departmentId !== departmentId) continue;
    const values = await loadCustomValuesOf(reader, 'ticket', new Set([candidate.id]));
    const { record, customValues } = candidate.input(values);
    return { id: candidate.id, caption: candidate.caption, record, customValues };
  }
  return null;
}
