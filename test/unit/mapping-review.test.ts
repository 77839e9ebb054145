import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import Ajv from 'ajv';

import { buildDefaultMap, type DefaultMapInputs, type FieldChannel } from '../../src/mapping/default-map';
import { proposeCustomField } from '../../src/mapping/heuristic';
import { mappingPath, parseMappingText, readMappingFile, writeMappingFile } from '../../src/mapping/mapping-file';
import {
  assertRunAllowed,
  confirmMap,
  contentHash,
  effectiveStatus,
  MapNotConfirmedError,
} from '../../src/mapping/review';
import type { CustomField } from '../../src/model/source';
import { testClock } from '../support/clock';

function field(id: number, name: string, kind: CustomField['kind'], dataType = 0): CustomField {
  return {
    id,
    name,
    dataType,
    kind,
    defaultValue: null,
    options: kind === 'dropdown' ? ['Basic', 'Pro'] : [],
    isGlobal: true,
    templates: [],
  };
}

const inputs: DefaultMapInputs = {
  customFields: [
    field(1, 'Product version', 'text'),
    field(2, 'Renewal date', 'date', 4),
    field(3, 'Is VIP?', 'checkbox', 3),
    field(4, 'Plan', 'dropdown', 2),
    field(5, 'Odd', 'unknown', 42),
  ],
  fieldChannels: new Map<number, Set<FieldChannel>>([
    [1, new Set(['ticket', 'chat'])],
    [2, new Set(['user'])],
    [3, new Set(['ticket'])],
    [4, new Set(['callLog'])],
  ]),
  samples: new Map([
    [2, ['2024-01-01', '3/4/2024']],
    [1, ['5.2.1']],
  ]),
  statuses: [
    { id: 1, name: 'Active', displayName: 'Active', sortOrder: 1, isOpen: true, isActive: true, isLocked: false },
    { id: 3, name: 'Closed', displayName: 'Closed', sortOrder: 3, isOpen: false, isActive: false, isLocked: false },
  ],
  priorities: [
    { id: 1, name: 'Low', displayName: 'Low', sortOrder: 1 },
    { id: 4, name: 'Urgent', displayName: 'Urgent', sortOrder: 4 },
  ],
  departmentNames: ['Support', 'Billing'],
  brands: [
    { id: 1, name: 'Acme' },
    { id: 2, name: null },
  ],
};

test('the heuristic proposes by field type with a confidence and a reason', () => {
  const date = proposeCustomField(field(2, 'Renewal date', 'date', 4), ['2024-01-01']);
  assert.deepEqual(date.target, { kind: 'attribute', name: 'Renewal date', dataType: 'datetime', create: true });
  assert.equal(date.transform.kind, 'date-to-datetime');
  assert.ok((date.proposal?.confidence ?? 0) >= 0.8);
  const odd = proposeCustomField(field(5, 'Odd', 'unknown', 42), []);
  assert.ok((odd.proposal?.confidence ?? 1) < 0.5);
  assert.match(odd.proposal?.reason ?? '', /unknown SmarterTrack data type 42/);
  const check = proposeCustomField(field(3, 'Is VIP?', 'checkbox', 3), []);
  assert.deepEqual(check.target, { kind: 'attribute', name: 'Is VIP', dataType: 'boolean', create: true });
  const badDates = proposeCustomField(field(2, 'Renewal date', 'date', 4), ['2024-01-01', 'whenever']);
  assert.ok((badDates.proposal?.confidence ?? 1) < 0.6);
});

test('the default map routes custom fields by channel and fills value maps from lookups', () => {
  const map = buildDefaultMap(inputs);
  assert.equal(map.review.status, 'draft');
  const sources = (o: keyof typeof map.objects) => map.objects[o].fields.map((f) => f.source);
  assert.ok(sources('tickets').includes('custom:1') && sources('liveChats').includes('custom:1'));
  assert.ok(sources('contacts').includes('custom:2'));
  assert.ok(sources('callLogs').includes('custom:4'));
  assert.ok(sources('tickets').includes('custom:5'), 'a field with no known channel defaults to tickets');
  assert.deepEqual(map.valueMaps.ticketStatus, { Active: 'open', Closed: 'closed' });
  assert.deepEqual(map.valueMaps.priority, { Low: 'not_priority', Urgent: 'priority' });
  assert.deepEqual(map.valueMaps.brands.values, { 1: 'Acme', 2: 'Brand 2' });
  assert.deepEqual(map.objects.contacts.fields.find((f) => f.source === 'email')?.target, {
    kind: 'standard',
    field: 'email',
  });
});

test('a map moves draft → reviewed (sample) → approved (full, delta); any edit revokes it', () => {
  const draft = buildDefaultMap(inputs);
  assert.doesNotThrow(() => assertRunAllowed(draft, 'dry-run'));
  assert.throws(() => assertRunAllowed(draft, 'sample'), MapNotConfirmedError);
  const reviewed = confirmMap(draft, 'reviewed', 'Dana Reviewer', testClock);
  assert.equal(reviewed.review.reviewed?.by, 'Dana Reviewer');
  assert.equal(reviewed.review.reviewed?.hash, contentHash(draft));
  assert.doesNotThrow(() => assertRunAllowed(reviewed, 'sample'));
  assert.throws(() => assertRunAllowed(reviewed, 'full'), /needs the map approved; it is reviewed/);
  const approved = confirmMap(reviewed, 'approved', 'Lee Approver', testClock);
  assert.doesNotThrow(() => assertRunAllowed(approved, 'full'));
  assert.doesNotThrow(() => assertRunAllowed(approved, 'delta'));
  assert.equal(approved.review.reviewed?.by, 'Dana Reviewer', 'approval keeps the review stamp of the same content');

  const edited = structuredClone(approved);
  edited.valueMaps.teams.Support = 'Tier 1';
  assert.equal(effectiveStatus(edited), 'draft');
  assert.throws(() => assertRunAllowed(edited, 'full'), /changed since it was approved/);
  assert.throws(() => assertRunAllowed(edited, 'sample'), /changed since/);
  assert.throws(() => confirmMap(edited, 'approved', '  '), /reviewer name is required/);
});

test('the content hash ignores key order and the review block', () => {
  const map = buildDefaultMap(inputs);
  const reverseKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(reverseKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reverseKeys(x)]),
          )
        : v;
  const reordered = JSON.stringify(reverseKeys(map));
  assert.notEqual(reordered, JSON.stringify(map));
  assert.equal(contentHash(parseMappingText(reordered)), contentHash(map));
  assert.equal(contentHash(confirmMap(map, 'reviewed', 'x')), contentHash(map));
});

test('mapping.json round-trips, its JSON schema validates it, and bad files get errors naming the path', async () => {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'st2ic-map-'));
  const map = confirmMap(buildDefaultMap(inputs), 'reviewed', 'Dana');
  await writeMappingFile(workspace, map);
  assert.deepEqual(await readMappingFile(workspace), map);

  const schema = JSON.parse(await readFile(path.join(workspace, 'migration', 'mapping.schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(schema);
  assert.equal(
    validate(JSON.parse(await readFile(mappingPath(workspace), 'utf8'))),
    true,
    JSON.stringify(validate.errors),
  );
  const broken = structuredClone(map) as unknown as { objects: { contacts: { fields: { target: unknown }[] } } };
  broken.objects.contacts.fields[0]!.target = { kind: 'teleport' };
  assert.equal(validate(broken), false);

  await writeFile(mappingPath(workspace), JSON.stringify(broken));
  await assert.rejects(readMappingFile(workspace), /objects\.contacts\.fields\.0\.target/);
  await writeFile(mappingPath(workspace), '{ not json');
  await assert.rejects(readMappingFile(workspace), /is not valid JSON/);
  await assert.rejects(readMappingFile(path.join(workspace, 'nowhere')), /does not exist yet: run st2ic map propose/);
});
