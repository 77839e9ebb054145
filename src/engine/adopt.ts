import type { IntercomClient } from '../intercom';
import type { Ledger } from '../ledger';
import { contentHash } from '../mapping/review';
import { messageOf } from '../model/error-message';
import type { MappingFile } from '../model/mapping';
import type { ObjectType } from '../model/object-types';
import type { KbCategory } from '../model/source';
import { parseConversationSourceKey } from '../model/source-keys';
import type { SourceReader } from '../source';
import { articleTitle, planCollections } from './phases/knowledge-base';
import type { ProgressSink } from './progress';
import { keyedTickets } from './ticket-keys';

export interface AdoptRequest {
  ledger: Ledger;
  reader: SourceReader;
  client: IntercomClient;
  map: MappingFile;
  progress: ProgressSink;
}

export interface AdoptResult {
  runId: string;
  /** Source records found in Intercom and recorded, per object type. */
  found: Partial<Record<ObjectType, number>>;
}

/**
 * Rebuilds the source → Intercom index from Intercom alone, as an `adopt` run of records (it writes
 * nothing to Intercom, so it has nothing to roll back). Each type is found by the key the engine
 * gives it there (src/ledger/README.md lists them and their limits): end users by external_id,
 * organizations by company_id, tickets, chats and call logs by the st2ic_source_key conversation
 * attribute, tickets sent to Intercom tickets by the st2ic_source_key ticket attribute (the record
 * says `intercomObject: 'ticket'`), help-center collections and articles by name and place. Conversation parts are matched
 * when a later run writes the conversation (type, created_at and body), before any is sent.
 * Records the ledger already maps to the same Intercom object are left as they are.
 */
export async function adoptFromIntercom(req: AdoptRequest): Promise<AdoptResult> {
  const { ledger, reader, client, progress } = req;
  const description = await reader.describe();
  const journal = await ledger.startRun({
    kind: 'adopt',
    mappingHash: contentHash(req.map),
    source: { kind: description.engine, description: description.location },
  });
  const found: Partial<Record<ObjectType, number>> = {};
  const record = (objectType: ObjectType, sourceId: string, intercomId: string, intercomObject?: 'ticket') => {
    if (ledger.intercomIdFor(objectType, sourceId) === intercomId) return;
    journal.record({
      objectType,
      sourceId,
      state: 'migrated',
      intercomId,
      ...(intercomObject ? { intercomObject } : {}),
    });
    found[objectType] = (found[objectType] ?? 0) + 1;
  };
  try {
    progress.phase('adopt: contacts');
    const contactByExternalId = new Map<string, string>();
    for await (const contact of client.contacts.list())
      if (contact.external_id) contactByExternalId.set(contact.external_id, contact.id);
    for await (const user of reader.endUsers()) {
      const id = contactByExternalId.get(String(user.id));
      if (id) record('endUsers', String(user.id), id);
    }

    progress.phase('adopt: companies');
    for await (const org of reader.organizations()) {
      const company = await client.companies.findByCompanyId(String(org.id));
      if (company) record('organizations', String(org.id), company.id);
    }

    progress.phase('adopt: conversations');
    for await (const conversation of client.conversations.list()) {
      const key = parseConversationSourceKey(conversation.custom_attributes?.st2ic_source_key);
      if (key) record(key.objectType, key.sourceId, String(conversation.id));
    }

    progress.phase('adopt: Intercom tickets');
    for await (const ticket of keyedTickets(client)) record('tickets', ticket.sourceId, ticket.ticketId, 'ticket');

    progress.phase('adopt: help center');
    await adoptHelpCenter(req, record);

    await journal.finish('completed');
  } catch (error) {
    await journal.finish('failed', messageOf(error)).catch(() => undefined);
    throw error;
  }
  const total = Object.values(found).reduce((a, b) => a + (b ?? 0), 0);
  progress.info(
    `Adopted ${total} record(s) from Intercom: ${
      Object.entries(found)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    } (run ${journal.runId})`,
  );
  return { runId: journal.runId, found };
}

/** Collections by name under the same parent; articles by title in the same collection. */
async function adoptHelpCenter(
  req: AdoptRequest,
  record: (objectType: ObjectType, sourceId: string, intercomId: string) => void,
): Promise<void> {
  const categories: KbCategory[] = [];
  for await (const c of req.reader.kbCategories()) categories.push(c);
  const plans = planCollections(categories, () => undefined);
  const collections: { id: string; name: string; parent: string | null }[] = [];
  for await (const c of req.client.helpCenter.listCollections())
    collections.push({
      id: String(c.id),
      name: c.name ?? '',
      parent: c.parent_id == null ? null : String(c.parent_id),
    });
  const collectionOf = new Map<number, string>();
  const resolve = (categoryId: number, depth = 0): string | undefined => {
    if (collectionOf.has(categoryId) || depth > 2) return collectionOf.get(categoryId);
    const plan = plans.get(categoryId);
    if (!plan) return undefined;
    const parent = plan.parentCategoryId === null ? null : (resolve(plan.parentCategoryId, depth + 1) ?? undefined);
    if (parent === undefined) return undefined;
    const hit = collections.find((c) => c.name === plan.name && c.parent === parent);
    if (hit) collectionOf.set(categoryId, hit.id);
    return hit?.id;
  };
  for (const c of categories) {
    const id = resolve(c.id);
    if (id) record('kbCategories', String(c.id), id);
  }

  const articles: { id: string; title: string; parent: string | null }[] = [];
  for await (const a of req.client.helpCenter.listArticles())
    articles.push({ id: String(a.id), title: a.title ?? '', parent: a.parent_id == null ? null : String(a.parent_id) });
  const taken = new Set<string>();
  for await (const article of req.reader.kbArticles()) {
    const title = articleTitle(req.map, article);
    if (title === null) continue;
    const parent = article.categoryId === null ? null : (collectionOf.get(article.categoryId) ?? null);
    const hit = articles.find((a) => !taken.has(a.id) && a.title === title && a.parent === parent);
    if (!hit) continue;
    taken.add(hit.id);
    record('kbArticles', String(article.id), hit.id);
  }
}
