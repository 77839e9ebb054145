import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { MappingFile } from '../../../src/model/mapping';
import { mappedFieldDifferences } from '../../../src/reports/verify/mapped-fields';

// A value Intercom holds cut short is a loss unless its whole text arrived elsewhere (the engine
// keeps it in a note of the conversation): the verifier accepts the cut only when it finds it there.

const map = {
  objects: {
    tickets: {
      fields: [
        {
          source: 'custom:5',
          target: { kind: 'attribute', name: 'Steps', dataType: 'string' },
          transform: { kind: 'none' },
        },
      ],
    },
  },
} as unknown as MappingFile;
const whole = 'Open the app, sign in as an administrator, then reconnect the feed. '.repeat(6).trim();
const conversation = { custom_attributes: { Steps: whole.slice(0, 255) } };
const custom = new Map([[5, whole]]);

test('a cut attribute whose whole value is in a note is no difference; one that is not, is', () => {
  assert.deepEqual(
    mappedFieldDifferences(map, 'tickets', {}, custom, conversation, (v) => v === whole),
    [],
  );
  const lost = mappedFieldDifferences(map, 'tickets', {}, custom, conversation, () => false);
  assert.equal(lost.length, 1);
  assert.equal(lost[0]!.field, 'custom_attributes.Steps');
  assert.match(lost[0]!.intercom, /cut: 255 of \d+ characters/);
});

test('a different value is a difference even when some note holds the source text', () => {
  const other = { custom_attributes: { Steps: 'something else' } };
  assert.equal(mappedFieldDifferences(map, 'tickets', {}, custom, other, () => true).length, 1);
});
