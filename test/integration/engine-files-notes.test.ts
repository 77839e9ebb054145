import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openLedger } from '../../src/ledger';
import { attachmentSourceId } from '../../src/model/source';
import type { RunningSandbox } from '../../src/sandbox';
import {
  type Dataset,
  makeDataset,
  migrate,
  openDataset,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

// A note that only carries files is journaled under the attachments object type, next to the
// attachments themselves (`chat:<attachment id>`): its own id must never read like one of theirs.
let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  dir = tempDir('files-notes');
  ds = await makeDataset(dir, 0.1, 7);
  sandbox = await startSeededSandbox(ds);
});

after(async () => {
  await sandbox?.close();
  removeDir(dir);
});

test("a chat's files note is written even when another chat's file with the chat's number as id is already migrated", async () => {
  const reader = await openDataset(ds);
  const filesOf = new Map<number, string[]>();
  try {
    for await (const a of reader.attachments()) {
      if (a.owner.kind === 'chat' && !a.deleted)
        filesOf.set(a.owner.id, [...(filesOf.get(a.owner.id) ?? []), a.originalName ?? '']);
    }
  } finally {
    await reader.close();
  }
  const [chatId, names] = [...filesOf].sort(([a], [b]) => a - b)[0] ?? [];
  assert.ok(chatId !== undefined && names !== undefined, 'the dataset has a chat with files');

  const ws = `${dir}/workspace`;
  await writeMap(ws, ds, 'approved');
  // Another chat's file whose id is this chat's number, migrated before this chat's files note comes up
  // (with many chats in flight, a short chat finishes first): its record is `chat:<chatId>`.
  const otherFile = attachmentSourceId({ id: chatId, owner: { kind: 'chat', id: chatId + 1000 } });
  const ledger = await openLedger(ws);
  const earlier = await ledger.startRun({
    kind: 'full',
    mappingHash: 'sha256:earlier',
    source: { kind: 'sqlite', description: ds.dbPath },
  });
  earlier.record({ objectType: 'attachments', sourceId: otherFile, state: 'migrated', intercomId: '990001' });
  await earlier.finish('completed');
  await earlier.close();
  await ledger.close();

  const result = await migrate(ws, ds, sandbox);
  assert.equal(result.status, 'completed', result.message);

  const after = await openLedger(ws);
  const conversationId = after.intercomIdFor('liveChats', String(chatId));
  await after.close();
  assert.ok(conversationId, `chat ${chatId} was migrated`);
  const conversation = sandbox.state().conversations[conversationId];
  const notes = (conversation?.parts ?? []).filter(
    (p) => p.part_type === 'note' && p.body === '<p>Files shared in this chat</p>',
  );
  assert.equal(notes.length, 1, `chat ${chatId} has its files note`);
  assert.deepEqual(notes[0]?.attachments.map((a) => a.name).sort(), [...names].sort());
});
