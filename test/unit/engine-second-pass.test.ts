import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ProgressCounter } from '../../src/engine/progress';
import { secondPassOf } from '../../src/engine/second-pass';
import type { ObjectType } from '../../src/model/object-types';

const failure = (objectType: ObjectType, sourceId: string, errorClass: string) => ({
  objectType,
  sourceId,
  error: { errorClass, message: 'x' },
});

test('only records that failed for a passing reason are asked again, each in its phase', () => {
  const pass = secondPassOf([
    failure('endUsers', '14', 'outcome_unknown'),
    failure('endUsers', 'visitor:email:a@b.example', 'outcome_unknown'),
    failure('organizations', '3', 'server'),
    failure('organizationMemberships', '3:22', 'missing_dependency'),
    failure('tickets', '7', 'missing_dependency'),
    failure('tickets', '8', 'validation'),
    failure('liveChats', '9', 'network'),
    failure('callLogs', '2', 'rate_limited'),
    failure('attachments', 'ticket:31', 'attachment_missing'),
    failure('ticketMessages', '40', 'outcome_unknown'),
  ]);
  assert.ok(pass);
  assert.deepEqual([...pass.userIds], [14]);
  assert.deepEqual([...pass.organizationIds], [3]);
  assert.deepEqual(
    [...pass.membershipUserIds].sort(),
    [14, 22],
    'links of the contacts asked again, and the failed link',
  );
  assert.deepEqual([...pass.conversations.ticketIds], [7]);
  assert.deepEqual([...pass.conversations.chatIds], [9]);
  assert.deepEqual([...pass.conversations.callLogIds], [2]);
  assert.equal(pass.records, 6);
});

test("nothing to ask again when every failure is the record's own", () => {
  assert.equal(
    secondPassOf([failure('tickets', '8', 'validation'), failure('attachments', 'ticket:31', 'attachment_missing')]),
    undefined,
  );
});

test('progress counts a record asked again once, as it ended', () => {
  const progress = new ProgressCounter();
  progress.record('tickets', '7', 'failed', 'its customer has no contact yet');
  progress.record('tickets', '8', 'failed', 'validation');
  progress.record('tickets', '7', 'migrated', 'asked again');
  assert.deepEqual(progress.counts, { migrated: 1, skipped: 0, failed: 1 });
});
