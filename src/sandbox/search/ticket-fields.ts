import type { Store } from '../state/store';
import type { Ticket, TicketTypeAttribute } from '../state/types';
import type { FieldOperator, FieldType, SearchField } from './query';
import { CONVERSATION_RULES } from './query';

type Field = SearchField<Ticket>;
const of = (type: FieldType, read: Field['read']): Field => ({ read, type });

/** 2.16's ticket search takes the conversation table's operators (the same table on both pages). */
export const TICKET_RULES = CONVERSATION_RULES;

/** "You may use the <= or >= operators to search by created_at." */
const CREATED_AT_OPERATORS: readonly FieldOperator[] = [...TICKET_RULES.operators.date, '<=', '>='];

/** Category search terms are not the category names: Customer is `request`, Back-office `task`, Tracker `tracker`. */
const CATEGORY_TERMS = { Customer: 'request', 'Back-office': 'task', Tracker: 'tracker' } as const;

function attributeFieldType(a: TicketTypeAttribute): FieldType {
  if (a.data_type === 'integer') return 'integer';
  if (a.data_type === 'boolean') return 'boolean';
  if (a.data_type === 'datetime') return 'date';
  return 'string'; // decimal values match as their text; list values as the stored label
}

/**
 * The searchable ticket fields of 2.16's table, with their types (`admin_assignee_id` and
 * `team_assignee_id` are strings there). `title` and `description` are the default attributes;
 * `state` is the ticket state's category; `ticket_attribute.{id}` takes its type from the attribute.
 */
export function ticketSearchField(store: Store): (name: string) => Field | undefined {
  const typeOf = (t: Ticket) => store.state.ticketTypes[t.ticket_type_id];
  const fields: Record<string, Field> = {
    id: of('string', (t) => t.id),
    created_at: { read: (t) => t.created_at, type: 'date', operators: CREATED_AT_OPERATORS },
    updated_at: of('date', (t) => t.updated_at),
    title: of('string', (t) => t.ticket_attributes._default_title_ ?? null),
    description: of('string', (t) => t.ticket_attributes._default_description_ ?? null),
    category: of('string', (t) => {
      const type = typeOf(t);
      return type ? CATEGORY_TERMS[type.category] : null;
    }),
    ticket_type_id: of('string', (t) => t.ticket_type_id),
    contact_ids: of('string', (t) => t.contact_ids),
    teammate_ids: of('string', (t) => [
      ...new Set(t.parts.filter((p) => p.author.type === 'admin').map((p) => p.author.id)),
    ]),
    admin_assignee_id: of('string', (t) => String(t.admin_assignee_id)),
    team_assignee_id: of('string', (t) => String(t.team_assignee_id)),
    open: of('boolean', (t) => t.open),
    state: of('string', (t) => store.state.ticketStates.find((s) => s.id === t.ticket_state_id)?.category ?? null),
    snoozed_until: of('date', (t) => t.snoozed_until),
  };
  return (name) => {
    if (name.startsWith('ticket_attribute.')) {
      const id = name.slice('ticket_attribute.'.length);
      for (const type of Object.values(store.state.ticketTypes)) {
        const attribute = type.attributes.find((a) => a.id === id);
        if (attribute)
          return of(attributeFieldType(attribute), (t) =>
            t.ticket_type_id === type.id ? (t.ticket_attributes[attribute.name] ?? null) : null,
          );
      }
      return undefined;
    }
    return Object.hasOwn(fields, name) ? fields[name] : undefined;
  };
}
