import { NotFoundError, type IntercomClient } from '../intercom';
import type { Ledger } from '../ledger';
import { customFieldIdOf } from '../mapping/source-fields';
import type { MappingFile } from '../model/mapping';
import type { ObjectType } from '../model/object-types';
import type { FieldCheck, FieldMismatch } from '../model/reports';
import { attachmentSourceId, type ChatMessage } from '../model/source';
import type { SourceReader } from '../source/reader';
import {
  chatMismatches, companyMismatches, contactMismatches, ticketMismatches, unixSeconds, type Check, type LedgerLookups,
} from './expectations';
import type { LatestRecord, LedgerRecords } from './ledger-records';

export type SampleSize = number | 'all';

/** The object types read back, in this order. */
export const CHECKED_TYPES = ['organizations', 'endUsers', 'tickets', 'liveChats'] as const satisfies readonly ObjectType[];
type CheckedType = (typeof CHECKED_TYPES)[number];

/** Reads in flight at once: enough to hide latency, far below any rate limit. */
const CONCURRENCY = 4;

/** The reads the check makes: an IntercomClient, or a wrapper that remembers what it read. */
export interface ReadBackClient {
  companies: Pick<IntercomClient['companies'], 'get'>;
  contacts: Pick<IntercomClient['contacts'], 'get'>;
  conversations: Pick<IntercomClient['conversations'], 'get'>;
}

export interface FieldCheckInput {
  reader: SourceReader;
  client: ReadBackClient;
  map: MappingFile;
  ledger: Ledger;
  records: LedgerRecords;
  sample: SampleSize;
}

const byNumericId = (a: LatestRecord, b: LatestRecord): number => Number(a.sourceId) - Number(b.sourceId) || a.sourceId.localeCompare(b.sourceId);

/** Every migrated record, or `size` of them spread evenly over the source-id order (deterministic). */
export function pickSample<T>(items: readonly T[], size: SampleSize): T[] {
  if (size === 'all' || items.length <= size) return [...items];
  if (size <= 0) return [];
  return Array.from({ length: size }, (_, i) => items[Math.floor((i * items.length) / size)]!);
}

export function ledgerLookups(ledger: Ledger): LedgerLookups {
  const migratedId = (type: ObjectType, id: number): string | undefined => {
    const state = ledger.recordState(type, String(id))?.result;
    return state?.state === 'migrated' ? state.intercomId : undefined;
  };
  return {
    adminFor: (agentId) => migratedId('agents', agentId),
    teamFor: (departmentId) => migratedId('departments', departmentId),
    attachmentMoved: (attachment) => {
      const state = ledger.recordState('attachments', attachmentSourceId(attachment))?.result.state;
      return state !== 'skipped' && state !== 'failed';
    },
  };
}

/** Reads a sample of migrated records back through the client and compares them with the source. */
export async function checkFields(input: FieldCheckInput): Promise<FieldCheck> {
  const lookups = ledgerLookups(input.ledger);
  const mismatches: FieldMismatch[] = [];
  const types: FieldCheck['types'] = [];
  for (const objectType of CHECKED_TYPES) {
    const migrated = [...(input.records.byType.get(objectType)?.values() ?? [])].filter((r) => r.result.state === 'migrated').sort(byNumericId);
    const chosen = pickSample(migrated, input.sample);
    const found: FieldMismatch[] = [];
    await checkType(input, objectType, chosen, lookups, (record, checks) => {
      for (const c of checks) found.push({ objectType, sourceId: record.sourceId, intercomId: intercomIdOf(record), ...c });
    });
    types.push({ objectType, migrated: migrated.length, checked: chosen.length, withMismatches: new Set(found.map((m) => m.sourceId)).size });
    mismatches.push(...found.sort((a, b) => Number(a.sourceId) - Number(b.sourceId)));
  }
  return { sample: input.sample, types, mismatches };
}

function intercomIdOf(record: LatestRecord): string {
  return record.result.state === 'migrated' ? record.result.intercomId : '';
}

type Report = (record: LatestRecord, checks: Check[]) => void;

async function checkType(input: FieldCheckInput, type: CheckedType, chosen: LatestRecord[], lookups: LedgerLookups, report: Report): Promise<void> {
  if (chosen.length === 0) return;
  const bySourceId = new Map(chosen.map((r) => [r.sourceId, r]));
  const { reader, client, map } = input;
  // Source records missing from the source are reported by the reconciliation (notInSource), not here.
  switch (type) {
    case 'organizations': {
      const orgs = [];
      for await (const org of reader.organizations()) if (bySourceId.has(String(org.id))) orgs.push(org);
      await readBack(orgs, (org) => bySourceId.get(String(org.id))!, report, async (org, id) => companyMismatches(map, org, await client.companies.get(id)));
      return;
    }
    case 'endUsers': {
      const users = [];
      for await (const user of reader.endUsers()) if (bySourceId.has(String(user.id))) users.push(user);
      const values = await userCustomValues(input, new Set(users.map((u) => u.id)));
      await readBack(users, (user) => bySourceId.get(String(user.id))!, report, async (user, id, record) => {
        const existedBefore = record.result.state === 'migrated' && record.result.existedBefore === true;
        return contactMismatches(map, user, await client.contacts.get(id), existedBefore, values.get(user.id));
      });
      return;
    }
    case 'tickets': {
      await readBack(chosen, (r) => r, report, async (record, id) => {
        const thread = await reader.ticketThread(Number(record.sourceId));
        if (!thread) return [];
        return ticketMismatches(map, thread, await client.conversations.get(id), lookups);
      });
      return;
    }
    case 'liveChats': {
      const chats = [];
      for await (const chat of reader.liveChats()) if (bySourceId.has(String(chat.id))) chats.push(chat);
      const lines = new Map<number, ChatMessage[]>();
      for await (const line of reader.chatMessages()) {
        if (!bySourceId.has(String(line.chatId))) continue;
        const list = lines.get(line.chatId);
        if (list) list.push(line);
        else lines.set(line.chatId, [line]);
      }
      await readBack(chats, (chat) => bySourceId.get(String(chat.id))!, report, async (chat, id) => {
        const ordered = (lines.get(chat.id) ?? []).sort((a, b) => (unixSeconds(a.date) ?? 0) - (unixSeconds(b.date) ?? 0) || a.id - b.id);
        return chatMismatches(map, chat, ordered, await client.conversations.get(id), lookups);
      });
      return;
    }
  }
}

/** Custom values of the sampled users, only when the contact map takes a standard field from one. */
async function userCustomValues(input: FieldCheckInput, userIds: ReadonlySet<number>): Promise<Map<number, Map<number, string | null>>> {
  const values = new Map<number, Map<number, string | null>>();
  const needed = input.map.objects.contacts.fields.some((f) => f.target.kind === 'standard' && customFieldIdOf(f.source) !== null);
  if (!needed) return values;
  for await (const v of input.reader.customFieldValues()) {
    if (v.channel !== 'user' || !userIds.has(v.recordId)) continue;
    let own = values.get(v.recordId);
    if (!own) values.set(v.recordId, (own = new Map()));
    own.set(v.fieldId, v.value);
  }
  return values;
}

/** Reads each record back (a few at a time); a record Intercom does not have is a mismatch too. */
async function readBack<T>(
  items: readonly T[],
  recordOf: (item: T) => LatestRecord,
  report: Report,
  check: (item: T, intercomId: string, record: LatestRecord) => Promise<Check[]>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      const record = recordOf(item);
      const id = intercomIdOf(record);
      try {
        report(record, await check(item, id, record));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        report(record, [{ field: '(record)', expected: `exists in Intercom as ${id}`, actual: 'not found (404)' }]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
