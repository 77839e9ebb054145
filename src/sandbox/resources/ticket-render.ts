import type { Store } from '../state/store';
import type { ConversationPart, Ticket, TicketState } from '../state/types';
import { withFileUrl } from './attachments';
import { authorOf } from './conversation-render';
import { renderAttachment, withoutNulls } from './render';
import { renderTicketState, renderTicketType } from './ticket-types';

/** 2.16's ticket part author types are admin, bot, team and user: a lead replies as a user. */
function ticketAuthor(store: Store, author: ConversationPart['author']): Record<string, unknown> {
  const rendered = authorOf(store, author);
  return rendered.type === 'admin' ? rendered : { ...rendered, type: 'user' };
}

/** One part as POST /tickets/{id}/reply answers it (`ticket_reply`). */
export function renderTicketReply(store: Store, p: ConversationPart): Record<string, unknown> {
  return {
    type: 'ticket_part',
    id: p.id,
    part_type: p.part_type,
    body: p.body,
    created_at: p.created_at,
    updated_at: p.updated_at,
    author: ticketAuthor(store, p.author),
    attachments: p.attachments.map((a) => renderAttachment(withFileUrl(store, a))),
    redacted: false,
  };
}

function renderTicketPart(store: Store, p: ConversationPart): Record<string, unknown> {
  return { ...renderTicketReply(store, p), assigned_to: p.assigned_to, external_id: null };
}

export function ticketState(store: Store, t: Ticket): TicketState | undefined {
  return store.state.ticketStates.find((s) => s.id === t.ticket_state_id);
}

/**
 * A ticket as 2.16's `ticket` shows it. `snoozed_until` is declared without `nullable`: absent when
 * not snoozed. Tags are kept but not shown (2.16's ticket has no tags field).
 */
export function renderTicket(store: Store, t: Ticket): Record<string, unknown> {
  const type = store.state.ticketTypes[t.ticket_type_id];
  const state = ticketState(store, t);
  return withoutNulls(
    {
      type: 'ticket',
      id: t.id,
      ticket_id: t.ticket_id,
      category: type?.category ?? 'Customer',
      ticket_attributes: t.ticket_attributes,
      ticket_state: state ? renderTicketState(state) : null,
      ticket_type: type ? renderTicketType(store, type) : null,
      contacts: {
        type: 'contact.list',
        contacts: t.contact_ids.map((id) => ({
          type: 'contact',
          id,
          external_id: store.state.contacts[id]?.external_id ?? null,
        })),
      },
      admin_assignee_id: t.admin_assignee_id,
      team_assignee_id: t.team_assignee_id,
      created_at: t.created_at,
      updated_at: t.updated_at,
      open: t.open,
      snoozed_until: t.snoozed_until,
      linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
      ticket_parts: {
        type: 'ticket_part.list',
        ticket_parts: t.parts.map((p) => renderTicketPart(store, p)),
        total_count: t.parts.length,
      },
      is_shared: t.is_shared,
      previous_ticket_state_id: t.previous_ticket_state_id,
    },
    ['snoozed_until'],
  );
}
