import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EngineUsageError } from '../../src/engine/errors';
import { decidePending } from '../../src/engine/resume';
import { rollbackRun } from '../../src/engine/rollback';
import { planWorkspace } from '../../src/engine/workspace-plan-report';
import { readMappingFile, writeMappingFile } from '../../src/mapping/mapping-file';
import { IntentEntry } from '../../src/model/journal';
import type { MappingFile } from '../../src/model/mapping';
import { testClock } from '../support/clock';
import { clientFor, journalOf, migrate, openDataset, runIds, seededWorld, writeMap } from '../support/engine-fixtures';
import { sendDepartmentsToTickets } from '../support/tickets-map';

// Issue: tickets as Intercom tickets. configure creates the ticket types the map sends departments to,
// once, journaled; rollback archives what it created and leaves what was there; runs refuse to start
// while the workspace lacks what the tickets need.
const world = seededWorld('configure-tickets');
let sentTo: { id: string; type: string }[];

/** The first two proposed departments go to their proposed ticket types; one status asks for a state Intercom lacks. */
function sendTwoDepartments(proposed: MappingFile): MappingFile {
  const { map, sent } = sendDepartmentsToTickets(proposed);
  sentTo = sent;
  const tickets = map.ticketDestinations!;
  const firstStatus = Object.keys(tickets.states)[0]!;
  tickets.states[firstStatus] = 'On hold';
  return map;
}

/** The run's intents on ticket types and their attributes. */
const ticketTypeIntents = (runId: string) =>
  journalOf(world.dir, runId).filter((l) => {
    const target = l.target as { resource?: string } | undefined;
    return l.type === 'intent' && (target?.resource ?? '').startsWith('ticket_type');
  });

const liveTypes = () => Object.values(world.sandbox.state().ticketTypes).filter((t) => !t.archived);
const customAttributes = (typeName: string) =>
  Object.values(world.sandbox.state().ticketTypes)
    .find((t) => t.name === typeName)!
    .attributes.filter((a) => !a.default);

test('configure creates the ticket types and their attributes once; rollback archives them and keeps a type that was there', async () => {
  const map = await writeMap(world.dir, world.ds, 'reviewed', sendTwoDepartments);
  assert.equal(sentTo.length, 2, 'the dataset has two departments');
  const [created, found] = sentTo.map((s) => map.ticketDestinations!.ticketTypes.find((t) => t.name === s.type)!);
  assert.ok(created && found && created.attributes.length > 0, 'the proposed type has attributes');

  // The second type exists before the run, with one of its attributes: it is used, never archived.
  const client = clientFor(world.sandbox);
  const before = await client.ticketTypes.create({ name: found.name, category: 'Customer' });
  const kept = found.attributes[0]!;
  await client.ticketTypes.createAttribute(String(before.id), {
    name: kept.name,
    description: 'made by hand',
    data_type: kept.dataType,
    ...(kept.dataType === 'list' ? { list_items: kept.options.join(',') } : {}),
  });

  const first = await migrate(world.dir, world.ds, world.sandbox, 'configure');
  assert.equal(first.status, 'completed', first.message);
  assert.deepEqual(
    liveTypes()
      .map((t) => t.name)
      .sort(),
    [created.name, found.name].sort(),
  );
  // Each type also gets the attribute its tickets carry their source key in, hidden from customers.
  assert.deepEqual(
    customAttributes(created.name).map((a) => [a.name, a.data_type]),
    [...created.attributes.map((a) => [a.name, a.dataType]), ['st2ic_source_key', 'string']],
  );
  const key = customAttributes(created.name).find((a) => a.name === 'st2ic_source_key')!;
  assert.equal(key.visible_to_contacts, false, 'the source key is not shown to customers');
  const list = created.attributes.find((a) => a.dataType === 'list');
  if (list)
    assert.deepEqual(
      customAttributes(created.name)
        .find((a) => a.name === list.name)!
        .list_options!.map((o) => o.label),
      list.options,
    );
  assert.deepEqual(
    customAttributes(found.name).map((a) => a.name),
    [...found.attributes.map((a) => a.name), 'st2ic_source_key'],
    'the missing attributes were added to the type that was there',
  );
  const creates = ticketTypeIntents(first.runId);
  assert.equal(creates.length, 1 + created.attributes.length + found.attributes.length - 1 + 2);
  // After a crash, each of these writes is found again from its journal line alone.
  const outcomes = new Map(
    journalOf(world.dir, first.runId)
      .filter((l) => l.type === 'outcome')
      .map((l) => [l.intentSeq, (l.outcome as { intercomId?: string }).intercomId]),
  );
  for (const intent of creates) {
    const decision = await decidePending(client, IntentEntry.parse(intent), {
      clock: testClock,
      searchSettleMs: 0,
    });
    assert.deepEqual(decision, { result: 'applied', intercomId: outcomes.get(intent.seq) }, JSON.stringify(intent));
  }

  // Run twice: everything is found, nothing is created again.
  const second = await migrate(world.dir, world.ds, world.sandbox, 'configure');
  assert.equal(second.status, 'completed', second.message);
  assert.equal(Object.keys(world.sandbox.state().ticketTypes).length, 2, 'no second ticket type');
  assert.equal(customAttributes(created.name).length, created.attributes.length + 1, 'no second attribute');
  const again = ticketTypeIntents(second.runId);
  assert.deepEqual(again, []);

  const undone = await rollbackRun({ workspaceDir: world.dir, runId: first.runId, client });
  assert.equal(undone.status, 'completed', undone.message);
  const types = Object.values(world.sandbox.state().ticketTypes);
  assert.equal(types.find((t) => t.name === created.name)?.archived, true, 'the created type is archived');
  const survivor = types.find((t) => t.name === found.name)!;
  assert.equal(survivor.archived, false, 'the type that existed before is never archived');
  assert.deepEqual(
    survivor.attributes.filter((a) => !a.default && !a.archived).map((a) => a.name),
    [kept.name],
    'the attributes the run added to it are archived; the one made by hand is kept',
  );
});

test('the plan reports the ticket state the workspace lacks, and a closed status sent to a state that is not resolved', async () => {
  const map = await readMappingFile(world.dir);
  const closed = Object.entries(map.valueMaps.ticketStatus).find(([, state]) => state === 'closed')![0];
  map.ticketDestinations!.states[closed] = 'In progress';
  await writeMappingFile(world.dir, map);
  const reader = await openDataset(world.ds);
  const report = await planWorkspace({
    workspaceDir: world.dir,
    client: clientFor(world.sandbox),
    reader,
    map: await readMappingFile(world.dir),
    clock: testClock,
  }).finally(() => reader.close());
  assert.equal(report.plan.tickets.statesMissing.length, 1);
  assert.equal(report.plan.tickets.statesMissing[0]!.state, 'On hold');
  assert.ok(
    report.blockers.some((b) => /ticket state\(s\) missing/.test(b)),
    report.blockers.join('; '),
  );
  assert.deepEqual(report.plan.tickets.stateMismatches, [
    { status: closed, state: 'In progress', category: 'in_progress', closed: true },
  ]);
});

test('a sample or full run refuses to start while the workspace lacks a ticket state, naming it and its status', async () => {
  await writeMap(world.dir, world.ds, 'approved', sendTwoDepartments);
  const runsBefore = runIds(world.dir).length;
  for (const kind of ['sample', 'full'] as const) {
    await assert.rejects(
      () => migrate(world.dir, world.ds, world.sandbox, kind),
      (error: unknown) =>
        error instanceof EngineUsageError &&
        /cannot take the tickets sent to Intercom tickets/.test(error.message) &&
        /no ticket state "On hold" \(for status "[^"]+"\): create it in Intercom's settings/.test(error.message),
    );
  }
  assert.equal(Object.keys(world.sandbox.state().contacts).length, 0, 'no contact was written');
  assert.equal(Object.keys(world.sandbox.state().conversations).length, 0, 'no conversation was written');
  assert.equal(runIds(world.dir).length, runsBefore, 'no run was started');
});
