import assert from 'node:assert/strict';
import { test } from 'node:test';

import { TicketBefore, ticketBefore } from '../../src/engine/before-image';

// The before-images the ticket writer journals for a ticket an earlier run created: the shape of the
// PUT /tickets body that puts the ticket back, the written fields only.
const ticket = {
  ticket_state: { id: 7, category: 'submitted' },
  ticket_attributes: { _default_title_: 'Printer on fire', Priority: 'High' },
};

test('a state change keeps the previous ticket_state_id; an attribute update each written attribute, null for none', () => {
  assert.deepEqual(ticketBefore(ticket, { ticket_state_id: '9' }), { ticket_state_id: '7' });
  assert.deepEqual(ticketBefore(ticket, { ticket_attributes: { _default_title_: 'New title', Product: 'Ink' } }), {
    ticket_attributes: { _default_title_: 'Printer on fire', Product: null },
  });
  assert.equal(ticketBefore({ ticket_state: null }, { ticket_state_id: '9' }), undefined, 'nothing to put back');
});

test('the image rollback reads is checked: an empty one or an unknown field is refused', () => {
  assert.equal(TicketBefore.safeParse({ ticket_state_id: '7' }).success, true);
  assert.equal(TicketBefore.safeParse({}).success, false);
  assert.equal(TicketBefore.safeParse({ ticketStateId: '7' }).success, false);
});
