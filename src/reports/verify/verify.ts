import { type Collection, NotFoundError } from '../../intercom';
import type { ObjectType } from '../../model/object-types';
import type { FieldCheck, FieldMismatch } from '../../model/reports';
import type { Attachment, ChatMessage, KbCategory } from '../../model/source';
import type { LatestRecord } from '../ledger-records';
import { checkCallLog, checkChat, checkTicket } from './check-conversations';
import { ancestorsOf, articleDifferences, collectionDifferences } from './check-help-center';
import { companyDifferences, contactDifferences } from './check-people';
import type { ConversationEnv } from './check-thread';
import { checkIntercomTicket } from './check-tickets';
import { loadSourceContext } from './source-context';
import type { Difference, Findings, SampleSize, VerifyInput } from './types';

/**
 * Independent verification (DESIGN.md): every migrated record (or a sample) is read back from
 * Intercom and compared with the source, read again through the source reader. Nothing here runs the
 * mapping's transforms: texts are compared word by word (./words.ts), values by ./source-values.ts.
 * The ledger only says which Intercom object each source record became.
 */

/** The object types read back, in report order; messages, comments, lines and files are read with their conversation or Intercom ticket. */
const VERIFIED_TYPES = [
  'organizations',
  'endUsers',
  'tickets',
  'ticketMessages',
  'ticketComments',
  'liveChats',
  'chatMessages',
  'callLogs',
  'attachments',
  'kbCategories',
  'kbArticles',
] as const satisfies readonly ObjectType[];

/** Reads in flight at once: enough to hide latency, far below any rate limit. */
const CONCURRENCY = 4;

/** Every migrated record, or `size` of them spread evenly over the source-id order (deterministic). */
export function pickSample<T>(items: readonly T[], size: SampleSize): T[] {
  if (size === 'all' || items.length <= size) return [...items];
  if (size <= 0) return [];
  return Array.from({ length: size }, (_, i) => items[Math.floor((i * items.length) / size)]!);
}

const byNumericId = (a: LatestRecord, b: LatestRecord): number =>
  Number(a.sourceId) - Number(b.sourceId) || a.sourceId.localeCompare(b.sourceId);

class Collected implements Findings {
  readonly checkedIds = new Map<ObjectType, Set<string>>();
  readonly differing = new Map<ObjectType, Set<string>>();
  readonly differences: Difference[] = [];
  readonly skipped = new Map<string, { objectType: ObjectType; what: string; count: number }>();

  checked(objectType: ObjectType, sourceId: string): void {
    let ids = this.checkedIds.get(objectType);
    if (!ids) this.checkedIds.set(objectType, (ids = new Set()));
    ids.add(sourceId);
  }

  differ(d: Difference): void {
    this.checked(d.objectType, d.sourceId);
    let ids = this.differing.get(d.objectType);
    if (!ids) this.differing.set(d.objectType, (ids = new Set()));
    ids.add(d.sourceId);
    this.differences.push(d);
  }

  unchecked(objectType: ObjectType, what: string): void {
    const key = `${objectType}\u0000${what}`;
    const entry = this.skipped.get(key) ?? { objectType, what, count: 0 };
    entry.count++;
    this.skipped.set(key, entry);
  }
}

const intercomIdOf = (r: LatestRecord): string => (r.result.state === 'migrated' ? r.result.intercomId : '');

/** Runs `check` for each item, a few at a time; a record Intercom does not have is a difference too. */
async function readBack<T>(
  items: readonly T[],
  findings: Findings,
  who: (item: T) => { objectType: ObjectType; record: LatestRecord },
  check: (item: T, intercomId: string) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      const { objectType, record } = who(item);
      const id = intercomIdOf(record);
      try {
        await check(item, id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        findings.differ({
          objectType,
          sourceId: record.sourceId,
          intercomId: id,
          field: '(record)',
          source: `exists in Intercom as ${id}`,
          intercom: 'not found (404)',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

export async function verifyMigration(input: VerifyInput): Promise<FieldCheck> {
  const { reader, client, map, ledger, records } = input;
  const findings = new Collected();
  const [admins, teams] = await Promise.all([client.admins.list(), client.admins.listTeams()]);
  const ctx = await loadSourceContext(reader, admins, teams);
  const migrated = (type: ObjectType) =>
    [...(records.byType.get(type)?.values() ?? [])].filter((r) => r.result.state === 'migrated').sort(byNumericId);
  const chosen = (type: ObjectType) => new Map(pickSample(migrated(type), input.sample).map((r) => [r.sourceId, r]));
  const env: ConversationEnv = {
    map,
    ctx,
    findings,
    migratedId: (type, id) => {
      const state = ledger.recordState(type, id)?.result;
      return state?.state === 'migrated' ? state.intercomId : undefined;
    },
    ...(input.fetchFile ? { fetchFile: input.fetchFile } : {}),
  };

  const orgs = chosen('organizations');
  const orgList = [];
  for await (const org of reader.organizations()) if (orgs.has(String(org.id))) orgList.push(org);
  await readBack(
    orgList,
    findings,
    (o) => ({ objectType: 'organizations', record: orgs.get(String(o.id))! }),
    async (org, id) => {
      findings.checked('organizations', String(org.id));
      for (const d of companyDifferences(map, org, await client.companies.get(id)))
        findings.differ({ objectType: 'organizations', sourceId: String(org.id), intercomId: id, ...d });
    },
  );

  const users = chosen('endUsers');
  const userList = [];
  for await (const user of reader.endUsers()) if (users.has(String(user.id))) userList.push(user);
  await readBack(
    userList,
    findings,
    (u) => ({ objectType: 'endUsers', record: users.get(String(u.id))! }),
    async (user, id) => {
      const record = users.get(String(user.id))!;
      const existedBefore = record.result.state === 'migrated' && record.result.existedBefore === true;
      findings.checked('endUsers', String(user.id));
      for (const d of contactDifferences(map, ctx, user, await client.contacts.get(id), existedBefore))
        findings.differ({ objectType: 'endUsers', sourceId: String(user.id), intercomId: id, ...d });
    },
  );

  const tickets = [...chosen('tickets').values()];
  await readBack(
    tickets,
    findings,
    (r) => ({ objectType: 'tickets', record: r }),
    async (record, id) => {
      const thread = await reader.ticketThread(Number(record.sourceId));
      if (!thread) return; // gone from the source: the reconciliation counts it (not in source)
      if (record.result.state === 'migrated' && record.result.intercomObject === 'ticket')
        await checkIntercomTicket(env, id, thread, await client.tickets.get(id));
      else await checkTicket(env, id, thread, await client.conversations.get(id));
    },
  );

  const chats = chosen('liveChats');
  const calls = chosen('callLogs');
  const lines = new Map<number, ChatMessage[]>();
  for await (const line of reader.chatMessages()) {
    if (!chats.has(String(line.chatId))) continue;
    const list = lines.get(line.chatId) ?? [];
    list.push(line);
    lines.set(line.chatId, list);
  }
  const files = new Map<string, Attachment[]>();
  for await (const a of reader.attachments()) {
    const key = `${a.owner.kind}:${a.owner.id}`;
    if (
      (a.owner.kind === 'chat' && chats.has(String(a.owner.id))) ||
      (a.owner.kind === 'callLog' && calls.has(String(a.owner.id)))
    )
      files.set(key, [...(files.get(key) ?? []), a]);
  }
  const chatList = [];
  for await (const chat of reader.liveChats()) if (chats.has(String(chat.id))) chatList.push(chat);
  await readBack(
    chatList,
    findings,
    (c) => ({ objectType: 'liveChats', record: chats.get(String(c.id))! }),
    async (chat, id) => {
      // Source order: by time, then id (lines written in the same second keep their order).
      const ordered = (lines.get(chat.id) ?? []).sort(
        (a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id - b.id,
      );
      await checkChat(env, id, chat, ordered, files.get(`chat:${chat.id}`) ?? [], await client.conversations.get(id));
    },
  );

  const callList = [];
  for await (const call of reader.callLogs()) if (calls.has(String(call.id))) callList.push(call);
  if (map.options.callLogsAs === 'note') {
    await readBack(
      callList,
      findings,
      (c) => ({ objectType: 'callLogs', record: calls.get(String(c.id))! }),
      async (call, id) => {
        await checkCallLog(env, id, call, files.get(`callLog:${call.id}`) ?? [], await client.conversations.get(id));
      },
    );
  } else {
    for (const _ of callList) findings.unchecked('callLogs', 'custom object instances are not read back');
  }

  // Help center: collections are read as one list (there is no GET of one collection); articles one by one.
  const categories = chosen('kbCategories');
  const articles = chosen('kbArticles');
  if (categories.size > 0) {
    const collections = new Map<string, Collection>();
    for await (const c of client.helpCenter.listCollections()) collections.set(String(c.id), c);
    const sourceCategories = new Map<number, KbCategory>();
    for await (const category of reader.kbCategories()) sourceCategories.set(category.id, category);
    for (const category of sourceCategories.values()) {
      const record = categories.get(String(category.id));
      if (!record) continue;
      const id = intercomIdOf(record);
      const collection = collections.get(id);
      if (!collection) {
        findings.differ({
          objectType: 'kbCategories',
          sourceId: record.sourceId,
          intercomId: id,
          field: '(record)',
          source: `exists in Intercom as ${id}`,
          intercom: 'not among the collections',
        });
        continue;
      }
      findings.checked('kbCategories', record.sourceId);
      const { ids, whole } = ancestorsOf(category, sourceCategories);
      const migratedAncestors = ids
        .map((a) => env.migratedId('kbCategories', String(a)))
        .filter((a): a is string => a !== undefined);
      const parents =
        ids.length === 0 || !whole || migratedAncestors.length > 0
          ? new Set<string | null>([...migratedAncestors, ...(ids.length === 0 || !whole ? [null] : [])])
          : undefined;
      for (const d of collectionDifferences(category, collection, parents))
        findings.differ({ objectType: 'kbCategories', sourceId: record.sourceId, intercomId: id, ...d });
    }
  }
  const articleList = [];
  for await (const article of reader.kbArticles()) if (articles.has(String(article.id))) articleList.push(article);
  await readBack(
    articleList,
    findings,
    (a) => ({ objectType: 'kbArticles', record: articles.get(String(a.id))! }),
    async (source, id) => {
      findings.checked('kbArticles', String(source.id));
      const collectionId =
        source.categoryId === null ? undefined : env.migratedId('kbCategories', String(source.categoryId));
      for (const d of articleDifferences(source, await client.helpCenter.getArticle(id), collectionId))
        findings.differ({ objectType: 'kbArticles', sourceId: String(source.id), intercomId: id, ...d });
    },
  );

  const types: FieldCheck['types'] = VERIFIED_TYPES.map((objectType) => {
    const checked = findings.checkedIds.get(objectType)?.size ?? 0;
    const withMismatches = findings.differing.get(objectType)?.size ?? 0;
    return {
      objectType,
      migrated: migrated(objectType).length,
      checked,
      withMismatches,
      fidelity: checked === 0 ? null : Math.floor((10_000 * (checked - withMismatches)) / checked) / 100,
    };
  });
  const order = new Map<ObjectType, number>(VERIFIED_TYPES.map((t, i) => [t, i]));
  const mismatches: FieldMismatch[] = findings.differences
    .sort(
      (a, b) =>
        (order.get(a.objectType) ?? 0) - (order.get(b.objectType) ?? 0) ||
        Number(a.sourceId) - Number(b.sourceId) ||
        a.sourceId.localeCompare(b.sourceId),
    )
    .map((d) => ({
      objectType: d.objectType,
      sourceId: d.sourceId,
      intercomId: d.intercomId,
      field: d.field,
      expected: d.source,
      actual: d.intercom,
    }));
  return { sample: input.sample, types, mismatches, unchecked: [...findings.skipped.values()] };
}
