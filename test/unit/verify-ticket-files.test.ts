import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import type { Attachment } from '../../src/model/source';
import { checkFiles, type ConversationEnv, isoOf } from '../../src/reports/verify/check-thread';
import type { PartView } from '../../src/reports/verify/intercom-parts';
import type { Difference } from '../../src/reports/verify/types';

// A ticket's file rides with its message: on a part of the message's time, or, past Intercom's
// 500-part cap, on the transcript note that holds the message (dated by the transcript's first
// message, and naming this one's time in its text).

const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-verify-files-'));
const file = path.join(dir, 'sync.log');
writeFileSync(file, 'twelve bytes');
const MESSAGE_AT = 1_647_348_004; // 2022-03-15T12:40:04Z
const att: Attachment = {
  id: 437,
  owner: { kind: 'ticket', id: 691 },
  messageId: 3044,
  userId: null,
  originalName: 'sync.log',
  fileNameOnDisk: 'x.txt',
  path: file,
  pathStatus: 'found',
  length: 12,
  cidTag: null,
  deleted: false,
  createdAt: null,
};

const part = (createdAt: number, text: string): PartView => ({
  id: '900',
  position: 499,
  partType: 'note',
  authorType: 'admin',
  authorId: '1',
  authorEmail: null,
  createdAt,
  text,
  words: text.split(/\s+/),
  attachments: [{ name: 'sync.log', size: 12, url: null }],
});

async function differences(carrier: PartView): Promise<Difference[]> {
  const found: Difference[] = [];
  const env = {
    findings: { checked: () => undefined, differ: (d: Difference) => found.push(d), unchecked: () => undefined },
    migratedId: () => '900',
  } as unknown as ConversationEnv;
  await checkFiles(env, [att], [carrier], () => MESSAGE_AT);
  return found;
}

test("a file on a part of its message's time is no difference; on a part of another time it is", async () => {
  assert.deepEqual(await differences(part(MESSAGE_AT, 'Attachments')), []);
  const elsewhere = await differences(part(MESSAGE_AT - 3 * 86_400, 'Attachments'));
  assert.deepEqual(
    elsewhere.map((d) => d.field),
    ['part created_at'],
  );
});

test('a file on the transcript folded past the part cap is no difference when the transcript names its message’s time', async () => {
  const transcript = `Messages of the original conversation past Intercom's part limit (500) [${isoOf(MESSAGE_AT)} · agent] the log`;
  assert.deepEqual(await differences(part(MESSAGE_AT - 3 * 86_400, transcript)), []);
});
