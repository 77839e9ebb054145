import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { adoptFromIntercom } from '../../src/engine/adopt';
import { type AssignBefore, type TagBefore, ticketBefore } from '../../src/engine/before-image';
import { type RollbackResult, rollbackRun } from '../../src/engine/rollback';
import { rollbackPlanSentences } from '../../src/engine/rollback-plan-text';
import { runMigration } from '../../src/engine/run-migration';
import { bindTarget, findUnknownObjects, UnadoptedTargetError } from '../../src/engine/target-binding';
import { openLedger, type RunJournal } from '../../src/ledger';
import { readMappingFile } from '../../src/mapping/mapping-file';
import type { IntentBody } from '../../src/model/journal';
import { conversationSourceKey, SOURCE_KEY_ATTRIBUTE } from '../../src/model/source-keys';
import type { RunningSandbox } from '../../src/sandbox';
import { testClock } from '../support/clock';
import {
  clientFor,
  type Dataset,
  journalOf,
  makeDataset,
  openDataset,
  removeDir,
  runIds,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { sha256 } from '../support/ledger-fixtures';

// Issue 20: SmarterTrack tickets that land as Intercom tickets. Their writes are journaled the way
// the ticket writer's contract says (src/model/journal.ts); here they are made through the real client
// against the sandbox and journaled by hand, then rolled back, adopted and probed by the engine.
//
// Run A (full) created ticket T1; run B (delta) created T2 (a reply, a tag, an assignment on it),
// and changed T1: a reply, the pre-existing tag, its title and state, an admin assigned beside its
// team. B's create of a third record was decided by lookup and named T0, a ticket someone made by
// hand for the same contact: it carries no source key, so it is not B's.

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
const home = () => path.join(dir, 'home');
const t = { type: '', keyAttribute: '', t0: '', t1: '', t2: '', tag: '', admin: '', team: '', progressState: '' };
let source: string[];
let runB: string;
let t1AfterA: ReturnType<typeof ticketFacts>;
let t0Before: unknown;

const ticketFacts = (id: string) => {
  const ticket = sandbox.state().tickets[id]!;
  return {
    state: ticket.ticket_state_id,
    open: ticket.open,
    attributes: ticket.ticket_attributes,
    admin: ticket.admin_assignee_id,
    team: ticket.team_assignee_id,
    tags: ticket.tags.map((tag) => tag.id),
    parts: ticket.parts.length,
  };
};

/** Requests that change something (searches and reads excluded). */
const writesTo = (s: RunningSandbox) =>
  s.requests().filter((r) => r.method !== 'GET' && !r.path.includes('/search') && !r.path.startsWith('/__sandbox'))
    .length;

/** One write as the engine journals it: the intent made durable, the call, its outcome. */
async function journaled(
  journal: RunJournal,
  body: IntentBody,
  send: () => Promise<{ id: string | number }>,
): Promise<string> {
  const seq = await journal.intent(body);
  const id = String((await send()).id);
  journal.outcome(seq, { result: 'applied', intercomId: id });
  return id;
}

async function startRun(kind: 'full' | 'delta'): Promise<RunJournal> {
  const ledger = await openLedger(home(), { writer: { kind } });
  const journal = await ledger.startRun({
    kind,
    mappingHash: 'sha256:tickets',
    source: { kind: 'sqlite', description: ds.dbPath },
  });
  const finish = journal.finish.bind(journal);
  journal.finish = async (...args) => {
    const meta = await finish(...args);
    await journal.close();
    await ledger.close();
    return meta;
  };
  return journal;
}

/** POST /tickets of source ticket `sourceId`, its key set in the create itself, journaled as the writer's contract says. */
async function createTicket(journal: RunJournal, sourceId: string, contactId: string, createdAt: number) {
  const client = clientFor(sandbox);
  const id = await journaled(
    journal,
    {
      op: 'create',
      objectType: 'tickets',
      sourceId,
      target: { resource: 'ticket', description: `POST /tickets ticket ${sourceId}` },
      lookup: { by: 'ticket', contactId, createdAt, ticketTypeId: t.type },
    },
    () =>
      client.tickets.create({
        ticket_type_id: t.type,
        contacts: [{ id: contactId }],
        created_at: createdAt,
        ticket_attributes: {
          _default_title_: `Ticket ${sourceId}`,
          [SOURCE_KEY_ATTRIBUTE]: conversationSourceKey('tickets', sourceId),
        },
        assignment: { team_assignee_id: t.team },
      }),
  );
  journal.record({ objectType: 'tickets', sourceId, state: 'migrated', intercomId: id, intercomObject: 'ticket' });
  return id;
}

async function reply(journal: RunJournal, ticketId: string, messageId: string, createdAt: number) {
  const body = `<p>message ${messageId}</p>`;
  return journaled(
    journal,
    {
      op: 'reply',
      objectType: 'ticketMessages',
      sourceId: messageId,
      target: { resource: 'ticket_part', intercomId: ticketId, description: `ticket ${ticketId} ← reply` },
      lookup: { by: 'ticket_part', ticketId, createdAt, bodySha256: sha256(body) },
    },
    () =>
      clientFor(sandbox).tickets.replyAsAdmin(ticketId, {
        message_type: 'comment',
        type: 'admin',
        admin_id: t.admin,
        body,
        created_at: createdAt,
      }),
  );
}

async function tag(journal: RunJournal, sourceId: string, ticketId: string) {
  const before: TagBefore = { object: 'ticket', id: ticketId, tagId: t.tag, tagName: 'Escalated', tagged: false };
  await journaled(
    journal,
    {
      op: 'tag',
      objectType: 'tickets',
      sourceId,
      target: {
        resource: 'tag',
        intercomId: t.tag,
        tagged: { object: 'ticket', id: ticketId },
        description: `tag ticket ${ticketId}`,
      },
      lookup: { by: 'intercom_id', id: t.tag },
      beforeImage: before,
    },
    () => clientFor(sandbox).tickets.tag(ticketId, t.tag, t.admin),
  );
}

async function update(
  journal: RunJournal,
  sourceId: string,
  ticketId: string,
  body: { ticket_state_id?: string; ticket_attributes?: Record<string, string> },
  earlier: boolean,
) {
  const client = clientFor(sandbox);
  const image = earlier ? ticketBefore(await client.tickets.get(ticketId), body) : undefined;
  await journaled(
    journal,
    {
      op: 'update',
      objectType: 'tickets',
      sourceId,
      target: { resource: 'ticket', intercomId: ticketId, description: `PUT /tickets/${ticketId}` },
      lookup: { by: 'intercom_id', id: ticketId },
      ...(image ? { beforeImage: image } : {}),
    },
    () => client.tickets.update(ticketId, body),
  );
}

async function assignAdmin(journal: RunJournal, sourceId: string, ticketId: string, earlier: boolean) {
  const client = clientFor(sandbox);
  const previous = (await client.tickets.get(ticketId)).admin_assignee_id;
  const before: AssignBefore = { assignee: 'admin', previousId: String(previous ?? 0) };
  await journaled(
    journal,
    {
      op: 'assign',
      objectType: 'tickets',
      sourceId,
      target: { resource: 'ticket', intercomId: ticketId, description: `assign ticket ${ticketId}` },
      lookup: { by: 'intercom_id', id: ticketId },
      ...(earlier ? { beforeImage: before } : {}),
    },
    () => client.tickets.update(ticketId, { assignee_id: t.admin, admin_id: Number(t.admin) }),
  );
}

before(async () => {
  dir = tempDir('intercom-tickets-ledger');
  ds = await makeDataset(dir, 0.1, 6);
  sandbox = await startSeededSandbox(ds, { searchLagMs: 0 });
  await writeMap(home(), ds, 'approved');
  const reader = await openDataset(ds);
  source = [];
  try {
    for await (const ticket of reader.tickets()) if (source.length < 3) source.push(String(ticket.id));
  } finally {
    await reader.close();
  }
  assert.equal(source.length, 3, 'the dataset has three tickets');

  // What configure prepares (a ticket type with the hidden key attribute), and what was there before.
  const client = clientFor(sandbox);
  t.admin = String((await client.admins.list())[0]!.id);
  t.team = String((await client.admins.listTeams())[0]!.id);
  t.type = String((await client.ticketTypes.create({ name: 'Support request', category: 'Customer' })).id);
  t.keyAttribute = String(
    (
      await client.ticketTypes.createAttribute(t.type, {
        name: SOURCE_KEY_ATTRIBUTE,
        description: 'SmarterTrack record',
        data_type: 'string',
        visible_to_contacts: false,
      })
    ).id,
  );
  const type = await client.ticketTypes.get(t.type);
  t.progressState = String(type.ticket_states!.data!.find((s) => s.category === 'in_progress')!.id);
  t.tag = (await client.tags.createOrUpdate('Escalated')).id;
  // The customers are no end users of the source: only the tickets tell Intercom holds this source's records.
  const customer = (await client.contacts.create({ role: 'user', email: 'ticket.customer@example.org' })).id;
  t.t0 = String(
    (
      await client.tickets.create({
        ticket_type_id: t.type,
        contacts: [{ id: customer }],
        created_at: 1_600_000_300,
        ticket_attributes: { _default_title_: 'Opened by hand in Intercom' },
      })
    ).id,
  );
  t0Before = structuredClone(sandbox.state().tickets[t.t0]);

  const a = await startRun('full');
  t.t1 = await createTicket(a, source[0]!, customer, 1_600_000_000);
  await reply(a, t.t1, '9001', 1_600_000_010);
  await a.finish('completed');
  t1AfterA = ticketFacts(t.t1);

  const b = await startRun('delta');
  t.t2 = await createTicket(b, source[1]!, customer, 1_600_000_100);
  await reply(b, t.t2, '9002', 1_600_000_110);
  await tag(b, source[1]!, t.t2);
  await assignAdmin(b, source[1]!, t.t2, false);
  await update(b, source[1]!, t.t2, { ticket_state_id: t.progressState }, false);
  // On T1, which run A created.
  await reply(b, t.t1, '9003', 1_600_000_120);
  await tag(b, source[0]!, t.t1);
  await update(b, source[0]!, t.t1, { ticket_attributes: { _default_title_: 'Ticket renamed by the delta' } }, true);
  await update(b, source[0]!, t.t1, { ticket_state_id: t.progressState }, true);
  await assignAdmin(b, source[0]!, t.t1, true);
  // A create whose outcome was lost, found by lookup (same contact, type and created_at): someone else's ticket.
  const seq = await b.intent({
    op: 'create',
    objectType: 'tickets',
    sourceId: source[2]!,
    target: { resource: 'ticket', description: `POST /tickets ticket ${source[2]}` },
    lookup: { by: 'ticket', contactId: customer, createdAt: 1_600_000_300, ticketTypeId: t.type },
  });
  b.outcome(seq, { result: 'applied', intercomId: t.t0, resolvedBy: 'lookup' });
  runB = b.runId;
  await b.finish('completed');
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

test('the writes are as the contract says: run B changed T1, made T2, and its create of a third record names T0', () => {
  const t1 = ticketFacts(t.t1);
  assert.notDeepEqual(t1.state, t1AfterA.state);
  assert.equal(t1.attributes._default_title_, 'Ticket renamed by the delta');
  assert.equal(String(t1.admin), t.admin);
  assert.equal(String(t1.team), t.team);
  assert.deepEqual(t1.tags, [t.tag]);
  assert.equal(t1.parts, t1AfterA.parts + 1);
  const images = journalOf(home(), runB).filter((e) => e.type === 'intent' && e.beforeImage !== undefined);
  assert.deepEqual(
    images.filter((e) => e.op === 'update').map((e) => e.beforeImage),
    [{ ticket_attributes: { _default_title_: `Ticket ${source[0]}` } }, { ticket_state_id: t1AfterA.state }],
  );
});

test('a folder without this ledger refuses to write when Intercom holds keyed tickets it does not know', async () => {
  const fresh = path.join(dir, 'fresh');
  await writeMap(fresh, ds, 'approved');
  const sent = writesTo(sandbox);
  const reader = await openDataset(ds);
  await assert.rejects(
    runMigration({ workspaceDir: fresh, kind: 'full', reader, client: clientFor(sandbox), clock: testClock }).finally(
      () => reader.close(),
    ),
    (e: unknown) =>
      e instanceof UnadoptedTargetError &&
      e.message.includes(`Intercom tickets of ticket:${source[0]}, ticket:${source[1]}`) &&
      !/contacts with|companies with|conversations of/.test(e.message),
  );
  assert.equal(writesTo(sandbox), sent, 'nothing was written');
  assert.deepEqual(runIds(fresh), []);

  // The folder that wrote them knows them: its probes find nothing unknown.
  const ledger = await openLedger(home());
  const again = await openDataset(ds);
  try {
    const unknown = await findUnknownObjects(clientFor(sandbox), again, ledger);
    assert.deepEqual(unknown.tickets, []);
  } finally {
    await again.close();
    await ledger.close();
  }
});

test('adopt records each keyed ticket as migrated to an Intercom ticket; the folder then binds', async () => {
  const lost = path.join(dir, 'lost');
  await writeMap(lost, ds, 'approved');
  const ledger = await openLedger(lost, { writer: { kind: 'full' } });
  const reader = await openDataset(ds);
  try {
    const result = await adoptFromIntercom({
      ledger,
      reader,
      client: clientFor(sandbox),
      map: await readMappingFile(lost),
      progress: { phase: () => undefined, info: () => undefined, warn: () => undefined, record: () => undefined },
    });
    assert.equal(result.found.tickets, 2, 'T1 and T2; T0 carries no key');
    const records = journalOf(lost, result.runId).filter((e) => e.type === 'record' && e.objectType === 'tickets');
    assert.deepEqual(
      records.map((e) => [e.sourceId, e.result]),
      [
        [source[0], { state: 'migrated', intercomId: t.t1, intercomObject: 'ticket' }],
        [source[1], { state: 'migrated', intercomId: t.t2, intercomObject: 'ticket' }],
      ],
    );
    assert.equal(ledger.intercomIdFor('tickets', source[2]!), undefined);
    const decision = await bindTarget({
      workspaceDir: lost,
      client: clientFor(sandbox),
      reader,
      ledger,
      clock: testClock,
      adopt: false,
      warn: () => undefined,
    });
    assert.equal(decision.action, 'bound');
  } finally {
    await reader.close();
    await ledger.close();
  }
});

let result: RollbackResult;

test('rollback of run B deletes the ticket it created, and only that one', async () => {
  const sent = sandbox.requests().length;
  result = await rollbackRun({ workspaceDir: home(), runId: runB, client: clientFor(sandbox) });
  assert.equal(result.status, 'completed', result.message);
  assert.deepEqual(result.failed, []);
  const deletes = sandbox
    .requests()
    .slice(sent)
    .filter((r) => r.method === 'DELETE' && /^\/tickets\/[^/]+$/.test(r.path))
    .map((r) => r.path);
  assert.deepEqual(deletes, [`/tickets/${t.t2}`]);
  const now = sandbox.state().tickets;
  assert.equal(now[t.t2], undefined);
  assert.deepEqual(now[t.t0], t0Before, 'the ticket found by lookup, not made by the run, is untouched');
  assert.ok(sandbox.state().tags[t.tag], 'the tag that was there stays');
  assert.equal(result.plan.calls.delete?.ticket, 1);
  assert.ok(rollbackPlanSentences(result.plan).includes('Delete 1 Intercom ticket.'));
  assert.ok(result.plan.kept.some((k) => k.description.includes(source[2]!)));
});

test("rollback of run B puts back what it changed on run A's ticket, and says its reply stays", () => {
  assert.deepEqual(ticketFacts(t.t1), { ...t1AfterA, parts: t1AfterA.parts + 1 });
  const left = result.plan.impossible.filter((i) => i.reason.includes(`part of ticket ${t.t1}`));
  assert.equal(left.length, 1);
  assert.equal(result.plan.calls.untag?.ticket, 1, "T2's tag goes with it; T1's is untagged");
  assert.equal(result.plan.calls.restore?.ticket, 2);
  assert.equal(result.plan.calls.unassign?.ticket, 1);
  // T2's reply, tag, assignment and state are covered by its deletion.
  assert.equal(result.plan.covered, 4);
});
