import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildDefaultMap } from '../../src/mapping/default-map';
import {
  addTicketAttribute,
  removeTicketAttribute,
  setTicketAttribute,
  setTicketDestination,
  setTicketState,
  StaleEditError,
} from '../../src/mapping/map-edits';
import { confirmMap, contentHash, effectiveStatus } from '../../src/mapping/review';
import { ticketAttributeSources, ticketDestinationProblems } from '../../src/mapping/ticket-destinations';
import { previewTicket } from '../../src/mapping/ticket-preview';
import type { MappingFile, TicketTypeAttribute } from '../../src/model/mapping';
import { HostMessage, WebviewMessage } from '../../src/model/mapping-editor-messages';
import { destinationChoices, destinationOfChoice } from '../../webview/destination-choices';
import { requestLabel } from '../../webview/pending-requests';
import { testClock } from '../support/clock';
import { customField, ticketPriority, ticketStatus } from '../support/map-inputs';

const map = (): MappingFile =>
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

// The edits of a ticket type's attributes: refused with a reason when the type or attribute is gone
// or the attribute would not pass validation.

const attributesOf = (m: MappingFile, type = 'Billing') =>
  m.ticketDestinations?.ticketTypes.find((t) => t.name === type)?.attributes ?? [];
const attribute = (m: MappingFile, name: string) => attributesOf(m).find((a) => a.name === name);

const edit = (base: TicketTypeAttribute, change: Partial<TicketTypeAttribute>): TicketTypeAttribute => ({
  ...base,
  ...change,
});

test("an attribute is edited in place, renamed, retyped; the proposal becomes the reviewer's, the old one kept in its reason", () => {
  const base = map();
  const plan = attribute(base, 'Plan')!;
  assert.equal(plan.proposal?.by, 'heuristic');

  const options = setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { options: [' Free ', 'Pro', 'Team', ''] }));
  assert.deepEqual(attribute(options, 'Plan')?.options, ['Free', 'Pro', 'Team'], 'trimmed, empty ones left out');
  assert.deepEqual(attribute(options, 'Plan')?.proposal, {
    by: 'person',
    confidence: 1,
    reason: 'set by the reviewer',
  });

  const renamed = setTicketAttribute(
    base,
    'Billing',
    'Plan',
    edit(plan, { name: ' Plan tier ', dataType: 'string', options: ['Free'] }),
  );
  assert.deepEqual(
    attributesOf(renamed).map((a) => a.name),
    attributesOf(base).map((a) => (a.name === 'Plan' ? 'Plan tier' : a.name)),
    'same place, new name',
  );
  const tier = attribute(renamed, 'Plan tier');
  assert.equal(tier?.dataType, 'string');
  assert.deepEqual(tier?.options, [], 'options are kept for lists only');
  assert.deepEqual(tier?.proposal, {
    by: 'person',
    confidence: 1,
    reason: 'set by the reviewer (proposed: Plan: list of custom:1)',
  });
  assert.equal(
    attribute(setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { name: 'PLAN' })), 'PLAN')?.name,
    'PLAN',
    'its own name in other letters is not a clash',
  );
  assert.deepEqual(base, map(), 'the map it started from is not changed');
});

test('an attribute is added at the end and removed by name', () => {
  const base = map();
  const added = addTicketAttribute(base, 'Billing', {
    name: 'Channel',
    description: '',
    dataType: 'string',
    options: [],
    source: 'channel',
  });
  assert.deepEqual(attributesOf(added).at(-1), {
    name: 'Channel',
    description: '',
    dataType: 'string',
    options: [],
    source: 'channel',
    proposal: { by: 'person', confidence: 1, reason: 'added by the reviewer' },
  });
  const removed = removeTicketAttribute(added, 'Billing', 'Plan');
  assert.equal(attribute(removed, 'Plan'), undefined);
  assert.equal(attributesOf(removed).length, attributesOf(base).length);
  assert.deepEqual(
    ticketDestinationProblems(setTicketDestination(removed, '2', { ticketType: 'Billing' })),
    [],
    'the edited type passes validation',
  );
});

test('each edit that would not pass, or that addresses what is gone, is refused with its reason', () => {
  const base = map();
  const plan = attribute(base, 'Plan')!;
  const refused = (fn: () => unknown, message: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof StaleEditError && message.test(e.message), String(message));

  refused(() => setTicketAttribute(base, 'Gone', 'Plan', plan), /^ticket type "Gone" is not in the map any more$/);
  refused(
    () => setTicketAttribute(base, 'Billing', 'Nope', plan),
    /^ticket type "Billing" has no attribute "Nope" any more$/,
  );
  refused(() => removeTicketAttribute(base, 'Billing', 'Nope'), /has no attribute "Nope" any more/);
  refused(() => addTicketAttribute(base, 'Gone', plan), /ticket type "Gone" is not in the map any more/);
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { name: '  ' })),
    /^ticket type "Billing": an attribute needs a name$/,
  );
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { name: 'seats' })),
    /^ticket type "Billing" attribute "seats": the type has an attribute "Seats" already$/,
  );
  refused(() => addTicketAttribute(base, 'Billing', edit(plan, { name: 'plan' })), /has an attribute "Plan" already/);
  refused(
    () => addTicketAttribute(base, 'Billing', edit(plan, { name: 'st2ic_source_key' })),
    /"st2ic_source_key" is a name Intercom or the migration gives an attribute of every ticket type/,
  );
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { options: [' ', ''] })),
    /^ticket type "Billing" attribute "Plan": a list attribute needs its options$/,
  );
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { source: '' })),
    /attribute "Plan": no source field feeds it$/,
  );
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { source: 'planName' })),
    /attribute "Plan": unknown source field "planName" \(a ticket field or custom:<fieldId>\)$/,
  );
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { options: ['Free, or not', 'Pro'] })),
    /option "Free, or not" holds a comma/,
  );
  refused(
    () => setTicketAttribute(base, 'Billing', 'Plan', edit(plan, { options: ['Pro', 'pro'] })),
    /an option is there twice/,
  );
});

test('an attribute edit is content: it revokes an approval', () => {
  const approved = confirmMap(map(), 'approved', 'Ann', testClock);
  const plan = attribute(approved, 'Plan')!;
  const edited = setTicketAttribute(approved, 'Billing', 'Plan', edit(plan, { dataType: 'string' }));
  assert.notEqual(contentHash(edited), contentHash(approved));
  assert.equal(effectiveStatus(edited), 'draft');
});

test('the sources offered: the ticket fields, then the custom fields the map knows, with their labels', () => {
  const sources = ticketAttributeSources(map());
  assert.deepEqual(sources.slice(0, 2), [{ source: 'id' }, { source: 'number' }]);
  assert.deepEqual(
    sources.filter((s) => s.source.startsWith('custom:')),
    [
      { source: 'custom:1', label: 'Plan' },
      { source: 'custom:2', label: 'Seats' },
      { source: 'custom:3', label: 'Due' },
    ],
  );
  assert.equal(new Set(sources.map((s) => s.source)).size, sources.length, 'each once');
});

test('the attribute messages are checked and named after their attribute', () => {
  const attribute = { name: 'Plan', description: '', dataType: 'list', options: ['Free'], source: 'custom:1' };
  const ok = [
    { type: 'setTicketAttribute', ticketType: 'Billing', name: 'Plan', attribute },
    { type: 'addTicketAttribute', ticketType: 'Billing', attribute: { ...attribute, label: 'Plan' } },
    { type: 'removeTicketAttribute', ticketType: 'Billing', name: 'Plan', requestId: 3 },
  ];
  for (const m of ok) assert.ok(WebviewMessage.safeParse(m).success, JSON.stringify(m));
  const bad = [
    { type: 'setTicketAttribute', ticketType: '', name: 'Plan', attribute },
    { type: 'setTicketAttribute', ticketType: 'Billing', name: 'Plan', attribute: { ...attribute, dataType: 'files' } },
    { type: 'addTicketAttribute', ticketType: 'Billing', attribute: { ...attribute, name: 'x'.repeat(201) } },
    { type: 'addTicketAttribute', ticketType: 'Billing', attribute: { ...attribute, options: Array(501).fill('a') } },
    { type: 'removeTicketAttribute', ticketType: 'Billing', name: '' },
  ];
  for (const m of bad) assert.equal(WebviewMessage.safeParse(m).success, false, JSON.stringify(m).slice(0, 120));
  assert.equal(
    requestLabel({ type: 'removeTicketAttribute', ticketType: 'Billing', name: 'Plan' }),
    'Remove attribute Plan of ticket type Billing',
  );
});
