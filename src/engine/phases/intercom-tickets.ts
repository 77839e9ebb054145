import { cutValues } from '../../mapping/apply';
import { textToHtml, withHeading } from '../../mapping/body-html';
import { ticketAttributeValue } from '../../mapping/ticket-attributes';
import type { CutValue } from '../../model/journal';
import { ticketDestinationsOf, type TicketTypeDefinition } from '../../model/mapping';
import type { TicketThread } from '../../model/source';
import { conversationSourceKey, SOURCE_KEY_ATTRIBUTE } from '../../model/source-keys';
import type { RunContext } from '../context';
import { dependencyId, undecidedDependency } from '../dry-run-ids';
import { RecordError } from '../errors';
import { ticketNameKey } from '../ticket-type-plan';
import type { PlannedPart } from './conversation-writer';
import type { PlannedTicket, TicketAttributeValues } from './ticket-writer';
import { mapTicket, type PlanInputs } from './tickets';

const key = ticketNameKey;

/** The ticket type's id in the workspace (the run's configure phase made it, unless that failed and warned). */
function workspaceType(ctx: RunContext, definition: TicketTypeDefinition, label: string) {
  const found = ctx.workspace.tickets.types.get(key(definition.name));
  if (found) return found;
  if (ctx.options.dryRun)
    return { id: `dry-run:ticket-type:${definition.name}`, attributes: new Map<string, string>() };
  throw new RecordError(
    `${label}: ticket type "${definition.name}" is not in the Intercom workspace; run configure`,
    'validation',
    'departmentId',
  );
}

/** Each attribute of the type, from its source field, checked against its Intercom type; texts over the limit are cut and kept whole in a note. */
function attributeValues(
  definition: TicketTypeDefinition,
  input: Parameters<typeof ticketAttributeValue>[1],
  label: string,
): { values: TicketAttributeValues; cut: CutValue[]; notes: { label: string; text: string }[] } {
  const values: TicketAttributeValues = {};
  const cut: CutValue[] = [];
  const notes: { label: string; text: string }[] = [];
  for (const attribute of definition.attributes) {
    const result = ticketAttributeValue(attribute, input);
    if (result.issue)
      throw new RecordError(
        `${label}: ${attribute.source} → ticket attribute "${attribute.name}": ${result.issue}`,
        'validation',
        attribute.source,
      );
    if (result.value !== null) values[attribute.name] = result.value;
    if (result.cut) {
      cut.push({
        field: attribute.source,
        length: result.cut.original.length,
        limit: result.cut.maxLength,
        keptInNote: true,
      });
      notes.push({ label: attribute.label ?? attribute.name, text: result.cut.original });
    }
  }
  return { values, cut, notes };
}

/** The Intercom ticket state the source status maps to (ticketDestinations.states, by internal label). */
function stateIdOf(ctx: RunContext, statusName: string | null, label: string): string {
  const stateName = ticketDestinationsOf(ctx.map).states[statusName ?? ''];
  if (!stateName)
    throw new RecordError(
      `${label}: status "${statusName ?? '(none)'}" has no ticket state in the map (ticketDestinations.states)`,
      'validation',
      'statusName',
    );
  const id = ctx.workspace.tickets.states.get(key(stateName));
  if (id) return id;
  if (ctx.options.dryRun) return `dry-run:ticket-state:${stateName}`;
  throw new RecordError(
    `${label}: no Intercom ticket state "${stateName}" (for status "${statusName}"); create it in Intercom's settings`,
    'validation',
    'statusName',
  );
}

/**
 * A customer's message on a ticket: a contact reply on a Customer ticket. Back-office and Tracker
 * tickets take no contact replies (Intercom refuses them), so there it is a note that says whose
 * message it is. Contact replies take no files (2.16): those ride on a note right after, at the same time.
 */
function customerParts(part: PlannedPart, customerFacing: boolean): PlannedPart[] {
  if (part.kind !== 'contact') return [part];
  if (!customerFacing)
    return [
      {
        ...part,
        kind: 'note',
        body: withHeading('[Customer message in SmarterTrack]', part.body),
      },
    ];
  if (part.attachments.length === 0) return [part];
  return [
    { ...part, attachments: [] },
    {
      objectType: 'attachments',
      sourceId: `files:${part.objectType}:${part.sourceId}`,
      kind: 'note',
      body: textToHtml(`Attachments of the customer's message`),
      createdAt: part.createdAt,
      attachments: part.attachments,
    },
  ];
}

/**
 * The Intercom company of the ticket's customer, when they belong to exactly one organization that
 * was migrated (with several, which one the ticket was about is not in SmarterTrack: none is set).
 * One whose create is undecided or failed is waited for, as memberships wait for it.
 */
function companyOf(inputs: PlanInputs, customerUserId: number | null, label: string): string | undefined {
  if (customerUserId === null) return undefined;
  const { ctx, people } = inputs;
  const organizations = people.organizationsOf.get(people.aliases.get(customerUserId) ?? customerUserId) ?? [];
  if (organizations.length !== 1) return undefined;
  const organization = String(organizations[0]);
  const id = dependencyId(ctx, 'organizations', organization);
  if (id) return id;
  const waiting = undecidedDependency(ctx, 'organizations', organization);
  if (waiting)
    throw new RecordError(
      `${label}: the company of its customer (organization ${organization}) has no Intercom id: ${waiting}`,
      'missing_dependency',
    );
  return undefined;
}

/** A SmarterTrack ticket as an Intercom ticket of the type its department is sent to. */
export async function planIntercomTicket(
  inputs: PlanInputs,
  thread: TicketThread,
  ticketType: string,
): Promise<PlannedTicket> {
  const { ctx } = inputs;
  const t = thread.ticket;
  const base = await mapTicket(inputs, thread);
  const definition = ticketDestinationsOf(ctx.map).ticketTypes.find((d) => d.name === ticketType);
  if (!definition)
    throw new RecordError(
      `${base.label}: ticket type "${ticketType}" is not defined in the map (ticketDestinations.ticketTypes)`,
      'validation',
      'departmentId',
    );
  const type = workspaceType(ctx, definition, base.label);
  const { values, cut, notes } = attributeValues(definition, base.input, base.label);
  const title = typeof base.mapped.standard.title === 'string' ? base.mapped.standard.title : t.subject;
  const parts = base.parts.flatMap((p) => customerParts(p, definition.category === 'Customer'));
  const last = () => parts.at(-1)?.createdAt ?? base.opened;
  for (const note of base.fieldNotes) parts.push({ ...note, createdAt: last() });
  for (const note of notes)
    parts.push({
      objectType: 'attachments',
      sourceId: `field:${t.id}:${note.label}`,
      kind: 'note',
      adminId: ctx.workspace.fallbackAdminId,
      body: textToHtml(`${note.label}:\n${note.text}`),
      createdAt: last(),
      attachments: [],
    });
  const companyId = companyOf(inputs, t.customerUserId, base.label);
  return {
    sourceId: String(t.id),
    label: base.label,
    contactId: base.contactId,
    ...(companyId ? { companyId } : {}),
    ticketTypeId: type.id,
    createdAt: base.opened || parts[0]?.createdAt || 0,
    attributes: {
      _default_title_: title?.trim() || base.label,
      ...values,
      [SOURCE_KEY_ATTRIBUTE]: conversationSourceKey('tickets', String(t.id)),
    },
    parts,
    tags: base.mapped.tags,
    teamId: base.teamId,
    adminAssigneeId: base.adminAssigneeId,
    stateId: stateIdOf(ctx, t.statusName, base.label),
    actingAdminId: base.actingAdminId,
    cut: [...cutValues(base.mapped), ...cut],
  };
}
