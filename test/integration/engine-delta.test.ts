import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { type DeltaManifest, mutateForDelta } from '../fixtures/dataset/mutate';
import {
  type Dataset,
  type JournalLine,
  journalOf,
  makeDataset,
  migrate,
  removeDir,
  runIds,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/** Issue 4: after a full run and some help-desk activity, a delta run writes exactly the changes. */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
let changes: DeltaManifest;
let before_: SandboxState;
let after_: SandboxState;
let deltaJournal: JournalLine[];
let fullJournal: JournalLine[];

const clone = (s: SandboxState): SandboxState => JSON.parse(JSON.stringify(s)) as SandboxState;

before(async () => {
  dir = tempDir('delta');
  ds = await makeDataset(dir, 0.2, 3);
  sandbox = await startSeededSandbox(ds);
  await writeMap(dir, ds, 'approved');
  const full = await migrate(dir, ds, sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  fullJournal = journalOf(dir, full.runId);
  before_ = clone(sandbox.state());
  changes = mutateForDelta(ds.dbPath, { seed: 3 });
  const delta = await migrate(dir, ds, sandbox, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  assert.equal(runIds(dir).length, 2);
  deltaJournal = journalOf(dir, delta.runId);
  after_ = clone(sandbox.state());
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

function intercomIdIn(journal: JournalLine[], objectType: string, sourceId: number): string | undefined {
  const rec = [...journal]
    .reverse()
    .find((e) => e.type === 'record' && e.objectType === objectType && e.sourceId === String(sourceId));
  const result = rec?.result as { state: string; intercomId?: string } | undefined;
  return result?.state === 'migrated' ? result.intercomId : undefined;
}

function writes(journal: JournalLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of journal)
    if (e.type === 'intent')
      counts.set(
        `${String(e.op)} ${String(e.objectType)}`,
        (counts.get(`${String(e.op)} ${String(e.objectType)}`) ?? 0) + 1,
      );
  return counts;
}

test('mutateForDelta is deterministic and reports every kind of change', () => {
  assert.equal(changes.newTicketIds.length, 3);
  assert.equal(changes.newTicketMessageIds.length, 6);
  assert.equal(changes.newTicketCommentIds.length, 3);
  assert.equal(changes.newAttachmentIds.length, 2);
  assert.equal(changes.closedTicketIds.length, 2);
  assert.equal(changes.reopenedTicketIds.length, 2);
  assert.equal(changes.repliesOnExisting.length, 5);
  assert.equal(changes.newEndUserIds.length, 1);
  assert.equal(changes.renamedEndUsers.length, 1);
  assert.equal(changes.changedOrganizations.length, 1);
  assert.equal(changes.newChatIds.length, 1);
  assert.equal(changes.newChatMessageIds.length, 3);
});

test('delta creates one conversation per new ticket and chat, with every part', () => {
  const newConversations = Object.keys(after_.conversations).filter((id) => !(id in before_.conversations));
  assert.equal(newConversations.length, changes.newTicketIds.length + changes.newChatIds.length);
  for (const ticketId of changes.newTicketIds) {
    const id = intercomIdIn(deltaJournal, 'tickets', ticketId);
    assert.ok(id && newConversations.includes(id), `ticket ${ticketId} became a new conversation`);
    const c = after_.conversations[id]!;
    // opener = first customer message; then the agent reply and the comment (a note), plus a files note when the opener had a file.
    const comments = c.parts.filter((p) => p.part_type === 'comment');
    const notes = c.parts.filter((p) => p.part_type === 'note');
    assert.equal(comments.length, 1, `ticket ${ticketId}: one admin reply`);
    assert.ok(
      notes.some((n) => (n.body ?? '').includes('Reproduced on staging')),
      `ticket ${ticketId}: the comment is a note`,
    );
  }
  const files = Object.values(after_.conversations)
    .flatMap((c) => c.parts)
    .filter((p) => p.attachments.some((a) => a.name === 'export-error.txt' || a.name === 'diagnostics-guide.txt'));
  assert.equal(files.length, 2, 'both new files ride on parts');
  const chat = after_.conversations[intercomIdIn(deltaJournal, 'liveChats', changes.newChatIds[0]!)!]!;
  assert.match(chat.source_body, /move my license/);
  assert.equal(chat.parts.filter((p) => p.part_type === 'comment' || p.part_type === 'note').length >= 2, true);
  assert.equal(chat.state, 'closed');
});

test('delta adds the new replies to existing conversations and applies the state changes', () => {
  for (const { ticketId, messageIds } of changes.repliesOnExisting) {
    const id = intercomIdIn(fullJournal, 'tickets', ticketId)!;
    assert.ok(id, `ticket ${ticketId} was migrated by the full run`);
    const added = after_.conversations[id]!.parts.length - before_.conversations[id]!.parts.length;
    assert.ok(added >= messageIds.length, `ticket ${ticketId}: ${messageIds.length} new part(s), got ${added}`);
    for (const m of messageIds) assert.ok(intercomIdIn(deltaJournal, 'ticketMessages', m), `message ${m} migrated`);
  }
  for (const ticketId of changes.closedTicketIds) {
    const id = intercomIdIn(fullJournal, 'tickets', ticketId)!;
    assert.equal(before_.conversations[id]!.state, 'open');
    assert.equal(after_.conversations[id]!.state, 'closed', `ticket ${ticketId} closed`);
  }
  for (const ticketId of changes.reopenedTicketIds) {
    const id = intercomIdIn(fullJournal, 'tickets', ticketId)!;
    assert.equal(before_.conversations[id]!.state, 'closed');
    assert.equal(after_.conversations[id]!.state, 'open', `ticket ${ticketId} reopened`);
  }
});

test('delta creates the new contact, renames the changed one and updates the company', () => {
  const newContacts = Object.values(after_.contacts).filter((c) => !(c.id in before_.contacts));
  assert.deepEqual(
    newContacts.map((c) => c.external_id),
    changes.newEndUserIds.map(String),
  );
  for (const { userId, name } of changes.renamedEndUsers) {
    const contact = Object.values(after_.contacts).find((c) => c.external_id === String(userId));
    assert.equal(contact?.name, name);
  }
  for (const { organizationId, name, website } of changes.changedOrganizations) {
    const company = Object.values(after_.companies).find((c) => c.company_id === String(organizationId));
    assert.equal(company?.name, name);
    assert.equal(company?.website, website);
  }
  assert.equal(Object.keys(after_.companies).length, Object.keys(before_.companies).length);
});

test('nothing else is written: writes by op and object type, and untouched objects unchanged', () => {
  const counts = Object.fromEntries(writes(deltaJournal));
  const expectedKinds = [
    'create endUsers',
    'update endUsers',
    'update organizations',
    'create tickets',
    'create liveChats',
    'close tickets',
    'open tickets',
    'reply ticketMessages',
    'note ticketComments',
    'note attachments',
    'reply chatMessages',
    'update tickets',
    'update liveChats',
    'assign tickets',
    'assign liveChats',
    'close liveChats',
    'tag tickets',
  ];
  const unexpected = Object.keys(counts).filter((k) => !expectedKinds.includes(k));
  assert.deepEqual(unexpected, [], `only the expected kinds of writes: ${JSON.stringify(counts)}`);
  const replies = changes.repliesOnExisting.reduce((n, r) => n + r.messageIds.length, 0);
  const changedTickets = new Set([
    ...changes.closedTicketIds,
    ...changes.reopenedTicketIds,
    ...changes.repliesOnExisting.map((r) => r.ticketId),
  ]);
  // Contacts: one create, one update (the rename). Companies: one upsert. Conversations: a create per new ticket and chat.
  assert.equal(counts['create endUsers'], 1);
  assert.equal(counts['update endUsers'], 1);
  assert.equal(counts['update organizations'], 1);
  assert.equal(counts['create organizations'], undefined);
  assert.equal(counts['create tickets'], changes.newTicketIds.length);
  assert.equal(counts['create liveChats'], changes.newChatIds.length);
  assert.equal(
    counts['close tickets'],
    changes.closedTicketIds.length + 1,
    'the two closed tickets and the new closed one',
  );
  assert.equal(counts['open tickets'], changes.reopenedTicketIds.length);
  // Title and attributes are sent again only where they changed (the status attribute of closed and reopened tickets).
  assert.equal(
    counts['update tickets'],
    changes.newTicketIds.length + changes.closedTicketIds.length + changes.reopenedTicketIds.length,
  );
  const allowed: Record<string, Set<string>> = {
    tickets: new Set([...changes.newTicketIds, ...changedTickets].map(String)),
    ticketMessages: new Set(
      [...changes.newTicketMessageIds, ...changes.repliesOnExisting.flatMap((r) => r.messageIds)].map(String),
    ),
    ticketComments: new Set(changes.newTicketCommentIds.map(String)),
    liveChats: new Set(changes.newChatIds.map(String)),
    chatMessages: new Set(changes.newChatMessageIds.map(String)),
    endUsers: new Set([...changes.newEndUserIds, ...changes.renamedEndUsers.map((r) => r.userId)].map(String)),
    organizations: new Set(changes.changedOrganizations.map((o) => String(o.organizationId))),
  };
  for (const e of deltaJournal.filter((x) => x.type === 'intent')) {
    const set = allowed[String(e.objectType)];
    if (set)
      assert.ok(
        set.has(String(e.sourceId)),
        `write ${String(e.op)} ${String(e.objectType)} ${String(e.sourceId)} concerns a changed record`,
      );
  }
  // Parts: every new reply on an existing ticket, plus per new ticket its agent reply; comments are notes.
  const partWrites = Object.entries(counts)
    .filter(([k]) => /^(reply|note) /.test(k))
    .reduce((n, [, v]) => n + v, 0);
  const newTicketParts =
    changes.newTicketIds.length /* agent reply */ + changes.newTicketCommentIds.length + 1; /* opener's file note */
  const chatParts = changes.newChatMessageIds.length - 1;
  assert.equal(partWrites, replies + newTicketParts + chatParts);
  assert.equal(counts['create callLogs'], undefined);
  assert.equal(counts['create kbArticles'], undefined);
  assert.equal(counts['update kbArticles'], undefined);
  assert.equal(counts['attach organizationMemberships'], undefined);

  // Every conversation the delta had no reason to touch is byte-for-byte what it was.
  const touched = new Set([...changedTickets].map((t) => intercomIdIn(fullJournal, 'tickets', t)));
  for (const [id, c] of Object.entries(before_.conversations)) {
    if (touched.has(id)) continue;
    assert.deepEqual(after_.conversations[id], c, `conversation ${id} untouched`);
  }
  const renamed = new Set(changes.renamedEndUsers.map((r) => String(r.userId)));
  for (const [id, c] of Object.entries(before_.contacts)) {
    if (c.external_id && renamed.has(c.external_id)) continue;
    assert.deepEqual(after_.contacts[id], c, `contact ${id} untouched`);
  }
  const orgs = new Set(changes.changedOrganizations.map((o) => String(o.organizationId)));
  for (const [id, c] of Object.entries(before_.companies))
    if (!orgs.has(c.company_id)) assert.deepEqual(after_.companies[id], c, `company ${id} untouched`);
  assert.deepEqual(after_.articles, before_.articles);
});

test('a second delta with no source change writes nothing', async () => {
  const again = await migrate(dir, ds, sandbox, 'delta');
  assert.equal(again.status, 'completed');
  const intents = journalOf(dir, again.runId).filter((e) => e.type === 'intent');
  assert.deepEqual(
    intents.map((e) => `${String(e.op)} ${String(e.objectType)} ${String(e.sourceId)}`),
    [],
  );
});
