import type { TicketState } from './types';

/**
 * The ticket states a new workspace has (Intercom creates them; the API only lists them): one per
 * state category, labelled as in 2.16's examples. "Waiting on customer" applies to customer tickets
 * only, as in Intercom's inbox; the others to every ticket-type category.
 */
export function defaultTicketStates(): TicketState[] {
  const all: TicketState['ticket_categories'] = ['Customer', 'Back-office', 'Tracker'];
  return [
    {
      id: '8101',
      category: 'submitted',
      internal_label: 'Submitted',
      external_label: 'Submitted',
      ticket_categories: all,
      archived: false,
    },
    {
      id: '8102',
      category: 'in_progress',
      internal_label: 'In progress',
      external_label: 'In progress',
      ticket_categories: all,
      archived: false,
    },
    {
      id: '8103',
      category: 'waiting_on_customer',
      internal_label: 'Waiting on customer',
      external_label: 'Awaiting your reply',
      ticket_categories: ['Customer'],
      archived: false,
    },
    {
      id: '8104',
      category: 'resolved',
      internal_label: 'Resolved',
      external_label: 'Resolved',
      ticket_categories: all,
      archived: false,
    },
  ];
}
