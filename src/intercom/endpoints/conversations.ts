import { systemClock, unixSeconds } from '../../model/clock';
import { lookupFor } from '../outcome';
import { paginate } from '../pagination';
import type { SearchQuery } from '../schemas/common';
import { DeletedObject } from '../schemas/common';
import type {
  AdminReplyRequest,
  ContactReplyRequest,
  Conversation,
  ConversationPartRequest,
  CreateConversationRequest,
  Message,
  UpdateConversationRequest,
} from '../schemas/conversations';
import {
  AdminReplyRequest as AdminReplyRequestSchema,
  ContactReplyRequest as ContactReplyRequestSchema,
  Conversation as ConversationSchema,
  ConversationList,
  ConversationPartRequest as ConversationPartRequestSchema,
  CreateConversationRequest as CreateConversationRequestSchema,
  Message as MessageSchema,
  UpdateConversationRequest as UpdateConversationRequestSchema,
} from '../schemas/conversations';
import { Endpoints, replyingContact, replyLabel, searchHits, seg, validated } from './shared';

/** What POST /conversations gives back, with the trap removed: use `conversation_id`. */
export interface CreatedConversation {
  /** The conversation's id: the one every later call needs. */
  conversation_id: string;
  /** The first message's id. Replying to it fails with 404. */
  message_id: string;
  message: Message;
}

// When the request left, on the wall clock Intercom also stamps by (a lookup's window when no created_at).
const nowSeconds = (): number => unixSeconds(systemClock);

export class ConversationsApi extends Endpoints {
  /**
   * Starts a conversation from a contact (imported as an in-app conversation), dated `created_at`.
   * Not idempotent: a lost response becomes OutcomeUnknownError (lookup: contact + created_at + body).
   */
  async create(body: CreateConversationRequest): Promise<CreatedConversation> {
    const label = `contact=${body.from.id}${body.created_at !== undefined ? `, created_at=${body.created_at}` : ''}`;
    const data = validated(
      CreateConversationRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/conversations', label }),
    );
    const sentAtMs = performance.now();
    const message = await this.transport.request({
      method: 'POST',
      path: '/conversations',
      body: data,
      label,
      response: MessageSchema,
      replay: { lookup: lookupFor.conversationCreate(data, nowSeconds()) },
      contactId: data.from.id,
    });
    this.transport.witnesses.record('conversations', message.conversation_id, sentAtMs);
    return { conversation_id: message.conversation_id, message_id: message.id, message };
  }

  /** A contact's message in the thread, dated `created_at`. Not idempotent. */
  async replyAsContact(conversationId: string, body: ContactReplyRequest): Promise<Conversation> {
    const path = `/conversations/${seg(conversationId)}/reply`;
    const label = replyLabel('contact comment', body.created_at);
    const data = validated(ContactReplyRequestSchema, body, this.transport.describe({ method: 'POST', path, label }));
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: ConversationSchema,
      replay: { lookup: lookupFor.contactReply(conversationId, data, nowSeconds()) },
      ...replyingContact(data),
    });
  }

  /**
   * An admin comment or note (message_type `note`), dated `created_at`, with attachment_urls or
   * attachment_files (files win when both are sent). Pass skip_notifications for imports.
   * Not idempotent.
   */
  async replyAsAdmin(conversationId: string, body: AdminReplyRequest): Promise<Conversation> {
    const path = `/conversations/${seg(conversationId)}/reply`;
    const label = replyLabel(`admin ${body.message_type}`, body.created_at);
    const data = validated(AdminReplyRequestSchema, body, this.transport.describe({ method: 'POST', path, label }));
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: ConversationSchema,
      replay: { lookup: lookupFor.adminReply(conversationId, data, nowSeconds()) },
    });
  }

  /** Close, open, snooze or assign. Intercom stamps these "now" (no created_at). Not idempotent. */
  async manage(conversationId: string, body: ConversationPartRequest): Promise<Conversation> {
    const path = `/conversations/${seg(conversationId)}/parts`;
    const label = body.message_type;
    const data = validated(
      ConversationPartRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path, label }),
    );
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: ConversationSchema,
      replay: { lookup: lookupFor.conversationPart(conversationId, data) },
    });
  }

  async close(conversationId: string, adminId: string, body?: string): Promise<Conversation> {
    return this.manage(conversationId, {
      message_type: 'close',
      type: 'admin',
      admin_id: adminId,
      ...(body !== undefined ? { body } : {}),
    });
  }

  async open(conversationId: string, adminId: string): Promise<Conversation> {
    return this.manage(conversationId, { message_type: 'open', admin_id: adminId });
  }

  async snooze(conversationId: string, adminId: string, snoozedUntil: number): Promise<Conversation> {
    return this.manage(conversationId, { message_type: 'snoozed', admin_id: adminId, snoozed_until: snoozedUntil });
  }

  /** `assigneeId` '0' unassigns. An admin and a team can both be assigned (two calls). */
  async assign(
    conversationId: string,
    adminId: string,
    assignee: { type: 'admin' | 'team'; id: string },
  ): Promise<Conversation> {
    return this.manage(conversationId, {
      message_type: 'assignment',
      type: assignee.type,
      admin_id: adminId,
      assignee_id: assignee.id,
    });
  }

  /** Title, custom attributes, company (Intercom company id; null removes). */
  async update(conversationId: string, body: UpdateConversationRequest): Promise<Conversation> {
    const path = `/conversations/${seg(conversationId)}`;
    const data = validated(UpdateConversationRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: ConversationSchema });
  }

  async get(conversationId: string, options: { plaintext?: boolean } = {}): Promise<Conversation> {
    return this.transport.request({
      method: 'GET',
      path: `/conversations/${seg(conversationId)}`,
      ...(options.plaintext === true ? { query: { display_as: 'plaintext' } } : {}),
      response: ConversationSchema,
    });
  }

  /** Irreversible. retain_metrics=false also needs the delete_conversations_and_metrics scope. */
  async delete(
    conversationId: string,
    options: { retainMetrics?: boolean } = {},
  ): Promise<{ id: string; deleted: boolean }> {
    return this.transport.request({
      method: 'DELETE',
      path: `/conversations/${seg(conversationId)}`,
      query: { retain_metrics: options.retainMetrics ?? true },
      response: DeletedObject,
    });
  }

  /** Every conversation matching the query (eventually consistent, like contact search). */
  search(query: SearchQuery, perPage = 150): AsyncGenerator<Conversation> {
    return searchHits(this.transport, '/conversations/search', query, perPage, ConversationList, (page) => ({
      items: page.conversations,
      pages: page.pages,
    }));
  }

  list(perPage = 150): AsyncGenerator<Conversation> {
    return paginate(async (next) => {
      const page = await this.transport.request({
        method: 'GET',
        path: '/conversations',
        query: {
          per_page: perPage,
          ...(next !== undefined && 'starting_after' in next ? { starting_after: next.starting_after } : {}),
        },
        response: ConversationList,
      });
      return { items: page.conversations, pages: page.pages };
    });
  }
}
