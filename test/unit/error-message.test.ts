import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageOf } from '../../src/model/error-message';

test('messageOf: an Error gives its message; anything else thrown gives itself as text, never undefined', () => {
  assert.equal(messageOf(new RangeError('out of range')), 'out of range');
  assert.equal(messageOf('disk full'), 'disk full');
  assert.equal(messageOf(42), '42');
  assert.equal(messageOf(undefined), 'undefined');
});
