import { ApiError, badRequest } from '../http/errors';
import type { Router } from '../http/router';
import type { Store } from '../state/store';
import type { TicketState, TicketType, TicketTypeAttribute } from '../state/types';
import { ticketCategorySchema, ticketTypeAttributeSchema } from '../state/types';
import { type Body, bodyObject, optBool, optString, requireString, withField } from './common';

const notFoundType = (): ApiError => new ApiError(404, 'not_found', 'Ticket type not found');

export function findTicketType(store: Store, id: string): TicketType {
  const type = store.state.ticketTypes[id];
  if (!type) throw notFoundType();
  return type;
}

/** The states a ticket of this type can be in (states belong to ticket-type categories). */
export function statesFor(store: Store, type: TicketType): TicketState[] {
  return store.state.ticketStates.filter((s) => !s.archived && s.ticket_categories.includes(type.category));
}

export const renderTicketState = (s: TicketState): Record<string, unknown> => ({
  type: 'ticket_state',
  id: s.id,
  category: s.category,
  internal_label: s.internal_label,
  external_label: s.external_label,
});

/** 2.16 declares `input_options` an object (not nullable): a list's options, else the multiline flag. */
function renderAttribute(store: Store, type: TicketType, a: TicketTypeAttribute): Record<string, unknown> {
  const inputOptions = a.list_options
    ? { list_options: a.list_options, allow_multiple_values: a.allow_multiple_values }
    : { multiline: a.multiline };
  return {
    type: 'ticket_type_attribute',
    id: a.id,
    workspace_id: store.state.workspace.id_code,
    name: a.name,
    description: a.description,
    data_type: a.data_type,
    input_options: inputOptions,
    order: a.order,
    required_to_create: a.required_to_create,
    required_to_create_for_contacts: a.required_to_create_for_contacts,
    visible_on_create: a.visible_on_create,
    visible_to_contacts: a.visible_to_contacts,
    default: a.default,
    ticket_type_id: Number(type.id),
    archived: a.archived,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

/**
 * A ticket type as 2.16's examples show it: attributes under `ticket_type_attributes.data` (the
 * schema names the array `ticket_type_attributes`; every example, and the API, use `data`).
 */
export function renderTicketType(store: Store, t: TicketType): Record<string, unknown> {
  return {
    type: 'ticket_type',
    id: t.id,
    name: t.name,
    description: t.description,
    icon: t.icon,
    workspace_id: store.state.workspace.id_code,
    archived: t.archived,
    created_at: t.created_at,
    updated_at: t.updated_at,
    is_internal: t.is_internal,
    ticket_type_attributes: { type: 'list', data: t.attributes.map((a) => renderAttribute(store, t, a)) },
    category: t.category,
    ticket_states: { type: 'list', data: statesFor(store, t).map(renderTicketState) },
  };
}

function readCategory(b: Body): TicketType['category'] | undefined {
  const raw = optString(b, 'category');
  if (raw === undefined || raw === null) return undefined;
  const parsed = ticketCategorySchema.safeParse(raw);
  if (!parsed.success)
    throw withField(
      badRequest('parameter_invalid', 'category must be one of Customer, Back-office, Tracker'),
      'category',
    );
  return parsed.data;
}

function checkNameFree(store: Store, name: string, selfId?: string): void {
  const taken = Object.values(store.state.ticketTypes).some(
    (t) => t.id !== selfId && t.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken) throw withField(badRequest('parameter_invalid', `A ticket type named '${name}' already exists`), 'name');
}

/** `list_items` is one comma-delimited string; a label kept across an update keeps its option id. */
function listOptions(
  store: Store,
  raw: string,
  existing: TicketTypeAttribute['list_options'] = [],
): NonNullable<TicketTypeAttribute['list_options']> {
  const labels = [
    ...new Set(
      raw
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ),
  ];
  if (labels.length === 0)
    throw withField(badRequest('parameter_invalid', 'list_items needs at least one item'), 'list_items');
  const kept = labels.map((label) => {
    const old = existing.find((o) => o.label === label);
    return old ? { ...old, archived: false } : { id: store.nextNumericId('option'), label, archived: false };
  });
  const dropped = existing.filter((o) => !labels.includes(o.label)).map((o) => ({ ...o, archived: true }));
  return [...kept, ...dropped];
}

function defaultAttribute(store: Store, name: string, order: number, multiline: boolean): TicketTypeAttribute {
  const now = store.now();
  return {
    id: store.nextNumericId('ticket_type_attribute'),
    name,
    description: '',
    data_type: 'string',
    multiline,
    allow_multiple_values: false,
    order,
    required_to_create: false,
    required_to_create_for_contacts: false,
    visible_on_create: true,
    visible_to_contacts: true,
    default: true,
    archived: false,
    created_at: now,
    updated_at: now,
  };
}

/** Flags an attribute create or update may set. */
const FLAGS = [
  'required_to_create',
  'required_to_create_for_contacts',
  'visible_on_create',
  'visible_to_contacts',
  'multiline',
  'allow_multiple_values',
] as const;

function applyFlags(a: TicketTypeAttribute, b: Body): void {
  for (const flag of FLAGS) {
    const value = optBool(b, flag);
    if (value !== undefined) a[flag] = value;
  }
}

/** Ticket types, their attributes and the workspace's ticket states (2.16): archived, never deleted. */
export function registerTicketTypes(router: Router<Store>): void {
  router.add('GET', '/ticket_types', ({ store }) => ({
    body: { type: 'list', data: Object.values(store.state.ticketTypes).map((t) => renderTicketType(store, t)) },
  }));

  router.add('POST', '/ticket_types', ({ body, store }) => {
    const b = bodyObject(body);
    const name = requireString(b, 'name');
    checkNameFree(store, name);
    const now = store.now();
    const type: TicketType = {
      id: store.nextNumericId('ticket_type'),
      name,
      description: optString(b, 'description') ?? '',
      category: readCategory(b) ?? 'Customer',
      icon: optString(b, 'icon') ?? '🎟️',
      is_internal: optBool(b, 'is_internal') ?? false,
      archived: false,
      attributes: [],
      created_at: now,
      updated_at: now,
    };
    // Every ticket type has a title and a description (2.16: "_default_title_" and "_default_description_").
    type.attributes.push(
      defaultAttribute(store, '_default_title_', 0, false),
      defaultAttribute(store, '_default_description_', 1, true),
    );
    store.state.ticketTypes[type.id] = type;
    store.changed('ticketTypes', type.id);
    return { body: renderTicketType(store, type) };
  });

  router.add('GET', '/ticket_types/:id', ({ params, store }) => ({
    body: renderTicketType(store, findTicketType(store, params.id ?? '')),
  }));

  router.add('PUT', '/ticket_types/:id', ({ params, body, store }) => {
    const type = findTicketType(store, params.id ?? '');
    const b = bodyObject(body);
    const name = optString(b, 'name');
    if (name) checkNameFree(store, name, type.id);
    const category = readCategory(b);
    const description = optString(b, 'description');
    const icon = optString(b, 'icon');
    const archived = optBool(b, 'archived');
    const isInternal = optBool(b, 'is_internal');
    if (name) type.name = name;
    if (category) type.category = category;
    if (description != null) type.description = description;
    if (icon) type.icon = icon;
    if (archived !== undefined) type.archived = archived;
    if (isInternal !== undefined) type.is_internal = isInternal;
    type.updated_at = store.now();
    store.changed('ticketTypes', type.id);
    return { body: renderTicketType(store, type) };
  });

  router.add('POST', '/ticket_types/:id/attributes', ({ params, body, store }) => {
    const type = findTicketType(store, params.id ?? '');
    const b = bodyObject(body);
    const name = requireString(b, 'name');
    const description = optString(b, 'description');
    if (description === undefined || description === null)
      throw withField(new ApiError(400, 'parameter_not_found', 'description is a required parameter.'), 'description');
    const dataType = ticketTypeAttributeSchema.shape.data_type.safeParse(requireString(b, 'data_type'));
    if (!dataType.success)
      throw withField(
        badRequest(
          'parameter_invalid',
          'data_type must be one of string, list, integer, decimal, boolean, datetime, files',
        ),
        'data_type',
      );
    if (type.attributes.some((a) => !a.archived && a.name.toLowerCase() === name.toLowerCase())) {
      throw withField(
        badRequest('parameter_invalid', `An attribute named '${name}' already exists on this ticket type`),
        'name',
      );
    }
    const listItems = optString(b, 'list_items');
    if (dataType.data === 'list' && !listItems)
      throw withField(
        new ApiError(400, 'parameter_not_found', 'list_items is required for a list attribute'),
        'list_items',
      );
    const now = store.now();
    const attribute: TicketTypeAttribute = {
      id: store.nextNumericId('ticket_type_attribute'),
      name,
      description,
      data_type: dataType.data,
      multiline: false,
      allow_multiple_values: false,
      order: type.attributes.length,
      required_to_create: false,
      required_to_create_for_contacts: false,
      visible_on_create: true,
      visible_to_contacts: true,
      default: false,
      archived: false,
      created_at: now,
      updated_at: now,
    };
    applyFlags(attribute, b);
    if (dataType.data === 'list') attribute.list_options = listOptions(store, listItems ?? '');
    type.attributes.push(attribute);
    type.updated_at = now;
    store.changed('ticketTypes', type.id);
    return { body: renderAttribute(store, type, attribute) };
  });

  router.add('PUT', '/ticket_types/:id/attributes/:attribute_id', ({ params, body, store }) => {
    const type = findTicketType(store, params.id ?? '');
    const attribute = type.attributes.find((a) => a.id === params.attribute_id);
    if (!attribute) throw new ApiError(404, 'not_found', 'Ticket type attribute not found');
    const b = bodyObject(body);
    const name = optString(b, 'name');
    const description = optString(b, 'description');
    const archived = optBool(b, 'archived');
    const listItems = optString(b, 'list_items');
    if (attribute.default && (archived === true || name))
      throw badRequest('parameter_invalid', 'A default ticket type attribute cannot be renamed or archived');
    if (listItems && attribute.data_type !== 'list')
      throw withField(badRequest('parameter_invalid', 'list_items applies to list attributes only'), 'list_items');
    const options = listItems ? listOptions(store, listItems, attribute.list_options) : undefined;
    if (name) attribute.name = name;
    if (description != null) attribute.description = description;
    if (archived !== undefined) attribute.archived = archived;
    if (options) attribute.list_options = options;
    applyFlags(attribute, b);
    attribute.updated_at = store.now();
    type.updated_at = attribute.updated_at;
    store.changed('ticketTypes', type.id);
    return { body: renderAttribute(store, type, attribute) };
  });

  router.add('GET', '/ticket_states', ({ store }) => {
    const types = Object.values(store.state.ticketTypes);
    return {
      body: {
        type: 'list',
        data: store.state.ticketStates.map((s) => ({
          ...renderTicketState(s),
          archived: s.archived,
          ticket_types: {
            type: 'list',
            data: types
              .filter((t) => s.ticket_categories.includes(t.category))
              .map((t) => ({
                type: 'ticket_type',
                id: t.id,
                name: t.name,
                description: t.description,
                icon: t.icon,
                archived: t.archived,
                is_internal: t.is_internal,
                category: t.category,
              })),
          },
        })),
      },
    };
  });
}
