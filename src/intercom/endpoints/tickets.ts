import { systemClock, unixSeconds } from '../../model/clock';
import { lookupFor } from '../outcome';
import type { SearchQuery } from '../schemas/common';
import { DeletedObject } from '../schemas/common';
import type { Tag } from '../schemas/tags';
import { Tag as TagSchema } from '../schemas/tags';
import type {
  AdminTicketReplyRequest,
  ContactTicketReplyRequest,
  CreateTicketRequest,
  CreateTicketTypeAttributeRequest,
  CreateTicketTypeRequest,
  Ticket,
  TicketPart,
  TicketState,
  TicketType,
  TicketTypeAttribute,
  UpdateTicketRequest,
  UpdateTicketTypeAttributeRequest,
  UpdateTicketTypeRequest,
} from '../schemas/tickets';
import {
  AdminTicketReplyRequest as AdminTicketReplyRequestSchema,
  ContactTicketReplyRequest as ContactTicketReplyRequestSchema,
  CreateTicketRequest as CreateTicketRequestSchema,
  CreateTicketTypeAttributeRequest as CreateTicketTypeAttributeRequestSchema,
  CreateTicketTypeRequest as CreateTicketTypeRequestSchema,
  Ticket as TicketSchema,
  TicketList,
  TicketPart as TicketPartSchema,
  TicketStateList,
  TicketType as TicketTypeSchema,
  TicketTypeAttribute as TicketTypeAttributeSchema,
  TicketTypeList,
  UpdateTicketRequest as UpdateTicketRequestSchema,
  UpdateTicketTypeAttributeRequest as UpdateTicketTypeAttributeRequestSchema,
  UpdateTicketTypeRequest as UpdateTicketTypeRequestSchema,
} from '../schemas/tickets';
import { Endpoints, replyingContact, replyLabel, searchHits, seg, validated } from './shared';

// When the request left, on the wall clock Intercom also stamps by (a lookup's window when no created_at).
const nowSeconds = (): number => unixSeconds(systemClock);

/** Ticket types, their attributes and the workspace's ticket states. Nothing here can be deleted: only archived. */
export class TicketTypesApi extends Endpoints {
  async list(): Promise<TicketType[]> {
    return (await this.transport.request({ method: 'GET', path: '/ticket_types', response: TicketTypeList })).data;
  }

  async get(ticketTypeId: string): Promise<TicketType> {
    return this.transport.request({
      method: 'GET',
      path: `/ticket_types/${seg(ticketTypeId)}`,
      response: TicketTypeSchema,
    });
  }

  /** Names are unique, so an unknown outcome is decided by listing the types. */
  async create(body: CreateTicketTypeRequest): Promise<TicketType> {
    const label = `name=${body.name}`;
    const data = validated(
      CreateTicketTypeRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/ticket_types', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/ticket_types',
      body: data,
      label,
      response: TicketTypeSchema,
      replay: { lookup: lookupFor.ticketType(data) },
    });
  }

  async update(ticketTypeId: string, body: UpdateTicketTypeRequest): Promise<TicketType> {
    const path = `/ticket_types/${seg(ticketTypeId)}`;
    const data = validated(UpdateTicketTypeRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: TicketTypeSchema });
  }

  async archive(ticketTypeId: string): Promise<TicketType> {
    return this.update(ticketTypeId, { archived: true });
  }

  /** An attribute's name is unique on its type: an unknown outcome is decided by reading the type. */
  async createAttribute(ticketTypeId: string, body: CreateTicketTypeAttributeRequest): Promise<TicketTypeAttribute> {
    const path = `/ticket_types/${seg(ticketTypeId)}/attributes`;
    const label = `name=${body.name}`;
    const data = validated(
      CreateTicketTypeAttributeRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path, label }),
    );
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: TicketTypeAttributeSchema,
      replay: { lookup: lookupFor.ticketTypeAttribute(ticketTypeId, data) },
    });
  }

  async updateAttribute(
    ticketTypeId: string,
    attributeId: string,
    body: UpdateTicketTypeAttributeRequest,
  ): Promise<TicketTypeAttribute> {
    const path = `/ticket_types/${seg(ticketTypeId)}/attributes/${seg(attributeId)}`;
    const data = validated(
      UpdateTicketTypeAttributeRequestSchema,
      body,
      this.transport.describe({ method: 'PUT', path }),
    );
    return this.transport.request({ method: 'PUT', path, body: data, response: TicketTypeAttributeSchema });
  }

  async archiveAttribute(ticketTypeId: string, attributeId: string): Promise<TicketTypeAttribute> {
    return this.updateAttribute(ticketTypeId, attributeId, { archived: true });
  }

  async listStates(): Promise<TicketState[]> {
    return (await this.transport.request({ method: 'GET', path: '/ticket_states', response: TicketStateList })).data;
  }
}

export class TicketsApi extends Endpoints {
  /**
   * A ticket for one contact, dated `created_at`. Not idempotent: a lost response becomes
   * OutcomeUnknownError (lookup: the contact's tickets in search, by created_at and title).
   */
  async create(body: CreateTicketRequest): Promise<Ticket> {
    const label = `type=${body.ticket_type_id}${body.created_at !== undefined ? `, created_at=${body.created_at}` : ''}`;
    const data = validated(
      CreateTicketRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/tickets', label }),
    );
    const sentAtMs = performance.now();
    const contact = data.contacts[0];
    const ticket = await this.transport.request({
      method: 'POST',
      path: '/tickets',
      body: data,
      label,
      response: TicketSchema,
      replay: { lookup: lookupFor.ticketCreate(data, nowSeconds()) },
      ...(contact && 'id' in contact ? { contactId: contact.id } : {}),
    });
    this.transport.witnesses.record('tickets', ticket.id, sentAtMs);
    return ticket;
  }

  async get(ticketId: string): Promise<Ticket> {
    return this.transport.request({ method: 'GET', path: `/tickets/${seg(ticketId)}`, response: TicketSchema });
  }

  /** Attributes, state (`ticket_state_id`), `open: false` to close, assignment (`assignee_id` "0" unassigns). */
  async update(ticketId: string, body: UpdateTicketRequest): Promise<Ticket> {
    const path = `/tickets/${seg(ticketId)}`;
    const data = validated(UpdateTicketRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: TicketSchema });
  }

  /** Permanent (the ticket stays in reporting). */
  async delete(ticketId: string): Promise<DeletedObject> {
    return this.transport.request({ method: 'DELETE', path: `/tickets/${seg(ticketId)}`, response: DeletedObject });
  }

  /** An admin comment or note dated `created_at`, with attachment_urls or attachment_files. Not idempotent. */
  async replyAsAdmin(ticketId: string, body: AdminTicketReplyRequest): Promise<TicketPart> {
    const path = `/tickets/${seg(ticketId)}/reply`;
    const label = replyLabel(`admin ${body.message_type}`, body.created_at);
    const data = validated(
      AdminTicketReplyRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path, label }),
    );
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: TicketPartSchema,
      replay: { lookup: lookupFor.ticketReply(ticketId, data, nowSeconds()) },
    });
  }

  /** A contact's message dated `created_at`. Refused on Back-office tickets. Not idempotent. */
  async replyAsContact(ticketId: string, body: ContactTicketReplyRequest): Promise<TicketPart> {
    const path = `/tickets/${seg(ticketId)}/reply`;
    const label = replyLabel('contact comment', body.created_at);
    const data = validated(
      ContactTicketReplyRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path, label }),
    );
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: TicketPartSchema,
      replay: { lookup: lookupFor.ticketReply(ticketId, data, nowSeconds()) },
      ...replyingContact(data),
    });
  }

  async tag(ticketId: string, tagId: string, adminId: string): Promise<Tag> {
    return this.transport.request({
      method: 'POST',
      path: `/tickets/${seg(ticketId)}/tags`,
      body: { id: tagId, admin_id: adminId },
      label: `tag=${tagId}`,
      response: TagSchema,
      replay: { idempotent: 'applying a tag twice leaves one tag' },
    });
  }

  /** A DELETE with a body: Intercom wants the acting admin. */
  async untag(ticketId: string, tagId: string, adminId: string): Promise<Tag> {
    return this.transport.request({
      method: 'DELETE',
      path: `/tickets/${seg(ticketId)}/tags/${seg(tagId)}`,
      body: { admin_id: adminId },
      response: TagSchema,
    });
  }

  /** Every ticket matching the query (eventually consistent, like conversation search). */
  search(query: SearchQuery, perPage = 150): AsyncGenerator<Ticket> {
    return searchHits(this.transport, '/tickets/search', query, perPage, TicketList, (page) => ({
      items: page.tickets,
      pages: page.pages,
    }));
  }
}
