import { ApiError, notFound } from '../http/errors';
import type { Store } from '../state/store';
import type { Conversation, Tag } from '../state/types';
import { type Body, requireId } from './common';
import { requireAdmin } from './conversations';

/** Conversations and tickets carry tags the same way: who applied each, and when. */
type Tagged = Pick<Conversation, 'tags'>;

/** POST …/tags `{id, admin_id}`: applies an existing tag once (a second call changes nothing). Returns the tag and its application. */
export function applyTag(store: Store, target: Tagged, body: Body): { tag: Tag; applied: Tagged['tags'][number] } {
  const tagId = requireId(body, 'id');
  const adminId = requireAdmin(store, body);
  const tag = store.state.tags[tagId];
  if (!tag) throw notFound('Resource Not Found');
  let applied = target.tags.find((t) => t.id === tag.id);
  if (!applied) {
    applied = { id: tag.id, applied_at: store.now(), applied_by: { type: 'admin', id: adminId } };
    target.tags.push(applied);
  }
  return { tag, applied };
}

/** DELETE …/tags/{tag_id} `{admin_id}`: 404 tag_not_found unless the tag is applied. */
export function removeTag(store: Store, target: Tagged, tagId: string, body: Body): Tag {
  requireAdmin(store, body);
  const tag = store.state.tags[tagId];
  if (!tag || !target.tags.some((t) => t.id === tag.id)) throw new ApiError(404, 'tag_not_found', 'Tag not found');
  target.tags = target.tags.filter((t) => t.id !== tag.id);
  return tag;
}
