import { ApiError, badRequest, notFound } from '../http/errors';
import type { Router } from '../http/router';
import { compileQuery } from '../search/query';
import { TICKET_RULES, ticketSearchField } from '../search/ticket-fields';
import { dict } from '../state/dict';
import { indexes } from '../state/indexes';
import type { Store } from '../state/store';
import type { Contact, Ticket, TicketState, TicketType } from '../state/types';
import { type Body, bodyObject, checkEmail, optBool, optId, optInt, withField } from './common';
import { findCompany } from './companies';
import { addContact, blankContact } from './contacts';
import { addPart, planGate, readReplyAuthor, readReplyPart } from './conversations';
import { checkValue } from './custom-attribute-values';
import { cursorPage, idKey, type ListOrder, sortedBy } from './paging';
import { applyTag, removeTag } from './thread-tags';
import { renderTicket, renderTicketReply, ticketState } from './ticket-render';
import { findTicketType, statesFor } from './ticket-types';

const ticketNotFound = (): ApiError => new ApiError(404, 'ticket_not_found', 'Ticket not found');

function findTicket(store: Store, id: string): Ticket {
  const ticket = store.state.tickets[id];
  if (!ticket) throw ticketNotFound();
  return ticket;
}

/** A type a new ticket may have: it exists and is not archived (Intercom documents neither error; these are the sandbox's). */
function usableType(store: Store, b: Body): TicketType {
  const id = optId(b, 'ticket_type_id');
  if (id === undefined || id === '')
    throw withField(
      new ApiError(400, 'parameter_not_found', 'ticket_type_id is a required parameter.'),
      'ticket_type_id',
    );
  const type = store.state.ticketTypes[id];
  if (!type) throw withField(badRequest('parameter_invalid', 'Ticket type not found'), 'ticket_type_id');
  if (type.archived) throw withField(badRequest('parameter_invalid', 'Ticket type is archived'), 'ticket_type_id');
  return type;
}

/**
 * `contacts`: "Currently only one is allowed", given by `id`, `external_id` or `email`. An email no
 * contact has creates a user with it, as Intercom documents. Returns the contact, or one to add.
 */
function ticketContact(store: Store, raw: unknown): { contact: Contact; isNew: boolean } {
  if (!Array.isArray(raw) || raw.length === 0)
    throw withField(new ApiError(400, 'parameter_not_found', 'contacts is a required parameter.'), 'contacts');
  if (raw.length > 1) throw withField(badRequest('parameter_invalid', 'Only one contact is allowed'), 'contacts');
  const entry = raw[0] as unknown;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw withField(badRequest('parameter_invalid', 'contacts must be a list of objects'), 'contacts');
  const keys = Object.keys(entry).filter((k) => ['id', 'external_id', 'email'].includes(k));
  if (keys.length !== 1)
    throw withField(
      badRequest('parameter_invalid', 'A contact is given by exactly one of id, external_id or email'),
      'contacts',
    );
  const e = entry as Body;
  const id = optId(e, 'id');
  if (id !== undefined) {
    const contact = store.state.contacts[id];
    if (!contact) throw notFound('User Not Found');
    return { contact, isNew: false };
  }
  const externalId = optId(e, 'external_id');
  if (externalId !== undefined) {
    const contact = store.state.contacts[indexes(store.state).userByExternalId.get(externalId) ?? ''];
    if (!contact) throw notFound('User Not Found');
    return { contact, isNew: false };
  }
  const email = typeof e.email === 'string' ? e.email : '';
  checkEmail(email);
  if (email === '') throw withField(badRequest('parameter_invalid', 'email must be a non-empty string'), 'contacts');
  const existing = Object.values(store.state.contacts).find((c) => c.email?.toLowerCase() === email.toLowerCase());
  if (existing) return { contact: existing, isNew: false };
  const contact = blankContact(store, 'user');
  contact.email = email;
  return { contact, isNew: true };
}

/** A list attribute takes an option's id or its label; the label is kept (how the inbox shows it). */
function checkAttributeValue(type: TicketType, name: string, value: unknown): unknown {
  const attribute = type.attributes.find((a) => a.name === name && !a.archived);
  const field = `ticket_attributes.${name}`;
  if (!attribute)
    throw withField(
      badRequest('parameter_invalid', `Ticket attribute '${name}' does not exist on this ticket type`),
      field,
    );
  if (value === null) return null;
  if (attribute.data_type === 'list') {
    const option = attribute.list_options?.find((o) => !o.archived && (o.id === String(value) || o.label === value));
    if (!option)
      throw withField(
        badRequest('parameter_invalid', `'${String(value)}' is not an option of ticket attribute '${name}'`),
        field,
      );
    return option.label;
  }
  if (attribute.data_type === 'files') {
    if (!Array.isArray(value))
      throw withField(badRequest('parameter_invalid', `Ticket attribute '${name}' must be a list of files`), field);
    return value;
  }
  // Titles and descriptions are long texts; other strings keep the attribute limit.
  if (attribute.data_type === 'string' && attribute.default) {
    if (typeof value !== 'string')
      throw withField(badRequest('parameter_invalid', `Ticket attribute '${name}' must be a string`), field);
    return value;
  }
  try {
    checkValue(name, attribute.data_type, value);
  } catch (error) {
    throw error instanceof ApiError ? withField(error, field) : error;
  }
  return value;
}

function readTicketAttributes(type: TicketType, raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw withField(badRequest('parameter_invalid', 'ticket_attributes must be an object'), 'ticket_attributes');
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([name, value]) => [
      name,
      checkAttributeValue(type, name, value),
    ]),
  );
}

/** The admin or team with this id: 404 assignee_not_found otherwise (2.16's examples). */
function findAssignee(store: Store, id: string, kind?: 'admin' | 'team'): { kind: 'admin' | 'team'; id: number } {
  if (kind !== 'team' && store.state.admins.some((a) => a.id === id)) return { kind: 'admin', id: Number(id) };
  if (kind !== 'admin' && store.state.teams.some((t) => t.id === id)) return { kind: 'team', id: Number(id) };
  throw new ApiError(404, 'assignee_not_found', 'Assignee not found');
}

function stateOfCategory(store: Store, type: TicketType, category: TicketState['category']): TicketState {
  const state = statesFor(store, type).find((s) => s.category === category);
  if (!state) throw new ApiError(500, 'server_error', `No ${category} ticket state for ${type.category} tickets`);
  return state;
}

function moveTo(t: Ticket, state: TicketState): void {
  if (state.id === t.ticket_state_id) return;
  t.previous_ticket_state_id = t.ticket_state_id;
  t.ticket_state_id = state.id;
  t.open = state.category !== 'resolved';
}

/** Search hits: by id. */
const byId: ListOrder<Ticket> = { position: (t) => [idKey(t.id)] };

export function registerTickets(router: Router<Store>): void {
  router.add('POST', '/tickets', ({ body, store }) => {
    planGate(store);
    const b = bodyObject(body);
    const type = usableType(store, b);
    const { contact, isNew } = ticketContact(store, b.contacts);
    const attributes = readTicketAttributes(type, b.ticket_attributes);
    const missing = type.attributes.filter(
      (a) =>
        !a.archived &&
        a.required_to_create &&
        (attributes[a.name] === undefined || attributes[a.name] === null || attributes[a.name] === ''),
    );
    if (missing.length > 0) throw badRequest('parameter_invalid', 'Missing required ticket attributes');
    const companyId = optId(b, 'company_id');
    const company = companyId === undefined ? undefined : findCompany(store, companyId);
    const assignment = (b.assignment ?? {}) as Body;
    if (typeof assignment !== 'object' || Array.isArray(assignment))
      throw withField(badRequest('parameter_invalid', 'assignment must be an object'), 'assignment');
    const adminAssignee = optId(assignment, 'admin_assignee_id');
    const teamAssignee = optId(assignment, 'team_assignee_id');
    const admin =
      adminAssignee === undefined || adminAssignee === '0' ? undefined : findAssignee(store, adminAssignee, 'admin');
    const team =
      teamAssignee === undefined || teamAssignee === '0' ? undefined : findAssignee(store, teamAssignee, 'team');
    optBool(b, 'skip_notifications'); // type-checked only: the sandbox sends no notifications
    const createdAt = optInt(b, 'created_at') ?? store.now();
    if (isNew) addContact(store, contact);
    const ticket: Ticket = {
      id: store.nextNumericId('ticket'),
      ticket_id: store.nextNumericId('ticket_number'),
      ticket_type_id: type.id,
      ticket_state_id: stateOfCategory(store, type, 'submitted').id,
      previous_ticket_state_id: null,
      open: true,
      is_shared: false,
      contact_ids: [contact.id],
      company_id: company?.id ?? null,
      ticket_attributes: dict(Object.entries(attributes).filter(([, v]) => v !== null)),
      admin_assignee_id: admin?.id ?? 0,
      team_assignee_id: team?.id ?? 0,
      snoozed_until: null,
      created_at: createdAt,
      updated_at: Math.max(createdAt, store.now()),
      tags: [],
      parts: [],
      searchable_at_ms: store.searchableAtMs(),
    };
    store.state.tickets[ticket.id] = ticket;
    store.changed('tickets', ticket.id);
    return { body: renderTicket(store, ticket) };
  });

  router.add('GET', '/tickets/:id', ({ params, store }) => {
    planGate(store);
    return { body: renderTicket(store, findTicket(store, params.id ?? '')) };
  });

  /**
   * `open: false` resolves the ticket (its type's resolved state); `open: true` on a resolved ticket
   * moves it to "in progress" (Intercom does not document which state; this is the sandbox's choice).
   * `assignee_id` is an admin's or a team's id; "0" unassigns both.
   */
  router.add('PUT', '/tickets/:id', ({ params, body, store }) => {
    planGate(store);
    const ticket = findTicket(store, params.id ?? '');
    const type = findTicketType(store, ticket.ticket_type_id);
    const b = bodyObject(body);
    const attributes = readTicketAttributes(type, b.ticket_attributes);
    const stateId = optId(b, 'ticket_state_id');
    const state = stateId === undefined ? undefined : statesFor(store, type).find((s) => s.id === stateId);
    if (stateId !== undefined && !state)
      throw badRequest(
        'ticket_state_id_invalid',
        'Ticket state id is not valid or is not associated with the ticket type',
      );
    const companyId = optId(b, 'company_id');
    const company = companyId === undefined ? undefined : findCompany(store, companyId);
    const open = optBool(b, 'open');
    const isShared = optBool(b, 'is_shared');
    const snoozedUntil = optInt(b, 'snoozed_until');
    const adminId = optId(b, 'admin_id');
    if (adminId !== undefined) findAssignee(store, adminId, 'admin');
    const assigneeId = optId(b, 'assignee_id');
    const assignee = assigneeId === undefined || assigneeId === '0' ? undefined : findAssignee(store, assigneeId);
    for (const [k, v] of Object.entries(attributes)) {
      if (v === null) delete ticket.ticket_attributes[k];
      else ticket.ticket_attributes[k] = v;
    }
    if (state) moveTo(ticket, state);
    if (open === false) moveTo(ticket, stateOfCategory(store, type, 'resolved'));
    if (open === true && ticketState(store, ticket)?.category === 'resolved')
      moveTo(ticket, stateOfCategory(store, type, 'in_progress'));
    if (company) ticket.company_id = company.id;
    if (isShared !== undefined) ticket.is_shared = isShared;
    if (snoozedUntil !== undefined) ticket.snoozed_until = snoozedUntil;
    if (assigneeId === '0') {
      ticket.admin_assignee_id = 0;
      ticket.team_assignee_id = 0;
    } else if (assignee?.kind === 'admin') {
      ticket.admin_assignee_id = assignee.id;
    } else if (assignee?.kind === 'team') {
      ticket.team_assignee_id = assignee.id;
    }
    ticket.updated_at = Math.max(ticket.updated_at, store.now());
    store.changed('tickets', ticket.id);
    return { body: renderTicket(store, ticket) };
  });

  router.add('DELETE', '/tickets/:id', ({ params, store }) => {
    planGate(store);
    const ticket = findTicket(store, params.id ?? '');
    delete store.state.tickets[ticket.id];
    store.changed('tickets', ticket.id);
    return { body: { id: ticket.id, object: 'ticket', deleted: true } };
  });

  router.add('POST', '/tickets/:id/reply', ({ params, body, store }) => {
    planGate(store);
    const b = bodyObject(body);
    const ticket = store.state.tickets[params.id ?? ''];
    if (!ticket) throw notFound('Resource Not Found');
    const author = readReplyAuthor(store, b);
    const type = findTicketType(store, ticket.ticket_type_id);
    if (author.type !== 'admin' && type.category === 'Back-office')
      throw badRequest('parameter_mismatch', 'User replies are not allowed on Backoffice tickets');
    // Only admin replies take attachment_files (2.16's contact_reply_ticket_* have attachment_urls only).
    const part = readReplyPart(store, b, author, ticket, author.type === 'admin');
    addPart(store, ticket, part);
    store.changed('tickets', ticket.id);
    return { body: renderTicketReply(store, ticket.parts[ticket.parts.length - 1]!) };
  });

  router.add('POST', '/tickets/:id/tags', ({ params, body, store }) => {
    planGate(store);
    const ticket = findTicket(store, params.id ?? '');
    const { tag, applied } = applyTag(store, ticket, bodyObject(body));
    store.changed('tickets', ticket.id);
    return {
      body: { type: 'tag', id: tag.id, name: tag.name, applied_at: applied.applied_at, applied_by: applied.applied_by },
    };
  });

  router.add('DELETE', '/tickets/:id/tags/:tag_id', ({ params, body, store }) => {
    planGate(store);
    const ticket = findTicket(store, params.id ?? '');
    const tag = removeTag(store, ticket, params.tag_id ?? '', bodyObject(body));
    store.changed('tickets', ticket.id);
    return { body: { type: 'tag', id: tag.id, name: tag.name } };
  });

  router.add('POST', '/tickets/search', ({ body, store }) => {
    planGate(store);
    const b = bodyObject(body);
    if (b.query === undefined) throw badRequest('parameter_not_found', 'query is a required parameter.');
    const predicate = compileQuery<Ticket>(b.query, ticketSearchField(store), TICKET_RULES);
    const visibleAt = store.nowMs();
    const hits = sortedBy(
      Object.values(store.state.tickets).filter((t) => t.searchable_at_ms <= visibleAt && predicate(t)),
      byId,
    );
    const pagination = (b.pagination ?? {}) as { per_page?: unknown; starting_after?: unknown };
    const page = cursorPage(hits, byId, pagination.per_page, pagination.starting_after, 20);
    return {
      body: {
        type: 'ticket.list',
        tickets: page.data.map((t) => renderTicket(store, t)),
        total_count: page.total_count,
        pages: page.pages,
      },
    };
  });
}
