import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildDefaultMap } from '../../src/mapping/default-map';
import { setTicketDestination, setTicketState, StaleEditError } from '../../src/mapping/map-edits';
import { contentHash } from '../../src/mapping/review';
import { ticketDestinationProblems } from '../../src/mapping/ticket-destinations';
import { previewTicket } from '../../src/mapping/ticket-preview';
import { HostMessage, WebviewMessage } from '../../src/model/mapping-editor-messages';
import { destinationChoices, destinationOfChoice } from '../../webview/destination-choices';
import { customField, ticketPriority, ticketStatus } from '../support/map-inputs';

const map = () =>
  buildDefaultMap({
    customFields: [
      customField(1, 'Plan', 'dropdown', { options: ['Free', 'Pro'], isGlobal: true }),
      customField(2, 'Seats', 'number', { isGlobal: true }),
      customField(3, 'Due', 'date', { isGlobal: true }),
    ],
    fieldChannels: new Map(),
    samples: new Map(),
    statuses: [ticketStatus(1, 'Active')],
    priorities: [ticketPriority(1, 'High')],
    departmentNames: ['Billing'],
    departments: [{ id: 2, name: 'Billing', deleted: false }],
    brands: [],
  });

test('the editor sends a department to a ticket type and back, and sets a state: content edits', () => {
  const base = map();
  const sent = setTicketDestination(base, '2', { ticketType: 'Billing' });
  assert.deepEqual(sent.ticketDestinations?.departments['2'], {
    name: 'Billing',
    destination: { ticketType: 'Billing' },
  });
  assert.notEqual(contentHash(sent), contentHash(base));
  assert.equal(contentHash(setTicketDestination(sent, '2', 'conversation')), contentHash(base));
  assert.deepEqual(setTicketDestination(base, 'default', { ticketType: 'Billing' }).ticketDestinations?.default, {
    ticketType: 'Billing',
  });
  assert.throws(() => setTicketDestination(base, '2', { ticketType: 'Nope' }), StaleEditError);
  assert.throws(() => setTicketDestination(base, '7', 'conversation'), StaleEditError);

  const noState = setTicketState(sent, 'Active', null);
  assert.deepEqual(ticketDestinationProblems(noState), [
    'department 2 "Billing": status "Active" has no ticket state (ticketDestinations.states)',
  ]);
  assert.equal(setTicketState(noState, 'Active', 'Submitted').ticketDestinations?.states.Active, 'Submitted');
});

test('a ticket preview shows type, title, typed attribute values and state, naming values that do not fit', () => {
  const sent = setTicketDestination(map(), '2', { ticketType: 'Billing' });
  const sample = {
    id: 41,
    caption: { kind: 'Ticket', name: '20240115-0003', detail: 'Printer jams' },
    record: {
      subject: 'Printer jams',
      number: '20240115-0003',
      statusName: 'Active',
      priorityName: 'High',
      departmentId: 2,
    },
    customValues: new Map<number, string | null>([
      [1, 'Enterprise'],
      [2, '12'],
      [3, '2024-03-01'],
    ]),
  };
  const preview = previewTicket(sent, '2', sample);
  assert.deepEqual(preview, {
    department: '2',
    id: 41,
    caption: sample.caption,
    ticketType: 'Billing',
    title: 'Printer jams',
    attributes: [
      { name: 'Plan', dataType: 'list', value: 'Enterprise', issue: '"Enterprise" is not one of the list\'s options' },
      { name: 'Seats', dataType: 'integer', value: 12, issue: null },
      { name: 'Due', dataType: 'datetime', value: '2024-03-01T00:00:00.000Z', issue: null },
      { name: 'Priority', dataType: 'list', value: 'High', issue: null },
      { name: 'SmarterTrack ticket number', dataType: 'string', value: '20240115-0003', issue: null },
    ],
    status: 'Active',
    state: 'In progress',
  });
  assert.equal(previewTicket(map(), '2', sample), null, 'a department left to conversations has no ticket preview');
  assert.ok(HostMessage.safeParse({ type: 'ticketPreview', department: '2', preview, error: null }).success);
});

test('destination choices keep the file’s value; messages are checked both ways', () => {
  const { choices, selected } = destinationChoices(['Billing'], { ticketType: 'Gone' });
  assert.deepEqual(
    choices.map((c) => c.label),
    ['Conversation', 'Ticket: Billing', 'Ticket: Gone (not defined)'],
  );
  assert.deepEqual(destinationOfChoice(selected), { ticketType: 'Gone' });
  assert.equal(destinationOfChoice('conversation'), 'conversation');

  const ok = [
    { type: 'setTicketDestination', department: '2', destination: { ticketType: 'Billing' } },
    { type: 'setTicketDestination', department: 'default', destination: 'conversation' },
    { type: 'setTicketState', status: 'Active', state: null },
    { type: 'previewTicket', department: '2' },
  ];
  for (const m of ok) assert.ok(WebviewMessage.safeParse(m).success, JSON.stringify(m));
  const bad = [
    { type: 'setTicketDestination', department: 'x', destination: 'conversation' },
    { type: 'setTicketDestination', department: '2', destination: { ticketType: '' } },
    { type: 'setTicketState', status: 'Active', state: '  ' },
    { type: 'previewTicket', department: 'default' },
  ];
  for (const m of bad) assert.equal(WebviewMessage.safeParse(m).success, false, JSON.stringify(m));
});
