import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EngineUsageError } from '../../src/engine/errors';
import type { TicketsPlan } from '../../src/engine/ticket-type-plan';
import { assertTicketsReady, ticketsNotReady } from '../../src/engine/tickets-ready';
import { buildDefaultMap, type DefaultMapInputs, type FieldChannel } from '../../src/mapping/default-map';
import { parseMappingText } from '../../src/mapping/mapping-file';
import { confirmMap, contentHash, effectiveStatus } from '../../src/mapping/review';
import { ticketDestinationProblems } from '../../src/mapping/ticket-destinations';
import type { MappingFile } from '../../src/model/mapping';
import { destinationOf } from '../../src/model/mapping';
import { testClock } from '../support/clock';
import { customField, ticketPriority, ticketStatus } from '../support/map-inputs';

const template = (departmentId: number) => ({
  templateId: 1,
  templateName: 'Default',
  displayName: null,
  sortOrder: 1,
  visible: true,
  visibleToAgents: true,
  required: false,
  requiredToRespond: false,
  requiredToClose: false,
  conditionalFieldId: null,
  conditionalValues: [],
  departments: [{ departmentId, channel: 'ticket' as const }],
});

const inputs: DefaultMapInputs = {
  customFields: [
    customField(1, 'Plan', 'dropdown', { options: ['Free', 'Pro', ' '], templates: [template(2)] }),
    customField(2, 'Seats', 'number', { templates: [template(2)] }),
    customField(3, 'Renewal', 'date', { isGlobal: true }),
    customField(4, 'VIP', 'checkbox', { isGlobal: true }),
    customField(5, 'Support code', 'text', { templates: [template(1)] }),
  ],
  // VIP is a user field: global, but tickets do not carry it.
  fieldChannels: new Map<number, Set<FieldChannel>>([[4, new Set(['user'])]]),
  samples: new Map([[2, ['3', '12']]]),
  statuses: [ticketStatus(1, 'Active'), ticketStatus(2, 'Waiting'), ticketStatus(3, 'Closed', false)],
  priorities: [ticketPriority(1, 'Low'), ticketPriority(2, 'High')],
  departmentNames: ['Support', 'Billing'],
  departments: [
    { id: 1, name: 'Support', deleted: false },
    { id: 2, name: 'Billing', deleted: false },
    { id: 9, name: 'Old', deleted: true },
  ],
  brands: [],
};

const sendBilling = (map: MappingFile, ticketType = 'Billing'): MappingFile => ({
  ...map,
  ticketDestinations: {
    ...map.ticketDestinations!,
    departments: {
      ...map.ticketDestinations!.departments,
      '2': { name: 'Billing', destination: { ticketType } },
    },
  },
});

test('the proposer offers a ticket type per department with typed attributes, and keeps every department a conversation', () => {
  const map = buildDefaultMap(inputs);
  const tickets = map.ticketDestinations!;
  assert.equal(tickets.default, 'conversation');
  assert.deepEqual(Object.keys(tickets.departments), ['1', '2'], 'deleted departments get no entry');
  assert.ok(Object.values(tickets.departments).every((d) => d.destination === 'conversation'));
  assert.equal(destinationOf(map, 2), 'conversation');
  const billing = tickets.ticketTypes.find((t) => t.name === 'Billing');
  assert.ok(billing);
  assert.equal(billing.category, 'Customer');
  const byName = new Map(billing.attributes.map((a) => [a.name, a]));
  assert.deepEqual([...byName.keys()], ['Plan', 'Seats', 'Renewal', 'Priority', 'SmarterTrack ticket number']);
  assert.equal(byName.get('SmarterTrack ticket number')?.source, 'number');
  assert.deepEqual(byName.get('Plan'), {
    name: 'Plan',
    description: 'SmarterTrack custom field 1',
    label: 'Plan',
    dataType: 'list',
    options: ['Free', 'Pro'],
    source: 'custom:1',
    proposal: { by: 'heuristic', confidence: 0.85, reason: 'drop-down with 2 options: a list' },
  });
  assert.equal(byName.get('Seats')?.dataType, 'integer');
  assert.equal(byName.get('Renewal')?.dataType, 'datetime');
  assert.deepEqual(byName.get('Priority')?.options, ['Low', 'High']);
  assert.equal(byName.get('Priority')?.source, 'priorityName');
  const support = tickets.ticketTypes.find((t) => t.name === 'Support');
  assert.deepEqual(
    support?.attributes.map((a) => a.name),
    ['Renewal', 'Support code', 'Priority', 'SmarterTrack ticket number'],
  );
  assert.deepEqual(tickets.states, { Active: 'In progress', Waiting: 'Waiting on customer', Closed: 'Resolved' });
  assert.deepEqual(ticketDestinationProblems(map), [], 'nothing to check while all are conversations');
});

test('a mapping.json written before ticket destinations parses unchanged and keeps its approval', () => {
  const { ticketDestinations: _drop, ...older } = buildDefaultMap(inputs);
  const approved = confirmMap(older as MappingFile, 'approved', 'Ann', testClock);
  const reread = parseMappingText(JSON.stringify(approved));
  assert.equal(reread.ticketDestinations, undefined, 'no section is added on reading');
  assert.equal(effectiveStatus(reread), 'approved');
  assert.equal(destinationOf(reread, 2), 'conversation');
});

test('sending a department to tickets is content: it revokes an approval', () => {
  const approved = confirmMap(buildDefaultMap(inputs), 'approved', 'Ann', testClock);
  const edited = sendBilling(approved);
  assert.notEqual(contentHash(edited), contentHash(approved));
  assert.equal(effectiveStatus(edited), 'draft');
});

test('validation names the department and the field of every problem', () => {
  const map = sendBilling(buildDefaultMap(inputs));
  assert.deepEqual(ticketDestinationProblems(map), []);

  assert.deepEqual(ticketDestinationProblems(sendBilling(map, 'Invoices')), [
    'department 2 "Billing": ticket type "Invoices" is not defined in ticketDestinations.ticketTypes',
  ]);

  const broken: MappingFile = structuredClone(map);
  const billing = broken.ticketDestinations!.ticketTypes.find((t) => t.name === 'Billing')!;
  billing.attributes[0]!.options = [];
  billing.attributes[1]!.source = '';
  billing.attributes[2]!.source = 'nonsense';
  delete broken.ticketDestinations!.states.Waiting;
  assert.deepEqual(ticketDestinationProblems(broken), [
    'ticket type "Billing" attribute "Plan" (for department 2 "Billing"): a list attribute needs its options',
    'ticket type "Billing" attribute "Seats" (for department 2 "Billing"): no source field feeds it',
    'ticket type "Billing" attribute "Renewal" (for department 2 "Billing"): unknown source field "nonsense" (a ticket field or custom:<fieldId>)',
    'department 2 "Billing": status "Waiting" has no ticket state (ticketDestinations.states)',
  ]);
});

test('a run refuses to start while the workspace lacks a ticket state or holds an attribute of another type; missing types and attributes are created by the run', () => {
  const map = sendBilling(buildDefaultMap(inputs));
  const billing = map.ticketDestinations!.ticketTypes.find((t) => t.name === 'Billing')!;
  const missingType: TicketsPlan = {
    types: [
      {
        definition: billing,
        id: null,
        attributesToCreate: billing.attributes,
        attributesExisting: [],
        sourceKeyMissing: true,
        sourceKeyName: 'st2ic_source_key',
        usedBy: ['department 2 "Billing"'],
      },
    ],
    statesMissing: [],
    stateMismatches: [],
    attributeConflicts: [],
  };
  assert.deepEqual(ticketsNotReady(missingType), []);
  assert.doesNotThrow(() => assertTicketsReady(missingType, 'full', () => assert.fail('nothing to warn')));
  const blocked: TicketsPlan = {
    ...missingType,
    statesMissing: [{ state: 'Waiting on customer', statuses: ['Waiting'] }],
    attributeConflicts: [{ ticketType: 'Billing', attribute: 'Seats', wanted: 'integer', existingType: 'string' }],
  };
  assert.deepEqual(ticketsNotReady(blocked), [
    `no ticket state "Waiting on customer" (for status "Waiting"): create it in Intercom's settings, or change ticketDestinations.states`,
    'ticket type "Billing" attribute "Seats" is string in Intercom, integer in the map: rename it in the map',
  ]);
  for (const kind of ['sample', 'full', 'delta'] as const)
    assert.throws(
      () => assertTicketsReady(blocked, kind, () => undefined),
      (error: unknown) => error instanceof EngineUsageError && /cannot take the tickets/.test(error.message),
    );
  const warnings: string[] = [];
  assert.doesNotThrow(() => assertTicketsReady(blocked, 'dry-run', (m) => warnings.push(m)));
  assert.equal(warnings.length, 1, 'a dry run warns');
  assert.doesNotThrow(() =>
    assertTicketsReady(blocked, 'configure', () => assert.fail('configure warns in its phase')),
  );
});

test('an option with a comma cannot be an Intercom list item: the proposer makes the field text, and a list holding one is refused; reserved names are refused', () => {
  const withComma: DefaultMapInputs = {
    ...inputs,
    customFields: [
      customField(1, 'Plan', 'dropdown', { options: ['Free', 'Pro, yearly'], templates: [template(2)] }),
      ...inputs.customFields.slice(1),
    ],
  };
  const map = sendBilling(buildDefaultMap(withComma));
  const billing = map.ticketDestinations!.ticketTypes.find((t) => t.name === 'Billing')!;
  const plan = billing.attributes.find((a) => a.name === 'Plan')!;
  assert.equal(plan.dataType, 'string');
  assert.match(plan.proposal!.reason, /option "Pro, yearly" holds a comma/);
  assert.deepEqual(ticketDestinationProblems(map), []);

  const listed: MappingFile = structuredClone(map);
  const listedPlan = listed.ticketDestinations!.ticketTypes.find((t) => t.name === 'Billing')!.attributes[0]!;
  Object.assign(listedPlan, { dataType: 'list', options: ['Free', 'Pro, yearly'] });
  listed.ticketDestinations!.ticketTypes.find((t) => t.name === 'Billing')!.attributes[1]!.name = 'st2ic_source_key';
  assert.deepEqual(ticketDestinationProblems(listed), [
    'ticket type "Billing" attribute "Plan" (for department 2 "Billing"): option "Pro, yearly" holds a comma, which Intercom\'s list items cannot (make it text)',
    'ticket type "Billing" attribute "st2ic_source_key" (for department 2 "Billing"): "st2ic_source_key" is a name Intercom or the migration gives an attribute of every ticket type',
  ]);
});
