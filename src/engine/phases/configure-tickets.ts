import { LedgerWriteError } from '../../ledger';
import { messageOf } from '../../model/error-message';
import type { TicketTypeAttribute } from '../../model/mapping';
import { SOURCE_KEY_ATTRIBUTE } from '../../model/source-keys';
import type { RunContext } from '../context';
import { RunStoppedError } from '../errors';
import { stateMismatchText, ticketNameKey, type TicketsPlan, type TicketTypePlan } from '../ticket-type-plan';
import { journaledWrite } from '../write';

const key = ticketNameKey;

/**
 * Creates the ticket types the map sends departments to, and their missing attributes; states cannot
 * be created through the API, so missing ones are reported. A type or attribute found in the workspace
 * is used as it is: nothing is journaled for it, so no rollback touches it.
 */
export async function configureTicketTypes(ctx: RunContext, plan: TicketsPlan): Promise<void> {
  for (const missing of plan.statesMissing)
    ctx.progress.warn(
      `No Intercom ticket state "${missing.state}" (for SmarterTrack status ${missing.statuses.map((s) => `"${s}"`).join(', ')}): create it in Intercom's settings (the API cannot) or change ticketDestinations.states`,
    );
  for (const m of plan.stateMismatches) ctx.progress.warn(stateMismatchText(m));
  for (const c of plan.attributeConflicts)
    ctx.progress.warn(
      `Ticket type "${c.ticketType}" attribute "${c.attribute}" is ${c.existingType} in Intercom, ${c.wanted} in the map: rename it in the map; its values will be refused`,
    );
  for (const type of plan.types) {
    try {
      const id = type.id ?? (await createTicketType(ctx, type));
      for (const attribute of type.attributesToCreate) await createTicketAttribute(ctx, type, id, attribute);
      if (type.sourceKeyMissing) await createTicketAttribute(ctx, type, id, SOURCE_KEY_DEFINITION, false);
    } catch (error) {
      if (error instanceof RunStoppedError || error instanceof LedgerWriteError) throw error;
      ctx.progress.warn(
        `Could not configure ticket type "${type.definition.name}" (for ${type.usedBy.join(', ')}): ${messageOf(error)}`,
      );
    }
  }
}

async function createTicketType(ctx: RunContext, type: TicketTypePlan): Promise<string> {
  const { name, description, category } = type.definition;
  const result = await journaledWrite(ctx, {
    op: 'create',
    objectType: 'departments',
    sourceId: `ticket-type:${name}`,
    target: { resource: 'ticket_type', description: `create ticket type "${name}" (${category})` },
    lookup: { by: 'name', value: name },
    clientLookup: { kind: 'ticket_type', name },
    send: () => ctx.client.ticketTypes.create({ name, category, ...(description ? { description } : {}) }),
    idOf: (t) => String(t.id),
  });
  ctx.workspace.tickets.types.set(key(name), { id: result.id, attributes: new Map() });
  ctx.progress.info(`ticket type "${name}" ready (${result.id})`);
  return result.id;
}

/** The attribute each migrated ticket carries its SmarterTrack key in (`ticket:<id>`). */
const SOURCE_KEY_DEFINITION: TicketTypeAttribute = {
  name: SOURCE_KEY_ATTRIBUTE,
  description: 'SmarterTrack ticket this ticket was migrated from (set by the migration; do not edit)',
  dataType: 'string',
  options: [],
  source: '',
};

async function createTicketAttribute(
  ctx: RunContext,
  type: TicketTypePlan,
  ticketTypeId: string,
  attribute: TicketTypeAttribute,
  visibleToContacts = true,
): Promise<void> {
  const typeName = type.definition.name;
  const { name, dataType } = attribute;
  const result = await journaledWrite(ctx, {
    op: 'create',
    objectType: 'customFields',
    sourceId: `ticket-attribute:${typeName}:${name}`,
    target: {
      resource: 'ticket_type_attribute',
      ticketTypeId,
      description: `create attribute "${name}" (${dataType}) of ticket type "${typeName}"`,
    },
    lookup: { by: 'name', value: name },
    clientLookup: { kind: 'ticket_type_attribute', ticket_type_id: ticketTypeId, name },
    send: () =>
      ctx.client.ticketTypes.createAttribute(ticketTypeId, {
        name,
        description: attribute.description || (attribute.label ?? name),
        data_type: dataType,
        ...(dataType === 'list' ? { list_items: attribute.options.join(',') } : {}),
        visible_on_create: visibleToContacts,
        visible_to_contacts: visibleToContacts,
      }),
    idOf: (a) => String(a.id),
  });
  ctx.workspace.tickets.types.get(key(typeName))?.attributes.set(key(name), result.id);
}
