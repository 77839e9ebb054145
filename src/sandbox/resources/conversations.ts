import { MAX_CONVERSATION_PARTS } from '../../model/intercom-limits';
import { ApiError, badRequest, notFound } from '../http/errors';
import type { Router } from '../http/router';
import { conversationSearchField } from '../search/conversation-fields';
import { compileQuery, CONVERSATION_RULES } from '../search/query';
import { dict } from '../state/dict';
import type { Store } from '../state/store';
import type { Conversation, ConversationPart } from '../state/types';
import { readAttachments } from './attachments';
import {
  type Body,
  bodyObject,
  optBool,
  optId,
  optInt,
  optString,
  requireId,
  requireString,
  withField,
} from './common';
import { findCompany } from './companies';
import { renderConversation } from './conversation-render';
import { checkValue } from './custom-attribute-values';
import { cursorPage, idKey, type ListOrder, sortedBy } from './paging';
import { storedBody } from './stored-body';
import { applyTag, removeTag } from './thread-tags';

export function planGate(store: Store): void {
  if (store.state.planRestricted) throw new ApiError(403, 'api_plan_restricted', 'Active subscription needed.');
}

function findConversation(store: Store, id: string): Conversation {
  const conversation = store.state.conversations[id];
  if (!conversation) throw notFound('Resource Not Found');
  return conversation;
}

export function requireAdmin(store: Store, body: Body): string {
  const adminId = requireId(body, 'admin_id');
  if (!store.state.admins.some((a) => a.id === adminId)) throw new ApiError(404, 'admin_not_found', 'Admin not found');
  return adminId;
}

/** Conversations and tickets: a thread of parts. */
type Thread = Pick<Conversation, 'parts' | 'updated_at'>;

function checkPartRoom(c: Thread): void {
  // Intercom keeps at most 500 parts; the sandbox refuses the 501st (behaviour beyond is undocumented).
  if (c.parts.length >= MAX_CONVERSATION_PARTS) {
    throw new ApiError(
      422,
      'conversation_part_limit_reached',
      `Conversation has reached the maximum of ${MAX_CONVERSATION_PARTS} parts`,
    );
  }
}

/** Handlers check everything first and mutate last, so a refused request leaves no trace. */
export function addPart(
  store: Store,
  c: Thread,
  part: Omit<ConversationPart, 'id' | 'updated_at' | 'notified_at'>,
): void {
  checkPartRoom(c);
  const now = store.now();
  c.parts.push({
    ...part,
    id: store.nextNumericId('part'),
    updated_at: Math.max(part.created_at, now),
    notified_at: part.created_at,
  });
  c.updated_at = Math.max(c.updated_at, part.created_at, now);
}

function findReplyingContact(store: Store, b: Body): string {
  const byId = optId(b, 'intercom_user_id');
  const byExternal = optId(b, 'user_id');
  const byEmail = optString(b, 'email');
  const contacts = Object.values(store.state.contacts);
  const contact = byId
    ? store.state.contacts[byId]
    : byExternal
      ? contacts.find((c) => c.external_id === byExternal)
      : byEmail
        ? contacts.find((c) => c.email?.toLowerCase() === byEmail.toLowerCase())
        : undefined;
  if (!byId && !byExternal && !byEmail)
    throw badRequest('parameter_not_found', 'intercom_user_id, user_id or email is required');
  if (!contact) throw notFound('User Not Found');
  return contact.id;
}

/** Who replies and how (`type` user or admin, and its message types), read from a reply body. */
export interface ReplyAuthor {
  type: string;
  id: string;
  messageType: string;
}

export function readReplyAuthor(store: Store, b: Body): ReplyAuthor {
  const type = requireString(b, 'type');
  const messageType = requireString(b, 'message_type');
  if (type === 'user') {
    if (messageType !== 'comment')
      throw withField(
        badRequest('parameter_invalid', 'message_type must be comment for a contact reply'),
        'message_type',
      );
    const id = findReplyingContact(store, b);
    return { type: store.state.contacts[id]?.role ?? 'user', id, messageType };
  }
  if (type === 'admin') {
    if (!['comment', 'note', 'quick_reply'].includes(messageType))
      throw withField(
        badRequest('parameter_invalid', 'message_type must be one of comment, note, quick_reply'),
        'message_type',
      );
    return { type: 'admin', id: requireAdmin(store, b), messageType };
  }
  throw withField(badRequest('parameter_invalid', 'type must be one of user, admin'), 'type');
}

/** The part a reply adds (body, created_at, attachments), checked against the thread's room before any file is kept. */
export function readReplyPart(
  store: Store,
  b: Body,
  author: ReplyAuthor,
  thread: Thread,
  allowFiles: boolean,
): Omit<ConversationPart, 'id' | 'updated_at' | 'notified_at'> {
  const text = optString(b, 'body');
  if (author.messageType !== 'quick_reply' && (text === undefined || text === null || text === ''))
    throw badRequest('parameter_not_found', 'body is a required parameter.');
  const createdAt = optInt(b, 'created_at') ?? store.now();
  checkPartRoom(thread);
  const attachments = readAttachments(store, b, allowFiles);
  return {
    part_type: author.messageType,
    body: text === undefined || text === null ? null : storedBody(text),
    created_at: createdAt,
    author: { type: author.type, id: author.id },
    assigned_to: null,
    attachments,
    skip_notifications: optBool(b, 'skip_notifications'),
  };
}

function checkConversationAttributes(store: Store, raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw withField(badRequest('parameter_invalid', 'custom_attributes must be an object'), 'custom_attributes');
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const attribute = Object.values(store.state.conversationAttributes).find((a) => a.name === name && !a.archived);
    if (!attribute)
      throw withField(
        new ApiError(400, 'parameter_not_found', `Custom attribute '${name}' does not exist`),
        `custom_attributes.${name}`,
      );
    if (value !== null) checkValue(name, attribute.data_type, value);
  }
  return raw as Record<string, unknown>;
}

/** GET /conversations: most recently updated first. */
const byUpdatedAt: ListOrder<Conversation> = { position: (c) => [-c.updated_at, idKey(c.id)] };
/** Search hits: by id. */
const byId: ListOrder<Conversation> = { position: (c) => [idKey(c.id)] };

function listBody(
  store: Store,
  conversations: Conversation[],
  order: ListOrder<Conversation>,
  perPage: unknown,
  startingAfter: unknown,
) {
  const page = cursorPage(conversations, order, perPage, startingAfter, 20);
  return {
    type: 'conversation.list',
    conversations: page.data.map((c) => renderConversation(store, c, false)),
    total_count: page.total_count,
    pages: page.pages,
  };
}

export function registerConversations(router: Router<Store>): void {
  router.add('POST', '/conversations', ({ body, store }) => {
    planGate(store);
    const b = bodyObject(body);
    const from = b.from as Record<string, unknown> | undefined;
    if (!from || typeof from !== 'object') throw badRequest('parameter_not_found', 'from is a required parameter.');
    const fromType = requireString(from, 'type');
    if (!['user', 'lead', 'contact'].includes(fromType))
      throw withField(badRequest('parameter_invalid', 'from.type must be one of user, lead, contact'), 'from.type');
    const contact = store.state.contacts[requireId(from, 'id')];
    if (!contact) throw notFound('User Not Found');
    const text = requireString(b, 'body');
    const createdAt = optInt(b, 'created_at') ?? store.now();
    const attachments = readAttachments(store, b, false);
    const conversation: Conversation = {
      id: store.nextNumericId('conversation'),
      message_id: store.nextNumericId('message'),
      title: null,
      created_at: createdAt,
      updated_at: Math.max(createdAt, store.now()),
      source_type: 'conversation',
      source_body: storedBody(text),
      source_subject: optString(b, 'subject') ?? '',
      source_author: { type: contact.role, id: contact.id },
      source_attachments: attachments,
      contact_ids: [contact.id],
      state: 'open',
      read: false,
      priority: 'none',
      admin_assignee_id: 0,
      team_assignee_id: 0,
      snoozed_until: null,
      waiting_since: createdAt,
      company_id: null,
      custom_attributes: dict(),
      tags: [],
      parts: [],
      searchable_at_ms: store.searchableAtMs(),
    };
    store.state.conversations[conversation.id] = conversation;
    store.changed('conversations', conversation.id);
    // Intercom answers with the *message*; later calls need conversation_id, not this id.
    return {
      body: {
        type: 'user_message',
        id: conversation.message_id,
        created_at: createdAt,
        body: text,
        message_type: 'inapp',
        conversation_id: conversation.id,
      },
    };
  });

  router.add('GET', '/conversations', ({ query, store }) => {
    planGate(store);
    const all = sortedBy(Object.values(store.state.conversations), byUpdatedAt);
    return {
      body: listBody(
        store,
        all,
        byUpdatedAt,
        query.get('per_page') ?? undefined,
        query.get('starting_after') ?? undefined,
      ),
    };
  });

  router.add('POST', '/conversations/search', ({ body, store }) => {
    planGate(store);
    const b = bodyObject(body);
    if (b.query === undefined) throw badRequest('parameter_not_found', 'query is a required parameter.');
    const predicate = compileQuery<Conversation>(b.query, conversationSearchField(store), CONVERSATION_RULES);
    const visibleAt = store.nowMs();
    const hits = sortedBy(
      Object.values(store.state.conversations).filter((c) => c.searchable_at_ms <= visibleAt && predicate(c)),
      byId,
    );
    const pagination = (b.pagination ?? {}) as { per_page?: unknown; starting_after?: unknown };
    return { body: listBody(store, hits, byId, pagination.per_page, pagination.starting_after) };
  });

  router.add('GET', '/conversations/:id', ({ params, store }) => {
    planGate(store);
    return { body: renderConversation(store, findConversation(store, params.id ?? '')) };
  });

  router.add('PUT', '/conversations/:id', ({ params, body, store }) => {
    planGate(store);
    const conversation = findConversation(store, params.id ?? '');
    const b = bodyObject(body);
    const draft = conversation;
    const title = optString(b, 'title');
    const read = optBool(b, 'read');
    const companyId =
      b.company_id === undefined
        ? undefined
        : b.company_id === null
          ? null
          : findCompany(store, String(b.company_id)).id;
    const attributes = checkConversationAttributes(store, b.custom_attributes);
    if (title !== undefined) draft.title = title;
    if (read !== undefined) draft.read = read;
    if (companyId !== undefined) draft.company_id = companyId;
    for (const [k, v] of Object.entries(attributes)) {
      if (v === null) delete draft.custom_attributes[k];
      else draft.custom_attributes[k] = v;
    }
    draft.updated_at = store.now();
    store.changed('conversations', draft.id);
    return { body: renderConversation(store, draft) };
  });

  router.add(
    'DELETE',
    '/conversations/:id',
    ({ params, store }) => {
      planGate(store);
      const conversation = findConversation(store, params.id ?? '');
      delete store.state.conversations[conversation.id];
      store.changed('conversations', conversation.id);
      return { body: { id: conversation.id, object: 'conversation', deleted: true } };
    },
    '2.13',
  );

  router.add('POST', '/conversations/:id/reply', ({ params, body, store }) => {
    planGate(store);
    const b = bodyObject(body);
    const author = readReplyAuthor(store, b);
    const idParam = params.id ?? '';
    const conversation =
      idParam === 'last'
        ? Object.values(store.state.conversations)
            .filter((c) => author.type === 'admin' || c.contact_ids.includes(author.id))
            .sort((x, y) => y.updated_at - x.updated_at)[0]
        : store.state.conversations[idParam];
    if (!conversation) throw notFound('Resource Not Found');
    const draft = conversation;
    const part = readReplyPart(store, b, author, draft, true);
    addPart(store, draft, part);
    if (author.type !== 'admin') {
      draft.waiting_since = part.created_at;
      if (draft.state === 'closed') draft.state = 'open'; // a customer reply reopens the conversation
    } else if (author.messageType === 'comment') {
      draft.waiting_since = null;
    }
    store.changed('conversations', draft.id);
    return { body: renderConversation(store, draft) };
  });

  // State and assignment parts carry no created_at: Intercom stamps them with the time of the request.
  router.add('POST', '/conversations/:id/parts', ({ params, body, store }) => {
    planGate(store);
    const conversation = findConversation(store, params.id ?? '');
    const b = bodyObject(body);
    const messageType = requireString(b, 'message_type');
    const adminId = requireAdmin(store, b);
    const now = store.now();
    checkPartRoom(conversation);
    const draft = conversation;
    const author = { type: 'admin', id: adminId };
    const text = optString(b, 'body') ?? null;
    switch (messageType) {
      case 'close':
        addPart(store, draft, {
          part_type: 'close',
          body: text === null ? null : storedBody(text),
          created_at: now,
          author,
          assigned_to: null,
          attachments: [],
        });
        draft.state = 'closed';
        draft.snoozed_until = null;
        break;
      case 'open':
        addPart(store, draft, {
          part_type: 'open',
          body: null,
          created_at: now,
          author,
          assigned_to: null,
          attachments: [],
        });
        draft.state = 'open';
        draft.snoozed_until = null;
        break;
      case 'snoozed': {
        const until = optInt(b, 'snoozed_until');
        if (until === undefined || until === null)
          throw badRequest('parameter_not_found', 'snoozed_until is a required parameter.');
        if (until <= now)
          throw withField(badRequest('parameter_invalid', 'snoozed_until must be in the future'), 'snoozed_until');
        addPart(store, draft, {
          part_type: 'snoozed',
          body: null,
          created_at: now,
          author,
          assigned_to: null,
          attachments: [],
        });
        draft.state = 'snoozed';
        draft.snoozed_until = until;
        break;
      }
      case 'assignment': {
        const type = requireString(b, 'type');
        if (type !== 'admin' && type !== 'team')
          throw withField(badRequest('parameter_invalid', 'type must be one of admin, team'), 'type');
        const assigneeId = requireId(b, 'assignee_id');
        let assignedTo: { type: string; id: string | null };
        if (assigneeId === '0') {
          assignedTo = { type: 'nobody_admin', id: null };
          if (type === 'team') draft.team_assignee_id = 0;
          else draft.admin_assignee_id = 0;
        } else if (type === 'team') {
          if (!store.state.teams.some((t) => t.id === assigneeId))
            throw new ApiError(404, 'team_not_found', 'Team not found');
          assignedTo = { type: 'team', id: assigneeId };
          draft.team_assignee_id = Number(assigneeId);
        } else {
          if (!store.state.admins.some((a) => a.id === assigneeId))
            throw new ApiError(404, 'admin_not_found', 'Admin not found');
          assignedTo = { type: 'admin', id: assigneeId };
          draft.admin_assignee_id = Number(assigneeId);
        }
        // Assigning a closed or snoozed conversation reopens it; Intercom reports that part as assign_and_reopen.
        const reopens = draft.state !== 'open';
        addPart(store, draft, {
          part_type: reopens ? 'assign_and_reopen' : 'assignment',
          body: text === null ? null : storedBody(text),
          created_at: now,
          author,
          assigned_to: assignedTo,
          attachments: [],
        });
        if (reopens) {
          draft.state = 'open';
          draft.snoozed_until = null;
        }
        break;
      }
      default:
        throw withField(
          badRequest('parameter_invalid', 'message_type must be one of close, snoozed, open, assignment'),
          'message_type',
        );
    }
    store.changed('conversations', draft.id);
    return { body: renderConversation(store, draft) };
  });

  router.add('POST', '/conversations/:id/tags', ({ params, body, store }) => {
    planGate(store);
    const conversation = store.state.conversations[params.id ?? ''];
    if (!conversation) throw notFound('Conversation not found');
    const { tag } = applyTag(store, conversation, bodyObject(body));
    store.changed('conversations', conversation.id);
    return { body: { type: 'tag', id: tag.id, name: tag.name } };
  });

  router.add('DELETE', '/conversations/:id/tags/:tag_id', ({ params, body, store }) => {
    planGate(store);
    const conversation = store.state.conversations[params.id ?? ''];
    if (!conversation) throw notFound('Conversation not found');
    const tag = removeTag(store, conversation, params.tag_id ?? '', bodyObject(body));
    store.changed('conversations', conversation.id);
    return { body: { type: 'tag', id: tag.id, name: tag.name } };
  });
}
