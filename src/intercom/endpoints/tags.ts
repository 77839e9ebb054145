import type { Tag } from '../schemas/tags';
import { Tag as TagSchema, TagList, TagRequest } from '../schemas/tags';
import { EmptyBody, Endpoints, seg, validated } from './shared';

export class TagsApi extends Endpoints {
  /** Create-or-update by name (case-insensitive): replaying returns the same tag. */
  async createOrUpdate(name: string): Promise<Tag> {
    const label = `name=${name}`;
    const body = validated(TagRequest, { name }, this.transport.describe({ method: 'POST', path: '/tags', label }));
    return this.transport.request({
      method: 'POST',
      path: '/tags',
      body,
      label,
      response: TagSchema,
      replay: { idempotent: 'tags are created-or-updated by name' },
    });
  }

  async list(): Promise<Tag[]> {
    return (await this.transport.request({ method: 'GET', path: '/tags', response: TagList })).data;
  }

  async get(tagId: string): Promise<Tag> {
    return this.transport.request({ method: 'GET', path: `/tags/${seg(tagId)}`, response: TagSchema });
  }

  /** Fails with ValidationError `tag_has_dependent_objects` when a segment uses the tag. */
  async delete(tagId: string): Promise<void> {
    await this.transport.request({ method: 'DELETE', path: `/tags/${seg(tagId)}`, response: EmptyBody });
  }

  /** Tags (or with `untag`, untags) companies by Intercom id, through POST /tags. */
  async tagCompanies(name: string, companyIds: string[], untag = false): Promise<Tag> {
    const label = `name=${name}, ${companyIds.length} companies`;
    const body = validated(
      TagRequest,
      { name, companies: companyIds.map((id) => (untag ? { id, untag: true } : { id })) },
      this.transport.describe({ method: 'POST', path: '/tags', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/tags',
      body,
      label,
      response: TagSchema,
      replay: { idempotent: 'tagging is a set operation' },
    });
  }

  /** Tags (or untags) contacts by Intercom id, through POST /tags. */
  async tagContacts(name: string, contactIds: string[], untag = false): Promise<Tag> {
    const label = `name=${name}, ${contactIds.length} contacts`;
    const body = validated(
      TagRequest,
      { name, users: contactIds.map((id) => (untag ? { id, untag: true } : { id })) },
      this.transport.describe({ method: 'POST', path: '/tags', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/tags',
      body,
      label,
      response: TagSchema,
      replay: { idempotent: 'tagging is a set operation' },
    });
  }

  async tagContact(contactId: string, tagId: string): Promise<Tag> {
    return this.transport.request({
      method: 'POST',
      path: `/contacts/${seg(contactId)}/tags`,
      body: { id: tagId },
      label: `tag=${tagId}`,
      response: TagSchema,
      replay: { idempotent: 'applying a tag twice leaves one tag' },
      contactId,
    });
  }

  async untagContact(contactId: string, tagId: string): Promise<Tag> {
    return this.transport.request({
      method: 'DELETE',
      path: `/contacts/${seg(contactId)}/tags/${seg(tagId)}`,
      response: TagSchema,
      contactId,
    });
  }

  async tagConversation(conversationId: string, tagId: string, adminId: string): Promise<Tag> {
    return this.transport.request({
      method: 'POST',
      path: `/conversations/${seg(conversationId)}/tags`,
      body: { id: tagId, admin_id: adminId },
      label: `tag=${tagId}`,
      response: TagSchema,
      replay: { idempotent: 'applying a tag twice leaves one tag' },
    });
  }

  /** A DELETE with a body: Intercom wants the acting admin. */
  async untagConversation(conversationId: string, tagId: string, adminId: string): Promise<Tag> {
    return this.transport.request({
      method: 'DELETE',
      path: `/conversations/${seg(conversationId)}/tags/${seg(tagId)}`,
      body: { admin_id: adminId },
      response: TagSchema,
    });
  }
}
