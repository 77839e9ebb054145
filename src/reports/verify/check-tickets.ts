import type { Ticket } from '../../intercom';
import { destinationOf, ticketDestinationsOf } from '../../model/mapping';
import type { Attachment, TicketThread } from '../../model/source';
import { SOURCE_KEY_ATTRIBUTE } from '../../model/source-keys';
import { inSomeNoteOf } from './check-conversations';
import { type Customer, isCustomer } from './check-items';
import {
  assignmentDifferences,
  checkFiles,
  checkItems,
  type ConversationEnv,
  isoOf,
  seconds,
  ticketFiles,
  ticketItems,
} from './check-thread';
import { ticketPartsOf } from './intercom-parts';
import { customValuesOf, derivedOf } from './source-context';
import { type Expected, sameValue, shown, typed } from './source-values';
import { expectedTicketValue } from './ticket-values';

/**
 * A SmarterTrack ticket the ledger says became an Intercom ticket (`intercomObject: 'ticket'`),
 * read back with GET /tickets/{id} and compared with the source: its type, date, contact, title,
 * state, every attribute the map gives its type, its source key, every message and comment as a part
 * of it (there is no opening message: the first message is a part too), its files and assignment.
 * The map is read for what the user chose (which type, which state); values are compared by
 * ./ticket-values.ts, never through the transforms.
 */
export async function checkIntercomTicket(
  env: ConversationEnv,
  intercomId: string,
  thread: TicketThread,
  ticket: Ticket,
): Promise<void> {
  const t = thread.ticket;
  const owner = { objectType: 'tickets' as const, sourceId: String(t.id), intercomId };
  env.findings.checked('tickets', owner.sourceId);
  const differ = (field: string, source: string, intercom: string) =>
    env.findings.differ({ ...owner, field, source, intercom });
  const destinations = ticketDestinationsOf(env.map);
  // The map's choice for the ticket's department (else its default): a decision read, not a transform run.
  const destination = destinationOf(env.map, t.departmentId);
  const typeName = ticket.ticket_type?.name ?? '(none)';
  const type =
    destination === 'conversation'
      ? undefined
      : destinations.ticketTypes.find((d) => d.name === destination.ticketType);
  if (destination === 'conversation')
    differ('ticket type', `a conversation (the map sends department ${t.departmentId ?? '(none)'} there)`, typeName);
  else if (typeName !== destination.ticketType) differ('ticket type', destination.ticketType, typeName);

  const opened = seconds(t.openedAt);
  if (opened !== null && ticket.created_at !== opened) differ('created_at', isoOf(opened), isoOf(ticket.created_at));

  const customer: Customer = { userId: t.customerUserId, email: t.customerEmail };
  const contacts = ticket.contacts?.contacts ?? [];
  const wrongContact = contactDifference(env, ticket, customer);
  if (wrongContact)
    differ('contact', `user ${t.customerUserId ?? '?'}${t.customerEmail ? ` <${t.customerEmail}>` : ''}`, wrongContact);

  const state = t.statusName === null ? undefined : destinations.states[t.statusName];
  const label = ticket.ticket_state?.internal_label ?? '(none)';
  if (state !== undefined && label !== state) differ('state', `${state} (status ${t.statusName})`, label);

  const attributes = ticket.ticket_attributes ?? {};
  const parts = ticketPartsOf(ticket);
  // A text cut to Intercom's limit is no loss when a note of the ticket holds it whole.
  const keptWhole = inSomeNoteOf(parts);
  const cutButKept = (expected: unknown, actual: unknown) =>
    typeof expected === 'string' &&
    typeof actual === 'string' &&
    actual.length > 0 &&
    expected.startsWith(actual) &&
    keptWhole(expected);
  const compare = (field: string, expected: Expected, actual: unknown) => {
    if (
      expected.kind === 'value' &&
      !sameValue(expected.value, actual, 'string') &&
      !cutButKept(expected.value, actual)
    )
      differ(field, shown(expected.value), shown(actual));
  };
  compare('title', t.subject === null ? { kind: 'unchecked' } : typed(t.subject, 'string'), attributes._default_title_);
  const record: Record<string, unknown> = {
    ...(t as unknown as Record<string, unknown>),
    ...derivedOf(env.ctx, 'ticket', t.departmentId, t.groupId, t.brandId),
  };
  const custom = customValuesOf(env.ctx, 'ticket', t.id);
  for (const a of type?.attributes ?? []) {
    const customId = /^custom:(\d+)$/.exec(a.source);
    const raw = customId ? (custom.get(Number(customId[1])) ?? null) : record[a.source];
    compare(`ticket_attributes.${a.name}`, expectedTicketValue(a, raw), attributes[a.name]);
  }
  compare(
    `ticket_attributes.${SOURCE_KEY_ATTRIBUTE}`,
    { kind: 'value', value: `ticket:${t.id}` },
    attributes[SOURCE_KEY_ATTRIBUTE],
  );
  assignmentDifferences(env, owner, ticket, { agentId: t.assignedAgentId, departmentId: t.departmentId });

  // Contacts cannot reply on Back-office and Tracker tickets: a customer's message is an admin note there.
  const category = type?.category ?? ticket.ticket_type?.category;
  const inbound = category === 'Back-office' || category === 'Tracker' ? 'customer-note' : 'customer';
  checkItems(env, { ...owner, container: 'ticket' }, ticketItems(thread, inbound), parts, contacts, customer);
  // A file rides with its message: on its part, or on a note of the same time right after it.
  const messageTimes = new Map<number, number | null>();
  for (const i of thread.items) if (i.kind === 'message') messageTimes.set(i.id, seconds(i.date));
  const dated = (att: Attachment) => (att.messageId === null ? null : (messageTimes.get(att.messageId) ?? null));
  await checkFiles(env, ticketFiles(thread), parts, dated);
}

/** The ticket's one contact is the customer's: the contact the ledger migrated them to, or one recognised as theirs. */
function contactDifference(env: ConversationEnv, ticket: Ticket, customer: Customer): string | null {
  const contacts = ticket.contacts?.contacts ?? [];
  const shownContacts = () =>
    contacts.map((c) => `${c.id}${c.external_id ? ` (external_id ${c.external_id})` : ''}`).join(', ') ||
    '(no contact)';
  if (contacts.length !== 1) return shownContacts();
  if (customer.userId === null && !customer.email) return null;
  const contact = contacts[0]!;
  const migrated = customer.userId === null ? undefined : env.migratedId('endUsers', String(customer.userId));
  if (contact.id === migrated) return null;
  // A visitor has no user id: recognised by the email a part they wrote carries.
  const authored = ticketPartsOf(ticket).find((p) => p.authorId === contact.id && p.authorEmail !== null);
  const ok = isCustomer(
    env.ctx,
    customer,
    { authorEmail: authored?.authorEmail ?? null },
    () => contact.external_id ?? null,
    contact.id,
  );
  return ok ? null : shownContacts();
}
