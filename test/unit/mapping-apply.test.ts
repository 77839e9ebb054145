import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyObjectMapping, hasErrors } from '../../src/mapping/apply';
import { previewObject } from '../../src/mapping/preview';
import { ObjectMapping } from '../../src/model/mapping';

const contacts = ObjectMapping.parse({
  fields: [
    { source: 'email', target: { kind: 'standard', field: 'email' } },
    { source: 'displayName', target: { kind: 'standard', field: 'name' }, default: 'Unknown customer' },
    {
      source: 'createdAt',
      target: { kind: 'standard', field: 'signed_up_at' },
      transform: { kind: 'date-to-datetime' },
    },
    {
      source: 'custom:7',
      label: 'Notes',
      target: { kind: 'attribute', name: 'Notes', dataType: 'string' },
      transform: { kind: 'string', overflow: 'note' },
    },
    {
      source: 'custom:8',
      label: 'VIP',
      target: { kind: 'attribute', name: 'VIP', dataType: 'boolean' },
      transform: { kind: 'checkbox-to-boolean' },
    },
    { source: 'custom:9', label: 'Plan', target: { kind: 'tag', prefix: 'plan: ' } },
    { source: 'userName', target: { kind: 'drop', reason: 'not needed' } },
  ],
});

test('a valid record maps to standard fields, attributes, tags and notes', () => {
  const long = 'n'.repeat(300);
  const out = applyObjectMapping(
    'contacts',
    contacts,
    { email: 'ana@example.com', displayName: '', createdAt: '2020-01-02T03:04:05.000Z', userName: 'ana' },
    new Map([
      [7, long],
      [8, 'yes'],
      [9, 'Gold'],
    ]),
  );
  assert.equal(hasErrors(out), false);
  assert.deepEqual(out.standard, {
    email: 'ana@example.com',
    name: 'Unknown customer',
    signed_up_at: Date.UTC(2020, 0, 2, 3, 4, 5) / 1000,
  });
  assert.equal(out.attributes.Notes, 'n'.repeat(255));
  assert.equal(out.attributes.VIP, true);
  assert.deepEqual(out.tags, ['plan: Gold']);
  assert.deepEqual(out.notes, [{ label: 'Notes', text: long }]);
  assert.match(out.issues[0]?.message ?? '', /300 characters; cut to 255, whole value kept in a note/);
});

test('an invalid email is an error naming the source field and the target', () => {
  const out = applyObjectMapping('contacts', contacts, { email: 'ana@', displayName: 'Ana' });
  assert.equal(hasErrors(out), true);
  assert.deepEqual(
    out.issues.map((i) => [i.source, i.target, i.severity]),
    [['email', 'email', 'error']],
  );
  assert.match(out.issues[0]?.message ?? '', /"ana@" is not a valid email address/);
  assert.equal(out.standard.email, undefined);
});

test('mapping onto a reserved or unknown standard field is refused', () => {
  const map = ObjectMapping.parse({
    fields: [
      { source: 'id', target: { kind: 'standard', field: 'external_id' } },
      { source: 'email', target: { kind: 'standard', field: 'favourite_colour' } },
    ],
  });
  const out = applyObjectMapping('contacts', map, { id: 5, email: 'a@b.co' });
  assert.match(out.issues[0]?.message ?? '', /set by the migration itself/);
  assert.match(out.issues[1]?.message ?? '', /not an Intercom contacts field/);
});

test('NUL characters and lone surrogates are removed with a warning', () => {
  const out = applyObjectMapping('contacts', contacts, { email: 'ana@example.com', displayName: 'A\u0000na \ud800x' });
  assert.equal(hasErrors(out), false);
  assert.equal(out.standard.name, 'Ana \ufffdx');
  assert.ok(out.issues.some((i) => i.source === 'displayName' && /NUL/.test(i.message)));
});

test('a value the attribute type cannot hold fails the field', () => {
  const out = applyObjectMapping('contacts', contacts, { email: 'ana@example.com' }, new Map([[8, 'perhaps']]));
  assert.ok(out.issues.some((i) => i.source === 'custom:8' && i.severity === 'error'));
});

test('preview shows source → mapped → result per field and highlights values near the limit', () => {
  const rows = previewObject('contacts', contacts, [
    { id: 1, record: { email: 'ok@example.com' }, customValues: new Map([[7, 'x'.repeat(240)]]) },
    { id: 2, record: { email: 'broken' } },
  ]);
  assert.equal(rows[0]?.ok, true);
  assert.equal(rows[0]?.fields.find((f) => f.source === 'custom:7')?.nearLimit, true);
  assert.equal(rows[0]?.fields.find((f) => f.source === 'email')?.mapped, 'ok@example.com');
  assert.equal(rows[1]?.ok, false);
});
