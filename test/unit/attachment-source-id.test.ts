import assert from 'node:assert/strict';
import { test } from 'node:test';

import { attachmentSourceId, isAttachmentSourceId } from '../../src/model/source';

test('an attachment record id is told from the id of a note that carries files', () => {
  for (const kind of ['ticket', 'chat', 'callLog'] as const) {
    assert.equal(isAttachmentSourceId(attachmentSourceId({ id: 2, owner: { kind, id: 5 } })), true, kind);
  }
  // The ids the engine gives notes that only carry files.
  for (const carrier of [
    'chat-files:2',
    'loose:2',
    'field:2:Priority',
    'opener:tickets:2',
    'call:2:details',
    'attachments:chat-files:2:2',
    'ticketMessages:2:2',
  ]) {
    assert.equal(isAttachmentSourceId(carrier), false, carrier);
  }
});
