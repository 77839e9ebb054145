import type { Collection } from '../../intercom';
import { applyObjectMapping, hasErrors } from '../../mapping/apply';
import { articleBodyHtml } from '../../mapping/body-html';
import type { RecordState } from '../../model/journal';
import type { MappingFile } from '../../model/mapping';
import type { KbArticle, KbCategory } from '../../model/source';
import { fieldsBefore, pendingIntentOf } from '../before-image';
import type { RunContext } from '../context';
import { RecordError } from '../errors';
import { fingerprint } from '../fingerprint';
import { articleInput } from '../mapping-inputs';
import { migrateRecord } from '../record-outcome';
import { journaledWrite } from '../write';
import { adminFor } from './tickets';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Where a category lands: its collection, and the name it gets (deeper levels folded in). */
interface CollectionPlan {
  categoryId: number;
  name: string;
  /** The category whose collection is this one's parent (null: top level). */
  parentCategoryId: number | null;
}

/**
 * Intercom help centers nest collections two levels deep here: top-level categories become
 * collections, their children sub-collections, and deeper levels fold into the child's name
 * ("Setup › Email › IMAP"). A parent loop (bad data) is cut where it closes and reported.
 */
export function planCollections(
  categories: readonly KbCategory[],
  warn: (m: string) => void,
): Map<number, CollectionPlan> {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const chainOf = (c: KbCategory): KbCategory[] => {
    const chain: KbCategory[] = [c];
    const seen = new Set([c.id]);
    let cur = c;
    while (cur.parentId !== null) {
      const parent = byId.get(cur.parentId);
      if (!parent) {
        warn(`KB category ${cur.id} points to a missing parent ${cur.parentId}: treated as top level`);
        break;
      }
      if (seen.has(parent.id)) {
        warn(`KB categories ${[...seen].join(' → ')} form a loop: cut at ${cur.id}, which becomes top level`);
        break;
      }
      seen.add(parent.id);
      chain.unshift(parent);
      cur = parent;
    }
    return chain;
  };
  const plans = new Map<number, CollectionPlan>();
  for (const c of categories) {
    const chain = chainOf(c);
    const name = (k: KbCategory) => k.name?.trim() || `Category ${k.id}`;
    if (chain.length === 1) plans.set(c.id, { categoryId: c.id, name: name(c), parentCategoryId: null });
    else if (chain.length === 2) plans.set(c.id, { categoryId: c.id, name: name(c), parentCategoryId: chain[0]!.id });
    else
      plans.set(c.id, { categoryId: c.id, name: chain.slice(1).map(name).join(' › '), parentCategoryId: chain[0]!.id });
  }
  // Each chain is cut on its own, so members of one loop can still name each other as parents
  // (A under B, B under A): cut those links too, or creating the collections would never end.
  for (const plan of plans.values()) {
    const seen = new Set([plan.categoryId]);
    let cur = plan;
    while (cur.parentCategoryId !== null) {
      if (seen.has(cur.parentCategoryId)) {
        warn(`KB categories ${[...seen].join(' → ')} form a loop: cut at ${cur.categoryId}, which becomes top level`);
        cur.parentCategoryId = null;
        break;
      }
      seen.add(cur.parentCategoryId);
      const next = plans.get(cur.parentCategoryId);
      if (!next) break;
      cur = next;
    }
  }
  return plans;
}

export async function migrateKnowledgeBase(ctx: RunContext): Promise<void> {
  const categories: KbCategory[] = [];
  for await (const c of ctx.reader.kbCategories()) categories.push(c);
  const plans = planCollections(categories, (m) => ctx.progress.warn(m));
  const helpCenters = ctx.options.dryRun ? [] : await ctx.client.helpCenter.listHelpCenters();
  const helpCenterId = helpCenters[0]?.id !== undefined ? Number(helpCenters[0].id) : undefined;

  const collectionIds = new Map<number, string>();
  // The help center's collections before this run creates any: one of the same name and parent is
  // used as it is (found, never created, so rollback leaves it).
  let existing: Promise<Collection[]> | undefined;
  const existingCollections = () =>
    (existing ??= ctx.options.dryRun ? Promise.resolve([]) : collect(ctx.client.helpCenter.listCollections()));
  const ensure = async (categoryId: number): Promise<string | undefined> => {
    const known = collectionIds.get(categoryId);
    if (known) return known;
    const plan = plans.get(categoryId);
    if (!plan) return undefined;
    const parentId = plan.parentCategoryId === null ? null : await ensure(plan.parentCategoryId);
    const state = await migrateRecord(ctx, 'kbCategories', String(categoryId), async (): Promise<RecordState> => {
      const known = ctx.ledger.mapping('kbCategories', String(categoryId));
      if (known)
        return {
          state: 'migrated',
          intercomId: known.intercomId,
          ...(known.existedBefore ? { existedBefore: true } : {}),
        };
      if (!pendingIntentOf(ctx, 'kbCategories', String(categoryId), ['create'])) {
        const found = (await existingCollections()).find(
          (c) =>
            c.name === plan.name &&
            String(c.parent_id ?? '') === (parentId ?? '') &&
            (helpCenterId === undefined ||
              c.help_center_id == null ||
              String(c.help_center_id) === String(helpCenterId)),
        );
        if (found) return { state: 'migrated', intercomId: String(found.id), existedBefore: true };
      }
      const created = await journaledWrite(ctx, {
        op: 'create',
        objectType: 'kbCategories',
        sourceId: String(categoryId),
        target: { resource: 'help_center_collection', description: `POST /help_center/collections "${plan.name}"` },
        lookup: { by: 'name', value: plan.name },
        clientLookup: { kind: 'collection', name: plan.name, parent_id: parentId ?? null },
        send: () =>
          ctx.client.helpCenter.createCollection({
            name: plan.name,
            ...(parentId ? { parent_id: parentId } : {}),
            ...(helpCenterId !== undefined ? { help_center_id: helpCenterId } : {}),
          }),
        idOf: (c) => String(c.id),
      });
      return { state: 'migrated', intercomId: created.id };
    });
    if (state?.state === 'migrated') collectionIds.set(categoryId, state.intercomId);
    return state?.state === 'migrated' ? state.intercomId : undefined;
  };
  for (const c of categories) await ensure(c.id);

  for await (const article of ctx.reader.kbArticles()) {
    if (ctx.signal.aborted) break;
    if (article.categoryId !== null && !plans.has(article.categoryId)) {
      ctx.progress.warn(
        `KB article ${article.id}: its category ${article.categoryId} (KBCategoryID) does not exist; the article goes to the help center without a collection`,
      );
    }
    await migrateRecord(ctx, 'kbArticles', String(article.id), () =>
      migrateArticle(ctx, article, article.categoryId === null ? undefined : collectionIds.get(article.categoryId)),
    );
  }
}

const titleOf = (mapped: unknown, article: KbArticle): string =>
  typeof mapped === 'string' && mapped.trim() ? mapped : `Article ${article.id}`;

/** The title an article gets in Intercom under this map (null when the map cannot map it). */
export function articleTitle(map: MappingFile, article: KbArticle): string | null {
  const mapped = applyObjectMapping('kbArticles', map.objects.kbArticles, articleInput(article).record);
  return hasErrors(mapped) ? null : titleOf(mapped.standard.title, article);
}

async function migrateArticle(
  ctx: RunContext,
  article: KbArticle,
  collectionId: string | undefined,
): Promise<RecordState | undefined> {
  const map = ctx.map.objects.kbArticles;
  if (!map.enabled) return { state: 'skipped', reason: 'knowledge base articles are disabled in the map' };
  if (article.deleted) return { state: 'skipped', reason: 'deleted in SmarterTrack' };
  const label = `KB article ${article.id}`;
  const mapped = applyObjectMapping('kbArticles', map, articleInput(article).record);
  if (hasErrors(mapped)) {
    const issue = mapped.issues.find((i) => i.severity === 'error')!;
    throw new RecordError(`${label}: ${issue.source} → ${issue.target}: ${issue.message}`, 'validation', issue.source);
  }
  const title = titleOf(mapped.standard.title, article);
  const { html, removed, unresolved } = articleBodyHtml(
    typeof mapped.standard.body === 'string' ? mapped.standard.body : '',
    ctx.map.options.kbImageBaseUrl,
  );
  if (removed.length)
    ctx.progress.warn(`${label}: Body: removed ${removed.join(', ')} (not allowed in a help center article)`);
  if (unresolved.length)
    ctx.progress.warn(
      `${label}: ${unresolved.length} image(s) with relative addresses (${unresolved.slice(0, 3).join(', ')}): set options.kbImageBaseUrl to where they will be hosted`,
    );
  // Private articles are for agents only: they stay drafts so nothing internal goes public.
  const state: 'draft' | 'published' = article.draft || article.private ? 'draft' : 'published';
  const authorId = Number(adminFor(ctx, article.authorUserId).adminId);
  const body = {
    title,
    body: html,
    state,
    author_id: authorId,
    ...(typeof mapped.standard.description === 'string' && mapped.standard.description
      ? { description: mapped.standard.description }
      : {}),
    ...(collectionId ? { parent_id: Number(collectionId), parent_type: 'collection' as const } : {}),
  };
  const print = fingerprint(body);
  const previous = ctx.ledger.recordState('kbArticles', String(article.id))?.result;
  if (previous?.state === 'migrated') {
    if (previous.fingerprint === print)
      return ctx.kind === 'delta'
        ? undefined
        : { state: 'migrated', intercomId: previous.intercomId, fingerprint: print };
    const { parent_id, parent_type: _t, ...fields } = body;
    const update = { ...fields, ...(parent_id ? { parent_id: String(parent_id) } : {}) };
    // What the update overwrites, for rollback (the article an earlier run created keeps its earlier text).
    const before = ctx.options.dryRun ? undefined : await ctx.client.helpCenter.getArticle(previous.intercomId);
    await journaledWrite(ctx, {
      op: 'update',
      objectType: 'kbArticles',
      sourceId: String(article.id),
      target: {
        resource: 'article',
        intercomId: previous.intercomId,
        description: `PUT /articles/${previous.intercomId} (${print})`,
      },
      lookup: { by: 'intercom_id', id: previous.intercomId },
      ...(before ? { beforeImage: fieldsBefore(before, update) } : {}),
      send: () => ctx.client.helpCenter.updateArticle(previous.intercomId, update),
      idOf: (a) => String(a.id),
    });
    return { state: 'migrated', intercomId: previous.intercomId, fingerprint: print };
  }
  const created = await journaledWrite(ctx, {
    op: 'create',
    objectType: 'kbArticles',
    sourceId: String(article.id),
    target: { resource: 'article', description: `POST /articles "${title.slice(0, 80)}"` },
    lookup: { by: 'name', value: title },
    clientLookup: { kind: 'article', title, parent_id: body.parent_id ?? null },
    send: () => ctx.client.helpCenter.createArticle(body),
    idOf: (a) => String(a.id),
  });
  return { state: 'migrated', intercomId: created.id, fingerprint: print };
}
