import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { DurableState, logFileOf, recoverState } from '../../src/sandbox/state/durable-state';
import { applyOps, ChangeSet, type LogOp } from '../../src/sandbox/state/log-ops';
import { saveState } from '../../src/sandbox/state/persistence';
import { DEFAULT_SEED, stateFromSeed } from '../../src/sandbox/state/seed';
import type { Contact, Conversation, ConversationPart, SandboxState, Ticket } from '../../src/sandbox/state/types';
import { readLog } from '../../src/sandbox/state/write-ahead-log';

const seedState = (): SandboxState => stateFromSeed(DEFAULT_SEED);
const tempState = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'st2ic-wal-')), 'state.json');
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function contact(id: string, email: string): Contact {
  return {
    id,
    role: 'user',
    external_id: null,
    email,
    email_verified: null,
    phone: null,
    name: null,
    avatar: null,
    owner_id: null,
    signed_up_at: null,
    last_seen_at: null,
    unsubscribed_from_emails: false,
    custom_attributes: {},
    created_at: 1,
    updated_at: 1,
    archived: false,
    company_ids: [],
    tag_ids: [],
    searchable_at_ms: 0,
  };
}

function part(id: string, body: string): ConversationPart {
  return {
    id,
    part_type: 'comment',
    body,
    created_at: 2,
    updated_at: 2,
    notified_at: 2,
    author: { type: 'admin', id: '991267001' },
    assigned_to: null,
    attachments: [],
  };
}

function conversation(id: string, contactId: string): Conversation {
  return {
    id,
    message_id: `m${id}`,
    title: null,
    created_at: 1,
    updated_at: 1,
    source_type: 'conversation',
    source_body: 'hello',
    source_subject: '',
    source_author: { type: 'user', id: contactId },
    source_attachments: [],
    contact_ids: [contactId],
    state: 'open',
    read: false,
    priority: 'none',
    admin_assignee_id: 0,
    team_assignee_id: 0,
    snoozed_until: null,
    waiting_since: 1,
    company_id: null,
    custom_attributes: {},
    tags: [],
    parts: [],
    searchable_at_ms: 0,
  };
}

/** A log line as DurableState writes it. */
const line = (ops: LogOp[]): string => `${JSON.stringify({ ops })}\n`;

test('wal: a torn last line is ignored, the records before it are replayed, and opening compacts them into the state file', () => {
  const file = tempState();
  saveState(file, seedState());
  const a = contact('c1', 'a@example.com');
  const b = contact('c2', 'b@example.com');
  const torn = line([{ op: 'set', path: ['contacts', 'c3'], value: contact('c3', 'never-acknowledged@example.com') }]);
  writeFileSync(
    logFileOf(file),
    line([{ op: 'set', path: ['contacts', 'c1'], value: a }]) +
      line([{ op: 'set', path: ['contacts', 'c2'], value: b }]) +
      torn.slice(0, 40),
  );

  const read = readLog(logFileOf(file));
  assert.equal(read.records.length, 2);
  assert.equal(read.tornBytes, 40);
  const recovered = recoverState(file, seedState);
  assert.deepEqual(Object.keys(recovered.state.contacts), ['c1', 'c2']);
  assert.equal(recovered.replayed, 2);

  const durable = DurableState.open(file, seedState, () => recovered.state);
  assert.equal(statSync(logFileOf(file)).size, 0, 'the log is emptied once the state file holds it');
  assert.deepEqual(Object.keys((JSON.parse(readFileSync(file, 'utf8')) as SandboxState).contacts), ['c1', 'c2']);
  return durable.close();
});

test('wal: unreadable lines at the end with nothing readable after them are a torn tail too (a zero-filled or cut batch)', () => {
  const file = tempState();
  saveState(file, seedState());
  writeFileSync(
    logFileOf(file),
    line([{ op: 'set', path: ['contacts', 'c1'], value: contact('c1', 'a@example.com') }]) +
      '{"ops":[{"op":"set","pa\n' +
      '\0\0\0\0',
  );
  const recovered = recoverState(file, seedState);
  assert.deepEqual(Object.keys(recovered.state.contacts), ['c1']);
  assert.equal(recovered.tornBytes, '{"ops":[{"op":"set","pa\n'.length + 4);
});

test('wal: an unreadable line with readable lines after it is an error naming the file and the line', () => {
  const file = tempState();
  saveState(file, seedState());
  const good = line([{ op: 'set', path: ['contacts', 'c1'], value: contact('c1', 'a@example.com') }]);
  writeFileSync(logFileOf(file), good + '{"ops": [ torn in the middle\n' + good);
  assert.throws(
    () => recoverState(file, seedState),
    (error: Error) => error.message.startsWith(`${logFileOf(file)}:2:`) && /damaged/.test(error.message),
  );
  assert.throws(() => DurableState.open(file, seedState, seedState), /state\.json\.wal:2:/);
});

test('wal: a record that cannot apply (parts missing before it) names the file and line; a record that breaks the state names both files', () => {
  const file = tempState();
  saveState(file, seedState());
  writeFileSync(
    logFileOf(file),
    line([{ op: 'conversation', id: '7', value: { ...conversation('7', 'c1'), parts: [] }, partsFrom: 3 }]),
  );
  assert.throws(
    () => recoverState(file, seedState),
    new RegExp(`${path.basename(file)}\\.wal:1: conversation 7 should have at least 3 parts`),
  );
  writeFileSync(logFileOf(file), line([{ op: 'set', path: ['contacts', 'c1'], value: { id: 'c1' } }]));
  assert.throws(
    () => recoverState(file, seedState),
    /state\.json with .*state\.json\.wal: not a valid sandbox state \(contacts\.c1\.role/,
  );
});

test('wal: a reply logs its new part only; replay rebuilds the whole thread, also over a state that already holds it (idempotent)', () => {
  const live = seedState();
  const changes = new ChangeSet();
  const base = json(live);
  const log: LogOp[][] = [];
  live.contacts.c1 = contact('c1', 'a@example.com');
  live.conversations['7'] = conversation('7', 'c1');
  changes.add(['contacts', 'c1']);
  changes.add(['conversations', '7']);
  log.push(changes.take(live));
  for (const n of [1, 2, 3]) {
    live.conversations['7']!.parts.push(part(`p${n}`, `reply ${n}`));
    live.conversations['7']!.title = `title ${n}`;
    changes.add(['conversations', '7']);
    changes.add(['counters', 'part']);
    live.counters.part = n;
    log.push(changes.take(live));
  }
  const last = log[3]!.find((op) => op.op === 'conversation');
  assert.ok(last && last.op === 'conversation');
  assert.equal(last.partsFrom, 2);
  assert.deepEqual(
    (last.value.parts as ConversationPart[]).map((p) => p.body),
    ['reply 3'],
  );

  const replayed = log.reduce(
    (state, ops) => applyOps(state, json(ops)),
    json(base) as unknown as Record<string, unknown>,
  );
  assert.deepEqual(replayed, json(live));
  // A crash after the state file was rewritten but before the log was emptied replays it again.
  const again = log.reduce(
    (state, ops) => applyOps(state, json(ops)),
    json(live) as unknown as Record<string, unknown>,
  );
  assert.deepEqual(again, json(live));
});

test('wal: a ticket reply logs its new part only, into the ticket; replay rebuilds the ticket', () => {
  const live = seedState();
  const changes = new ChangeSet();
  const base = json(live);
  const ticket: Ticket = {
    id: '1291',
    ticket_id: '31',
    ticket_type_id: '81',
    ticket_state_id: '8101',
    previous_ticket_state_id: null,
    open: true,
    is_shared: false,
    contact_ids: ['c1'],
    company_id: null,
    ticket_attributes: {},
    admin_assignee_id: 0,
    team_assignee_id: 0,
    snoozed_until: null,
    created_at: 1,
    updated_at: 1,
    tags: [],
    parts: [],
    searchable_at_ms: 0,
  };
  live.tickets['1291'] = ticket;
  changes.add(['tickets', '1291']);
  const log: LogOp[][] = [changes.take(live)];
  for (const n of [1, 2]) {
    ticket.parts.push(part(`p${n}`, `reply ${n}`));
    changes.add(['tickets', '1291']);
    log.push(changes.take(live));
  }
  const last = log[2]![0]!;
  assert.ok(last.op === 'conversation' && last.collection === 'tickets');
  assert.deepEqual([last.partsFrom, (last.value.parts as ConversationPart[]).map((p) => p.body)], [1, ['reply 2']]);
  const replayed = log.reduce(
    (state, ops) => applyOps(state, json(ops)),
    json(base) as unknown as Record<string, unknown>,
  );
  assert.deepEqual(replayed, json(live));
  assert.deepEqual(Object.keys(replayed.conversations as object), [], 'nothing lands among the conversations');
});

test('wal: a reset replaces the whole state before the records changed after it in the same batch; deletes and nested paths replay', () => {
  const live = seedState();
  const changes = new ChangeSet();
  const base = json(live);
  live.customObjects.Call = {
    '1': {
      id: '1',
      type: 'Call',
      external_id: 'x',
      external_created_at: null,
      external_updated_at: null,
      custom_attributes: {},
      created_at: 1,
      updated_at: 1,
    },
  };
  changes.add(['customObjects', 'Call', '1']);
  live.contacts.c1 = contact('c1', 'a@example.com');
  changes.add(['contacts', 'c1']);
  const first = changes.take(live);
  const next = seedState();
  next.counters = { contact_hex: 9 };
  next.contacts.c2 = contact('c2', 'b@example.com');
  changes.add(['contacts', 'c2']); // reported before the reset, yet applied after it
  changes.add([]);
  delete next.customObjects.Call;
  const second = changes.take(next);
  assert.equal((second[0] as { path: string[] }).path.length, 0);
  const replayed = [first, second].reduce(
    (state, ops) => applyOps(state, json(ops)),
    json(base) as unknown as Record<string, unknown>,
  );
  assert.deepEqual(replayed, json(next));

  const removal = applyOps(json(replayed), [
    { op: 'delete', path: ['customObjects', 'Call', '1'] },
    { op: 'delete', path: ['contacts', 'c2'] },
  ]);
  assert.deepEqual(Object.keys(removal.contacts as object), []);
});

test('wal: ids are data: a "__proto__" key is stored as an own property, never as a prototype', () => {
  const root = json(seedState()) as unknown as Record<string, unknown>;
  applyOps(root, [{ op: 'set', path: ['tags', '__proto__'], value: { id: '__proto__', name: 'odd', created_at: 1 } }]);
  const tags = root.tags as Record<string, unknown>;
  assert.ok(Object.hasOwn(tags, '__proto__'));
  assert.equal(Object.getPrototypeOf(tags), Object.prototype);
});

test('wal: with no state file yet, opening writes the starting state, so the log always replays over what it was written against', async () => {
  const file = tempState();
  let current = seedState();
  const durable = DurableState.open(file, seedState, () => current);
  assert.ok(existsSync(file));
  current = durable.recovered.state;
  current.contacts.c1 = contact('c1', 'a@example.com');
  durable.changed(['contacts', 'c1']);
  const pending = durable.barrier();
  assert.ok(pending, 'a change waits for the disk');
  await pending;
  assert.equal(durable.barrier(), undefined, 'nothing left to wait for');
  assert.equal(recoverState(file, () => assert.fail('no fallback')).state.contacts.c1?.email, 'a@example.com');
  await durable.close();
  assert.equal(statSync(logFileOf(file)).size, 0);
  assert.equal(recoverState(file, seedState).replayed, 0);
});

test('wal: the log is compacted into the state file once it outgrows its limit, between two writes', async () => {
  const file = tempState();
  let current = seedState();
  const durable = DurableState.open(file, seedState, () => current, { compactAfterBytes: 2000 });
  current = durable.recovered.state;
  for (let i = 0; i < 20; i++) {
    current.contacts[`c${i}`] = contact(`c${i}`, `${i}@example.com`);
    durable.changed(['contacts', `c${i}`]);
    await durable.barrier();
  }
  assert.ok(statSync(logFileOf(file)).size < 2000 + 1000, 'compacted on the way');
  const onDisk = JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
  assert.ok(Object.keys(onDisk.contacts).length >= 10, 'the state file took the earlier records');
  assert.equal(Object.keys(recoverState(file, seedState).state.contacts).length, 20);
  await durable.close();
});

test('wal: a failed log write makes every later request fail instead of answering with a state the disk does not hold', async () => {
  const file = tempState();
  let current = seedState();
  const durable = DurableState.open(file, seedState, () => current);
  current = durable.recovered.state;
  // Swap the log's descriptor for a read-only one: the next write fails (EBADF), as a failing disk would.
  const log = (durable as unknown as { log: { fd: number } }).log;
  log.fd = openSync(logFileOf(file), 'r');
  current.contacts.c1 = contact('c1', 'a@example.com');
  durable.changed(['contacts', 'c1']);
  await assert.rejects(durable.barrier()!, (error: Error) => error.message.startsWith(`${logFileOf(file)}: EBADF`));
  await assert.rejects(
    durable.barrier() ?? Promise.resolve(),
    /EBADF/,
    'every later request fails too, a read as well',
  );
});
