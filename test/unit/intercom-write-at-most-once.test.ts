import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConflictError, type IntercomClient, writeAtMostOnce } from '../../src/intercom';

// A 409 naming an object is "already there" for a create only: for an undo (a restore that clashes
// with another contact) it is a failure, or a rollback would count as undone what it never changed.
const clash = () =>
  Promise.reject(
    new ConflictError({
      request: 'PUT /contacts/c1',
      status: 409,
      errors: [{ code: 'conflict', message: 'A contact matching those details already exists with id=c9' }],
    }),
  );
// No outcome is unknown here, so no lookup is made and the client is never used.
const client = {} as IntercomClient;

test('a 409 naming an object is that object for a create, and a failure when the write says it is no create', async () => {
  assert.deepEqual(await writeAtMostOnce(client, clash), { outcome: 'existing', id: 'c9', object: undefined });
  await assert.rejects(writeAtMostOnce(client, clash, { conflictIsExisting: false }), ConflictError);
});
