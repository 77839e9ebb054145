import { parkDuring } from '../slots';
import type { RunContext } from '../context';
import { migrateRecord } from '../record-outcome';
import { journaledWrite } from '../write';

/**
 * The id of a tag, created on first use (create-or-update by name is idempotent in Intercom).
 * Records running in parallel share one creation per name.
 */
export function tagIdFor(ctx: RunContext, name: string): Promise<string> {
  const key = name.trim().toLowerCase();
  const known = ctx.tags.get(key);
  // Possibly still being created by another record: wait for it without holding a slot.
  if (known) return parkDuring(known);
  // An earlier run created it: a delta must not write it again.
  const earlier = ctx.ledger.intercomIdFor('tags', `name:${key}`);
  if (earlier) {
    const found = Promise.resolve(earlier);
    ctx.tags.set(key, found);
    return found;
  }
  const creating = journaledWrite(ctx, {
    op: 'create', objectType: 'tags', sourceId: `name:${key}`,
    target: { resource: 'tag', description: `POST /tags "${name}"` },
    lookup: { by: 'name', value: name },
    send: () => ctx.client.tags.createOrUpdate(name),
    idOf: (t) => t.id,
  }).then((r) => r.id);
  ctx.tags.set(key, creating);
  creating.catch(() => ctx.tags.delete(key));
  return creating;
}

/** SmarterTrack tags (st_Tags) become Intercom tags of the same name. */
export async function migrateTags(ctx: RunContext): Promise<void> {
  ctx.progress.phase('tags');
  for await (const tag of ctx.reader.tags()) {
    const sourceId = String(tag.id);
    if (tag.deleted || !tag.name?.trim()) {
      await migrateRecord(ctx, 'tags', sourceId, async () => ({ state: 'skipped', reason: tag.deleted ? 'deleted in SmarterTrack' : 'tag has no name' }));
      continue;
    }
    const name = tag.name.trim();
    await migrateRecord(ctx, 'tags', sourceId, async () => ({ state: 'migrated', intercomId: await tagIdFor(ctx, name) }));
  }
}
