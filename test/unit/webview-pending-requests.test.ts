import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MappedObject } from '../../src/model/mapping';
import { HostMessage, WebviewMessage } from '../../src/model/mapping-editor-messages';
import { PendingRequests, requestLabel } from '../../webview/pending-requests';

test('each request gets its own id, and its reply names it once', () => {
  const requests = new PendingRequests();
  const accept = requests.ask({ type: 'accept', object: 'tickets', index: 3, source: 'brandName' });
  const preview = requests.ask({ type: 'preview', object: 'contacts', count: 5 });
  assert.notEqual(accept.requestId, preview.requestId);
  assert.ok(WebviewMessage.safeParse(accept).success, 'the id is part of the contract');
  assert.equal(requests.size, 2);
  assert.equal(requests.settle(accept.requestId), 'Accept brandName');
  assert.equal(requests.settle(accept.requestId), undefined, 'a reply is taken once');
  assert.equal(requests.settle(999), undefined, 'not one of ours');
  assert.equal(requests.settle(preview.requestId), 'Preview of contacts');
  assert.equal(requests.size, 0);
});

test('a request is named by the field or object it was about', () => {
  assert.equal(
    requestLabel({ type: 'drop', object: 'tickets', index: 0, source: 'priority', reason: '' }),
    'Drop priority',
  );
  assert.equal(requestLabel({ type: 'acceptAbove', object: 'all', min: 0.8 }), 'Accept at or above 80%');
  assert.equal(
    requestLabel({ type: 'setValueMap', entry: { map: 'teams', key: 'Support', value: null } }),
    'Value map teams: Support',
  );
  assert.equal(requestLabel({ type: 'confirm', level: 'approved' }), 'Approve');
});

test("the host's messages are typed to the end: replies carry their request, results and maps their schemas", () => {
  assert.ok(HostMessage.safeParse({ type: 'reply', requestId: 4, error: 'the field changed' }).success);
  assert.ok(!HostMessage.safeParse({ type: 'reply', error: 'no request' }).success, 'a reply names its request');
  assert.ok(
    !HostMessage.safeParse({ type: 'sampleResults', results: { runId: 7 }, error: null }).success,
    'sample results are checked, not passed through',
  );
  assert.ok(HostMessage.safeParse({ type: 'sampleResults', results: null, error: 'No sample run yet' }).success);
  const each = <T>(value: T) => Object.fromEntries(MappedObject.options.map((o) => [o, value]));
  const state = {
    map: { formatVersion: 99 },
    error: null,
    status: 'draft',
    claimed: 'draft',
    hash: '',
    reviewed: null,
    approved: null,
    dirty: false,
    targets: each({ standard: [], attributes: [] }),
    lowConfidence: 0.6,
    conflicts: each([]),
    teams: null,
  };
  assert.ok(!HostMessage.safeParse({ type: 'state', state }).success, 'a map that is no mapping file is refused');
  assert.ok(HostMessage.safeParse({ type: 'state', state: { ...state, map: null, error: 'formatVersion' } }).success);
});
