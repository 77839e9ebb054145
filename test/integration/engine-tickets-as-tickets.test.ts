import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { rollbackRun } from '../../src/engine/rollback';
import type { Ticket } from '../../src/intercom';
import { openLedger } from '../../src/ledger';
import { toUnixSeconds } from '../../src/mapping/transforms';
import { FOLDED_TRANSCRIPT_MARKER } from '../../src/model/intercom-limits';
import type { MappingFile } from '../../src/model/mapping';
import type { TicketThread } from '../../src/model/source';
import { buildSampleResults } from '../../src/reports/sample-results';
import { validateMigration } from '../../src/reports/validate-migration';
import { mutateForDelta } from '../fixtures/dataset/mutate';
import { testClock } from '../support/clock';
import { clientFor, migrate, openDataset, recordResults, seededWorld, writeMap } from '../support/engine-fixtures';
import { snapshotOf } from '../support/sandbox-snapshot';
import { sendDepartmentsToTickets } from '../support/tickets-map';

// Issue 20: two departments land as Intercom tickets, the rest as conversations. Read back through
// the public API, field by field, against the source read again; a second run writes nothing; a
// delta adds what changed; rollback leaves no ticket behind.
const world = seededWorld('tickets-as-tickets');
let map: MappingFile;
let sent: { id: string; type: string }[];

type Result = { state: string; intercomId?: string; intercomObject?: string; error?: { message: string } };

async function sourceThreads(): Promise<TicketThread[]> {
  const reader = await openDataset(world.ds);
  const threads: TicketThread[] = [];
  try {
    for await (const thread of reader.ticketThreads()) threads.push(thread);
  } finally {
    await reader.close();
  }
  return threads;
}

const sentDepartments = () => new Set(sent.map((s) => Number(s.id)));
const typeOf = (departmentId: number | null) => sent.find((s) => Number(s.id) === departmentId)?.type;
const seconds = (iso: string | null) => (iso ? toUnixSeconds(iso) : null);

let fullRunId: string;
let dryFailed: string[];
let configureRunId: string;

/** The ticket, message, comment and file records that failed, with their errors. */
const failedThreadRecords = (results: Map<string, Result>) =>
  [...results]
    .filter(([k, r]) => r.state === 'failed' && /^(tickets|ticketMessages|ticketComments|attachments):/.test(k))
    .map(([k, r]) => `${k}: ${r.error?.message ?? ''}`)
    .sort();

test('configure, then a full run: the two departments become Intercom tickets, the others conversations', async () => {
  map = await writeMap(world.dir, world.ds, 'approved', (proposed) => {
    const result = sendDepartmentsToTickets(proposed);
    sent = result.sent;
    return result.map;
  });
  // A dry run first: it writes nothing, and fails exactly the records the real run will fail.
  const dry = await migrate(world.dir, world.ds, world.sandbox, 'dry-run');
  assert.equal(dry.status, 'completed', dry.message);
  assert.equal(Object.keys(world.sandbox.state().tickets).length, 0, 'a dry run writes no ticket');
  dryFailed = failedThreadRecords(recordResults<Result>(world.dir, dry.runId));
  const configured = await migrate(world.dir, world.ds, world.sandbox, 'configure');
  assert.equal(configured.status, 'completed', configured.message);
  configureRunId = configured.runId;
  const full = await migrate(world.dir, world.ds, world.sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  fullRunId = full.runId;

  const results = recordResults<Result>(world.dir, full.runId);
  assert.deepEqual(dryFailed, failedThreadRecords(results), 'the dry run failed the same ticket records');
  const threads = await sourceThreads();
  const asTickets = threads.filter((t) => sentDepartments().has(t.ticket.departmentId ?? -1));
  const migrated = asTickets.filter((t) => results.get(`tickets:${t.ticket.id}`)?.state === 'migrated');
  assert.ok(migrated.length >= 5, `tickets of the two departments migrated: ${migrated.length}`);
  for (const t of threads) {
    const r = results.get(`tickets:${t.ticket.id}`);
    if (r?.state !== 'migrated') continue;
    assert.equal(
      r.intercomObject === 'ticket',
      sentDepartments().has(t.ticket.departmentId ?? -1),
      `ticket ${t.ticket.id}`,
    );
  }
  const state = world.sandbox.state();
  assert.equal(Object.keys(state.tickets).length, migrated.length, 'one Intercom ticket per migrated source ticket');
  assert.ok(Object.keys(state.conversations).length > 0, 'the other departments are conversations');
});

test('each Intercom ticket, read back through the API, holds its source ticket: type, time, contact, title, source key, state, every message and comment', async () => {
  const client = clientFor(world.sandbox);
  const results = recordResults<Result>(world.dir, fullRunId);
  const people = recordResults<Result>(world.dir, fullRunId);
  const states = map.ticketDestinations!.states;
  // The customer's company: 2.16's ticket does not show it, so it is read from the sandbox's state.
  const organizationsOf = new Map<number, number[]>();
  const shared = new Set<number>();
  const reader = await openDataset(world.ds);
  try {
    for await (const m of reader.organizationMemberships())
      organizationsOf.set(m.userId, [...(organizationsOf.get(m.userId) ?? []), m.organizationId]);
    // Users sharing an email share one contact, whose companies are all of theirs: not checked here.
    for await (const group of reader.insights.duplicateEmails()) for (const id of group.userIds) shared.add(id);
  } finally {
    await reader.close();
  }
  let withCompany = 0;
  let checked = 0;
  let folded = 0;
  const threadDepartment = new Map<number, number | null>();
  for (const thread of await sourceThreads()) {
    const t = thread.ticket;
    threadDepartment.set(t.id, t.departmentId);
    const r = results.get(`tickets:${t.id}`);
    if (r?.state !== 'migrated' || r.intercomObject !== 'ticket') continue;
    const ticket: Ticket = await client.tickets.get(r.intercomId!);
    const where = `ticket ${t.id}`;
    assert.equal(ticket.ticket_type?.name, typeOf(t.departmentId), `${where}: type`);
    assert.equal(ticket.created_at, seconds(t.openedAt), `${where}: created_at`);
    assert.equal(ticket.ticket_attributes?.st2ic_source_key, `ticket:${t.id}`, `${where}: source key`);
    // Control characters (a NUL in a subject: bad data) are not text Intercom keeps.
    const subject = [...(t.subject ?? '')]
      .filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r')
      .join('')
      .trim();
    if (subject) assert.equal(ticket.ticket_attributes?._default_title_, subject, `${where}: title`);
    assert.equal(ticket.ticket_state?.internal_label, states[t.statusName ?? ''], `${where}: state`);
    const contact = t.customerUserId === null ? undefined : people.get(`endUsers:${t.customerUserId}`);
    if (contact?.state === 'migrated')
      assert.deepEqual(
        ticket.contacts?.contacts?.map((c) => String(c.id)),
        [contact.intercomId],
        `${where}: contact`,
      );
    const organizations = [...new Set(organizationsOf.get(t.customerUserId ?? -1) ?? [])];
    const company =
      organizations.length === 1 ? people.get(`organizations:${organizations[0]}`)?.intercomId : undefined;
    if (!shared.has(t.customerUserId ?? -1))
      assert.equal(world.sandbox.state().tickets[ticket.id]!.company_id, company ?? null, `${where}: company`);
    if (company) withCompany++;
    const parts = (ticket.ticket_parts?.ticket_parts ?? []).filter(
      (p) => p.part_type === 'comment' || p.part_type === 'note',
    );
    const items = thread.items.filter((i) => !(i.kind === 'message' && i.draft));
    for (const item of items) {
      const record = results.get(`${item.kind === 'message' ? 'ticketMessages' : 'ticketComments'}:${item.id}`);
      assert.equal(record?.state, 'migrated', `${where}: item ${item.id}`);
      const part = parts.find((p) => String(p.id) === record!.intercomId);
      assert.ok(part, `${where}: item ${item.id} is a part of the ticket`);
      // Past Intercom's 500-part cap the rest of the thread is one transcript note.
      if (part.body?.replaceAll('&#39;', "'").includes(FOLDED_TRANSCRIPT_MARKER)) {
        folded++;
        continue;
      }
      // An item without a date (or one before 1970: bad data) takes the ticket's opening time.
      const when = seconds(item.date);
      assert.equal(
        part.created_at,
        when !== null && when >= 0 ? when : seconds(t.openedAt),
        `${where}: item ${item.id} keeps its time`,
      );
      const customer = item.kind === 'message' && item.direction === 'inbound';
      assert.equal(
        part.part_type,
        customer ? 'comment' : item.kind === 'comment' ? 'note' : 'comment',
        `${where}: item ${item.id} type (${item.kind} ${item.kind === 'message' ? item.direction : ''}): ${String(part.body).slice(0, 200)}`,
      );
      assert.equal(part.author?.type === 'admin', !customer, `${where}: item ${item.id} author`);
    }
    checked++;
  }
  assert.ok(checked >= 5, `tickets read back: ${checked}`);
  assert.ok(withCompany > 0, "some tickets have their customer's company");
  const overCap = world.ds.manifest.hardCases.ticketsOver500Parts.filter((id) =>
    typeOf(threadDepartment.get(id) ?? null),
  );
  if (overCap.length) assert.ok(folded > 0, 'a thread over the cap is folded into a transcript note');
});

test('validate reads every ticket back against the source through its own code: 100% for the tickets, their messages and comments', async () => {
  const reader = await openDataset(world.ds);
  const ledger = await openLedger(world.dir);
  try {
    const { reconciliation, files } = await validateMigration({
      workspaceDir: world.dir,
      ledger,
      reader,
      client: clientFor(world.sandbox),
      map,
      clock: testClock,
    });
    const check = reconciliation.report.fieldCheck;
    // The reconciliation says how many tickets became Intercom tickets.
    const asTickets = [...recordResults<Result>(world.dir, fullRunId).entries()].filter(
      ([k, r]) => k.startsWith('tickets:') && r.intercomObject === 'ticket',
    ).length;
    assert.equal(reconciliation.report.types.find((t) => t.objectType === 'tickets')?.asIntercomTickets, asTickets);
    assert.match(
      readFileSync(files.markdown, 'utf8'),
      new RegExp(`As Intercom tickets: ${asTickets} of \\d+ migrated tickets`),
    );
    const ticketMismatches = check.mismatches.filter((m) =>
      ['tickets', 'ticketMessages', 'ticketComments', 'attachments'].includes(m.objectType),
    );
    assert.deepEqual(ticketMismatches, [], 'no ticket differs from its source');
    const tickets = check.types.find((t) => t.objectType === 'tickets')!;
    assert.ok(tickets.checked >= 5, `tickets checked: ${tickets.checked}`);
    assert.equal(tickets.fidelity, 100);
  } finally {
    await ledger.close();
    await reader.close();
  }
});

test('results of the run show each Intercom ticket as a ticket: read back, linked to the view of itself', async () => {
  const reader = await openDataset(world.ds);
  const ledger = await openLedger(world.dir);
  try {
    const results = await buildSampleResults({
      ledger,
      reader,
      client: clientFor(world.sandbox),
      map,
      runId: fullRunId,
      links: { baseUrl: world.sandbox.url },
    });
    const tickets = results.items.filter((i) => i.intercom?.kind === 'ticket');
    assert.ok(tickets.length > 0, 'some results are Intercom tickets');
    const records = recordResults<Result>(world.dir, fullRunId);
    for (const item of results.items.filter((i) => i.object === 'tickets' && i.state === 'migrated'))
      assert.equal(
        item.intercom?.kind === 'ticket',
        records.get(`tickets:${item.sourceId}`)?.intercomObject === 'ticket',
      );
    for (const item of tickets) {
      const res = await fetch(item.intercom!.url!);
      assert.equal(res.status, 200, item.intercom!.url!);
      assert.equal(((await res.json()) as { id: string }).id, item.intercom!.id);
      const fields = Object.fromEntries(item.intercom!.fields.map((f) => [f.label, f.value]));
      const ticket = world.sandbox.state().tickets[item.intercom!.id]!;
      assert.equal(fields['Ticket type'], world.sandbox.state().ticketTypes[ticket.ticket_type_id]!.name);
      assert.equal(fields['Attribute "st2ic_source_key"'], `ticket:${item.sourceId}`);
      assert.equal(fields.Parts, String(ticket.parts.length));
    }
  } finally {
    await ledger.close();
    await reader.close();
  }
});

test('a second full run writes nothing; a delta adds what changed; rolling every run back leaves an empty workspace', async () => {
  const before = snapshotOf(world.sandbox.state());
  const again = await migrate(world.dir, world.ds, world.sandbox, 'full');
  assert.equal(again.status, 'completed', again.message);
  assert.deepEqual(snapshotOf(world.sandbox.state()), before, 'nothing changed in Intercom');

  const changes = mutateForDelta(world.ds.dbPath, { seed: 4 });
  const delta = await migrate(world.dir, world.ds, world.sandbox, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  assert.notDeepEqual(snapshotOf(world.sandbox.state()).tickets, before.tickets, 'the delta changed some ticket');

  // What changed on source tickets that are Intercom tickets reached them: new replies as parts with
  // their own times, closed and reopened tickets in the state the map gives their new status.
  const results = new Map([
    ...recordResults<Result>(world.dir, fullRunId),
    ...recordResults<Result>(world.dir, delta.runId),
  ]);
  const threads = new Map((await sourceThreads()).map((t) => [t.ticket.id, t]));
  const asTicket = (ticketId: number) => {
    const r = results.get(`tickets:${ticketId}`);
    return r?.state === 'migrated' && r.intercomObject === 'ticket' ? r.intercomId! : undefined;
  };
  const client = clientFor(world.sandbox);
  let replies = 0;
  for (const { ticketId, messageIds } of changes.repliesOnExisting) {
    const id = asTicket(ticketId);
    if (!id) continue;
    const parts = (await client.tickets.get(id)).ticket_parts?.ticket_parts ?? [];
    for (const messageId of messageIds) {
      const record = results.get(`ticketMessages:${messageId}`);
      assert.equal(record?.state, 'migrated', `message ${messageId}`);
      const item = threads.get(ticketId)!.items.find((i) => i.kind === 'message' && i.id === messageId)!;
      const part = parts.find((p) => String(p.id) === record!.intercomId);
      assert.equal(part?.created_at, seconds(item.date), `reply ${messageId} on Intercom ticket ${id}`);
      replies++;
    }
  }
  let moved = 0;
  for (const ticketId of [...changes.closedTicketIds, ...changes.reopenedTicketIds]) {
    const id = asTicket(ticketId);
    if (!id) continue;
    const status = threads.get(ticketId)!.ticket.statusName ?? '';
    const ticket = await client.tickets.get(id);
    assert.equal(ticket.ticket_state?.internal_label, map.ticketDestinations!.states[status], `ticket ${ticketId}`);
    moved++;
  }
  assert.ok(replies + moved > 0, `the delta reached Intercom tickets: ${replies} replies, ${moved} state changes`);

  // Every run, newest first (the second full run and the delta wrote what changed; configure made the types).
  for (const runId of [delta.runId, again.runId, fullRunId, configureRunId]) {
    const undone = await rollbackRun({ workspaceDir: world.dir, runId, client });
    assert.equal(undone.status, 'completed', undone.message);
  }
  const state = world.sandbox.state();
  assert.equal(Object.keys(state.tickets).length, 0, 'no ticket is left');
  assert.equal(Object.keys(state.conversations).length, 0, 'no conversation is left');
  assert.equal(Object.keys(state.contacts).length, 0, 'no contact is left');
  assert.ok(
    Object.values(state.companies).every((c) => c.archived),
    'every company is archived (never deleted)',
  );
  assert.ok(Object.values(state.ticketTypes).length > 0);
  assert.ok(
    Object.values(state.ticketTypes).every((t) => t.archived),
    'every ticket type is archived (Intercom has no delete)',
  );
});
