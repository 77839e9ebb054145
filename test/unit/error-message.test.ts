import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isMissingFile, messageOf } from '../../src/model/error-message';

test('messageOf: an Error gives its message; anything else thrown gives itself as text, never undefined', () => {
  assert.equal(messageOf(new RangeError('out of range')), 'out of range');
  assert.equal(messageOf('disk full'), 'disk full');
  assert.equal(messageOf(42), '42');
  assert.equal(messageOf(undefined), 'undefined');
});

test('isMissingFile: only ENOENT from the file system counts as "nothing there"', async () => {
  const { readFile } = await import('node:fs/promises');
  const missing = await readFile('/nonexistent/st2ic/none.json').catch((e: unknown) => e);
  assert.equal(isMissingFile(missing), true);
  const directory = await readFile('/').catch((e: unknown) => e);
  assert.equal(isMissingFile(directory), false, 'EISDIR is a real failure');
  assert.equal(isMissingFile('ENOENT'), false);
  assert.equal(isMissingFile(null), false);
});
