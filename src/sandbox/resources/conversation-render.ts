import type { Store } from '../state/store';
import type { Conversation, ConversationPart } from '../state/types';
import { withFileUrl } from './attachments';
import { renderAttachment, withoutNulls } from './render';
import { renderCompany } from './render';

// A conversation as Intercom returns it: source, contacts, parts, and statistics derived from the parts.

/** 2.16's part author declares `name` nullable but `email` not: an author without an email has none in the answer. */
export function authorOf(store: Store, author: { type: string; id: string }): Record<string, unknown> {
  if (author.type === 'admin') {
    const admin = store.state.admins.find((a) => a.id === author.id);
    return withoutNulls({ type: 'admin', id: author.id, name: admin?.name ?? null, email: admin?.email ?? null }, [
      'email',
    ]);
  }
  const contact = store.state.contacts[author.id];
  return withoutNulls(
    { type: author.type, id: author.id, name: contact?.name ?? null, email: contact?.email ?? null },
    ['email'],
  );
}

export function statistics(c: Conversation): Record<string, unknown> {
  const first = (pred: (p: ConversationPart) => boolean): number | null => c.parts.find(pred)?.created_at ?? null;
  const last = (pred: (p: ConversationPart) => boolean): ConversationPart | undefined =>
    [...c.parts].reverse().find(pred);
  const isAdminReply = (p: ConversationPart): boolean => p.author.type === 'admin' && p.part_type === 'comment';
  const isContactReply = (p: ConversationPart): boolean => p.author.type !== 'admin' && p.part_type === 'comment';
  const firstClose = first((p) => p.part_type === 'close');
  const lastClose = last((p) => p.part_type === 'close');
  const isAssignment = (p: ConversationPart): boolean =>
    p.part_type === 'assignment' || p.part_type === 'assign_and_reopen';
  const firstAssign = first(isAssignment);
  const firstAdminReply = first(isAdminReply);
  // 2.16's conversation_statistics declares no field nullable: a time that has not happened is absent.
  return withoutNulls({
    type: 'conversation_statistics',
    time_to_assignment: firstAssign === null ? null : firstAssign - c.created_at,
    time_to_admin_reply: firstAdminReply === null ? null : firstAdminReply - c.created_at,
    time_to_first_close: firstClose === null ? null : firstClose - c.created_at,
    time_to_last_close: lastClose ? lastClose.created_at - c.created_at : null,
    median_time_to_reply: null,
    first_contact_reply_at: c.created_at,
    first_assignment_at: firstAssign,
    first_admin_reply_at: firstAdminReply,
    first_close_at: firstClose,
    last_assignment_at: last(isAssignment)?.created_at ?? null,
    last_assignment_admin_reply_at: null,
    last_contact_reply_at: last(isContactReply)?.created_at ?? c.created_at,
    last_admin_reply_at: last(isAdminReply)?.created_at ?? null,
    last_close_at: lastClose?.created_at ?? null,
    last_closed_by_id: lastClose?.author.id ?? null,
    count_reopens: c.parts.filter((p) => p.part_type === 'open' || p.part_type === 'assign_and_reopen').length,
    count_assignments: c.parts.filter(isAssignment).length,
    count_conversation_parts: c.parts.length + 1,
  });
}

export function renderConversation(store: Store, c: Conversation, withParts = true): Record<string, unknown> {
  const company = c.company_id ? store.state.companies[c.company_id] : undefined;
  const adminIds = [...new Set(c.parts.filter((p) => p.author.type === 'admin').map((p) => p.author.id))];
  return {
    type: 'conversation',
    id: c.id,
    title: c.title,
    created_at: c.created_at,
    updated_at: c.updated_at,
    waiting_since: c.waiting_since,
    snoozed_until: c.snoozed_until,
    open: c.state !== 'closed',
    state: c.state,
    read: c.read,
    priority: c.priority,
    admin_assignee_id: c.admin_assignee_id,
    team_assignee_id: c.team_assignee_id,
    company: company ? renderCompany(store, company) : null,
    tags: {
      type: 'tag.list',
      tags: c.tags.map((t) => ({
        type: 'tag',
        id: t.id,
        name: store.state.tags[t.id]?.name ?? null,
        applied_at: t.applied_at,
        applied_by: t.applied_by,
      })),
    },
    conversation_rating: null,
    source: {
      type: c.source_type,
      id: c.message_id,
      delivered_as: 'customer_initiated',
      subject: c.source_subject,
      body: c.source_body,
      author: authorOf(store, c.source_author),
      attachments: c.source_attachments.map((a) => renderAttachment(withFileUrl(store, a))),
      url: null,
      redacted: false,
    },
    contacts: {
      type: 'contact.list',
      contacts: c.contact_ids.map((id) => ({
        type: 'contact',
        id,
        external_id: store.state.contacts[id]?.external_id ?? null,
      })),
    },
    teammates: { type: 'admin.list', admins: adminIds.map((id) => ({ type: 'admin', id })) },
    custom_attributes: c.custom_attributes,
    first_contact_reply: { created_at: c.created_at, type: 'conversation', url: null },
    sla_applied: null,
    statistics: statistics(c),
    ...(withParts
      ? {
          conversation_parts: {
            type: 'conversation_part.list',
            conversation_parts: c.parts.map((p) => ({
              type: 'conversation_part',
              id: p.id,
              part_type: p.part_type,
              body: p.body,
              created_at: p.created_at,
              updated_at: p.updated_at,
              notified_at: p.notified_at,
              assigned_to: p.assigned_to,
              author: authorOf(store, p.author),
              attachments: p.attachments.map((a) => renderAttachment(withFileUrl(store, a))),
              external_id: null,
              redacted: false,
            })),
            total_count: c.parts.length,
          },
        }
      : {}),
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent_participated: false,
  };
}
