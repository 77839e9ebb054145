import type { ObjectType } from '../../model/object-types';
import { pendingIntentOf, type TagBefore } from '../before-image';
import type { RunContext } from '../context';
import { migrateRecord } from '../record-outcome';
import { parkDuring } from '../slots';
import { journaledWrite } from '../write';

/** A tag the run uses: its id, and whether it was in Intercom before the migration (then it is never deleted). */
interface TagRef {
  id: string;
  existedBefore: boolean;
}

/** The workspace's tags by lower-cased name, read once per run, before the run creates any. */
const tagsBeforeRun = new WeakMap<RunContext, Promise<Map<string, string>>>();

function existingTags(ctx: RunContext): Promise<Map<string, string>> {
  let tags = tagsBeforeRun.get(ctx);
  if (!tags) {
    tags = ctx.options.dryRun
      ? Promise.resolve(new Map())
      : ctx.client.tags.list().then((list) => new Map(list.map((t) => [t.name.trim().toLowerCase(), String(t.id)])));
    tagsBeforeRun.set(ctx, tags);
    tags.catch(() => tagsBeforeRun.delete(ctx));
  }
  return tags;
}

/**
 * The tag of this name: one an earlier run created (from the ledger), one that was already in
 * Intercom (found, never written, so rollback leaves it), or one created now. Records running in
 * parallel share one lookup and one creation per name.
 */
function tagFor(ctx: RunContext, name: string): Promise<TagRef> {
  const key = name.trim().toLowerCase();
  const known = ctx.tags.get(key);
  // Possibly still being looked up or created by another record: wait for it without holding a slot.
  if (known) return parkDuring(known);
  const resolving = resolveTag(ctx, name, key);
  ctx.tags.set(key, resolving);
  resolving.catch(() => ctx.tags.delete(key));
  return resolving;
}

async function resolveTag(ctx: RunContext, name: string, key: string): Promise<TagRef> {
  const sourceId = `name:${key}`;
  // An earlier run (or attempt) created it: a delta must not write it again.
  const earlier = ctx.ledger.mapping('tags', sourceId);
  if (earlier?.createdByRun) return { id: earlier.intercomId, existedBefore: false };
  // A create of this run whose outcome is unknown may be what made the tag: resolve that first.
  if (!pendingIntentOf(ctx, 'tags', sourceId, ['create'])) {
    const found = (await existingTags(ctx)).get(key);
    if (found) return { id: found, existedBefore: true };
  }
  const created = await journaledWrite(ctx, {
    op: 'create',
    objectType: 'tags',
    sourceId,
    target: { resource: 'tag', description: `POST /tags "${name}"` },
    lookup: { by: 'name', value: name },
    send: () => ctx.client.tags.createOrUpdate(name),
    idOf: (t) => t.id,
  });
  return { id: created.id, existedBefore: false };
}

/**
 * Tags one Intercom object, journaled with the before-image rollback needs (the object lacked the
 * tag). `present`: the tags the object carried before this run (undefined for an object this run
 * created); a tag it already had is not written again, so rollback never takes it away.
 */
export async function applyTag(
  ctx: RunContext,
  write: {
    objectType: ObjectType;
    sourceId: string;
    object: TagBefore['object'];
    objectId: string;
    name: string;
    present: ReadonlySet<string> | undefined;
    /** The object's tags cannot be read (a ticket an earlier run created): no before-image claims it lacked the tag, so rollback leaves it. */
    beforeUnknown?: boolean;
    description: string;
    send: (tag: { id: string; name: string }) => Promise<unknown>;
  },
): Promise<void> {
  const tag = await tagFor(ctx, write.name);
  if (write.present?.has(tag.id)) return;
  const before: TagBefore = {
    object: write.object,
    id: write.objectId,
    tagId: tag.id,
    tagName: write.name,
    tagged: false,
  };
  await journaledWrite(ctx, {
    op: 'tag',
    objectType: write.objectType,
    sourceId: write.sourceId,
    target: {
      resource: 'tag',
      intercomId: tag.id,
      tagged: { object: write.object, id: write.objectId },
      description: write.description,
    },
    lookup: { by: 'intercom_id', id: tag.id },
    ...(write.beforeUnknown ? {} : { beforeImage: before }),
    send: () => write.send({ id: tag.id, name: write.name }),
    idOf: () => tag.id,
  });
}

/** SmarterTrack tags (st_Tags) become Intercom tags of the same name; one already there is used as it is. */
export async function migrateTags(ctx: RunContext): Promise<void> {
  for await (const tag of ctx.reader.tags()) {
    const sourceId = String(tag.id);
    if (tag.deleted || !tag.name?.trim()) {
      await migrateRecord(ctx, 'tags', sourceId, async () => ({
        state: 'skipped',
        reason: tag.deleted ? 'deleted in SmarterTrack' : 'tag has no name',
      }));
      continue;
    }
    const name = tag.name.trim();
    await migrateRecord(ctx, 'tags', sourceId, async () => {
      const ref = await tagFor(ctx, name);
      return { state: 'migrated', intercomId: ref.id, ...(ref.existedBefore ? { existedBefore: true } : {}) };
    });
  }
}
