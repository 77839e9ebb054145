import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergeAiProposals } from '../../src/mapping/ai-merge';
import { buildAiRequest } from '../../src/mapping/ai-request';
import type { AiProposal, WorkspaceAttribute } from '../../src/mapping/ai-schema';
import { buildDefaultMap, type FieldChannel } from '../../src/mapping/default-map';
import type { CustomField } from '../../src/model/source';

const field = (id: number, name: string, kind: CustomField['kind'], options: string[] = []): CustomField => ({
  id,
  name,
  dataType: 0,
  kind,
  defaultValue: null,
  options,
  isGlobal: false,
  templates: [],
});
const customFields = [
  field(1, 'Product', 'dropdown', ['Cloud', 'Desktop', 'Karen Whitfield']),
  field(2, 'Notes', 'textarea'),
  field(3, 'Renewal', 'date'),
];
const map = buildDefaultMap({
  customFields,
  fieldChannels: new Map<number, Set<FieldChannel>>([
    [1, new Set(['ticket'])],
    [2, new Set(['user'])],
    [3, new Set(['ticket'])],
  ]),
  samples: new Map([
    [1, ['Cloud']],
    [2, ['Call Karen Whitfield at karen@brightloop.io']],
    [3, ['2024-01-02']],
  ]),
  statuses: [],
  priorities: [],
  departmentNames: [],
  brands: [],
});
const attributes: WorkspaceAttribute[] = [
  { model: 'conversation', name: 'product', dataType: 'string' },
  { model: 'conversation', name: 'Seats', dataType: 'decimal' },
  { model: 'contact', name: 'Portal', dataType: 'relationship' },
];

function p(over: Partial<AiProposal> & Pick<AiProposal, 'objectKey' | 'source' | 'target'>): AiProposal {
  return { transform: 'none', confidence: 0.95, reason: 'because', ...over };
}

test('an existing attribute is reused with the workspace spelling; a higher confidence replaces the heuristic', () => {
  const { map: out, outcomes } = mergeAiProposals(
    map,
    [
      p({
        objectKey: 'tickets',
        source: 'custom:1',
        target: { kind: 'attribute', name: 'PRODUCT', dataType: 'string', create: false },
        transform: 'string',
        reason: 'a product\n  picker',
      }),
    ],
    attributes,
  );
  assert.equal(outcomes[0]?.status, 'applied');
  const f = out.objects.tickets.fields.find((x) => x.source === 'custom:1');
  assert.deepEqual(f?.target, { kind: 'attribute', name: 'product', dataType: 'string', create: true });
  assert.deepEqual(f?.proposal, { by: 'ai', confidence: 0.95, reason: 'a product picker' });
  assert.equal(f?.label, 'Product');
  assert.equal(f?.transform.maxLength, 255);
  assert.equal(f?.transform.overflow, 'note');
  assert.equal(f?.transform.invalid, 'note');
});

test('invalid targets are dropped with a reason and leave the field as it was', () => {
  const proposals = [
    p({
      objectKey: 'tickets',
      source: 'custom:3',
      target: { kind: 'attribute', name: 'Seats', dataType: 'datetime', create: true },
      transform: 'date-to-datetime',
    }),
    p({
      objectKey: 'contacts',
      source: 'custom:2',
      target: { kind: 'attribute', name: 'Portal', dataType: 'string', create: false },
    }),
    p({ objectKey: 'contacts', source: 'displayName', target: { kind: 'standard', field: 'email' } }),
    p({ objectKey: 'contacts', source: 'userName', target: { kind: 'standard', field: 'external_id' } }),
    p({
      objectKey: 'contacts',
      source: 'createdAt',
      target: { kind: 'standard', field: 'signed_up_at' },
      transform: 'string',
      confidence: 1,
    }),
    p({ objectKey: 'companies', source: 'name', target: { kind: 'team' } }),
    p({
      objectKey: 'kbArticles',
      source: 'summary',
      target: { kind: 'attribute', name: 'Summary', dataType: 'string', create: true },
    }),
    p({ objectKey: 'tickets', source: 'custom:2', target: { kind: 'note', label: 'Notes' } }),
    p({
      objectKey: 'tickets',
      source: 'priorityName',
      target: { kind: 'tag', prefix: 'priority: ' },
      transform: 'value-map',
    }),
    p({
      objectKey: 'tickets',
      source: 'statusName',
      target: { kind: 'attribute', name: 'Brand', dataType: 'string', create: true },
    }),
  ];
  const { map: out, outcomes } = mergeAiProposals(map, proposals, attributes);
  assert.deepEqual(
    outcomes.map((o) => o.status),
    Array(proposals.length).fill('dropped'),
  );
  assert.deepEqual(
    outcomes.map((o) => o.note),
    [
      'attribute "Seats" exists as float, not datetime',
      'attribute "Portal" is of type relationship, which the map cannot write',
      '"email" already takes "email"',
      '"external_id" is set by the migration itself',
      'transform string cannot fill "signed_up_at" (datetime)',
      'companies cannot take a target of kind team',
      'kbArticles cannot take a target of kind attribute',
      '"custom:2" is not a custom field of tickets',
      'a value map needs values a person supplies',
      'attribute "Brand" already takes "brandName"',
    ],
  );
  assert.deepEqual(out, map);
});

test('lower or equal confidence, reviewed fields and repeated proposals keep the current mapping', () => {
  const reviewed = structuredClone(map);
  const notes = reviewed.objects.contacts.fields.find((f) => f.source === 'custom:2')!;
  notes.reviewed = true;
  const { map: out, outcomes } = mergeAiProposals(
    reviewed,
    [
      p({ objectKey: 'contacts', source: 'email', target: { kind: 'drop', reason: 'no' }, confidence: 1 }),
      p({ objectKey: 'contacts', source: 'custom:2', target: { kind: 'note', label: 'Notes' }, confidence: 0.99 }),
      p({ objectKey: 'tickets', source: 'custom:3', target: { kind: 'drop', reason: 'old' }, confidence: 0.2 }),
      p({ objectKey: 'tickets', source: 'custom:3', target: { kind: 'drop', reason: 'old' }, confidence: 0.99 }),
    ],
    [],
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['kept', 'kept', 'kept', 'dropped'],
  );
  assert.match(outcomes[0]!.note, /default proposal has confidence 1, the AI's 1/u);
  assert.equal(outcomes[1]!.note, 'a person set this mapping');
  assert.equal(outcomes[3]!.note, 'a second proposal for the same field');
  assert.deepEqual(out, reviewed);
});

test('a known source field the map leaves out can be added', () => {
  const { map: out, outcomes } = mergeAiProposals(
    map,
    [
      p({
        objectKey: 'tickets',
        source: 'closedAt',
        target: { kind: 'attribute', name: 'Closed at', dataType: 'datetime', create: true },
        transform: 'date-to-datetime',
        confidence: 0.7,
      }),
    ],
    [],
  );
  assert.equal(outcomes[0]?.status, 'applied');
  assert.deepEqual(out.objects.tickets.fields.at(-1)?.target, {
    kind: 'attribute',
    name: 'Closed at',
    dataType: 'datetime',
    create: true,
  });
});

test('the request carries names, types and shapes, drop-down options unless personal, and no sample value', () => {
  const body = JSON.stringify(
    buildAiRequest(
      map,
      {
        customFields,
        customSamples: new Map([
          [1, ['Cloud']],
          [2, ['Call Karen Whitfield at karen@brightloop.io']],
        ]),
      },
      attributes,
      true,
    ),
  );
  assert.ok(!body.includes('Karen'), 'no name');
  assert.ok(!body.includes('brightloop'), 'no email');
  assert.ok(body.includes('"Desktop"'));
  assert.ok(body.includes('(option hidden: name, 2 words)'));
  assert.ok(body.includes('contains an email address'));
  assert.ok(
    body.includes('"existingAttributes":[{"name":"product","dataType":"string"},{"name":"Seats","dataType":"float"}]'),
  );
  const open = JSON.stringify(
    buildAiRequest(map, { customFields, customSamples: new Map([[2, ['Call Karen Whitfield']]]) }, [], false),
  );
  assert.ok(open.includes('Call Karen Whitfield'), 'redaction off sends the values');
});
