import assert from 'node:assert/strict';
import { test } from 'node:test';

import Database from 'better-sqlite3';

import { rollbackRun } from '../../src/engine/rollback';
import { clientFor, journalOf, migrate, recordResults, seededWorld, writeMap } from '../support/engine-fixtures';
import { sendDepartmentsToTickets } from '../support/tickets-map';

// Issue 20: a delta changes what the source changed on an Intercom ticket the full run created (its
// title, a typed attribute, its assignee), journaled with what it replaced; rolling the delta back
// puts the ticket back as the full run left it, and rolling the full run back deletes it.
const world = seededWorld('tickets-delta-rollback');

type Result = { state: string; intercomId?: string; intercomObject?: string };
type Target = { description: string };
const sandboxTicket = (id: string) => structuredClone(world.sandbox.state().tickets[id]!);

test('a delta rewrites a ticket’s title, priority and assignee; its rollback restores them; the full rollback deletes the ticket', async () => {
  // The priority is also a tag, so the delta tags the ticket anew.
  await writeMap(world.dir, world.ds, 'approved', (proposed) => {
    const map = sendDepartmentsToTickets(proposed).map;
    const priority = map.objects.tickets.fields.find((f) => f.source === 'priorityName')!;
    priority.target = { kind: 'tag', prefix: 'priority: ' };
    return map;
  });
  const full = await migrate(world.dir, world.ds, world.sandbox, 'full');
  assert.equal(full.status, 'completed', full.message);
  const results = recordResults<Result>(world.dir, full.runId);

  const db = new Database(world.ds.dbPath);
  let sourceId: string;
  let intercomId: string;
  try {
    // An assigned ticket that became an Intercom ticket, and another agent an admin matches.
    const agents = [...results]
      .filter(([k, r]) => k.startsWith('agents:') && r.state === 'migrated')
      .map(([k]) => Number(k.split(':')[1]));
    const candidates = db
      .prepare('SELECT TicketID, UserID, TicketPriorityID FROM st_Tickets WHERE UserID IS NOT NULL ORDER BY TicketID')
      .all() as { TicketID: number; UserID: number; TicketPriorityID: number }[];
    const pick = candidates.find(
      (c) => results.get(`tickets:${c.TicketID}`)?.intercomObject === 'ticket' && agents.includes(c.UserID),
    );
    assert.ok(pick, 'an assigned ticket landed as an Intercom ticket');
    sourceId = String(pick.TicketID);
    intercomId = results.get(`tickets:${sourceId}`)!.intercomId!;
    const otherAgent = agents.find((a) => a !== pick.UserID)!;
    const otherPriority = (
      db
        .prepare('SELECT TicketPriorityID FROM st_TicketPriorities WHERE TicketPriorityID <> ? LIMIT 1')
        .get(pick.TicketPriorityID) as { TicketPriorityID: number }
    ).TicketPriorityID;
    db.prepare('UPDATE st_Tickets SET Subject = ?, UserID = ?, TicketPriorityID = ? WHERE TicketID = ?').run(
      'Renamed in SmarterTrack',
      otherAgent,
      otherPriority,
      pick.TicketID,
    );
  } finally {
    db.close();
  }
  const afterFull = sandboxTicket(intercomId);

  const delta = await migrate(world.dir, world.ds, world.sandbox, 'delta');
  assert.equal(delta.status, 'completed', delta.message);
  const changed = sandboxTicket(intercomId);
  assert.equal(changed.ticket_attributes._default_title_, 'Renamed in SmarterTrack');
  assert.notEqual(changed.ticket_attributes.Priority, afterFull.ticket_attributes.Priority, 'the priority changed');
  assert.notEqual(changed.admin_assignee_id, afterFull.admin_assignee_id, 'the assignee changed');

  // The delta journaled what it replaced on a ticket an earlier run created.
  const intents = journalOf(world.dir, delta.runId).filter(
    (l) => l.type === 'intent' && l.objectType === 'tickets' && l.sourceId === sourceId,
  );
  const update = intents.find(
    (l) => l.op === 'update' && (l.beforeImage as { ticket_attributes?: unknown })?.ticket_attributes,
  );
  assert.deepEqual((update?.beforeImage as { ticket_attributes: Record<string, unknown> }).ticket_attributes, {
    _default_title_: afterFull.ticket_attributes._default_title_,
    Priority: afterFull.ticket_attributes.Priority,
  });
  const assign = intents.find((l) => l.op === 'assign');
  assert.deepEqual(assign?.beforeImage, { assignee: 'admin', previousId: String(afterFull.admin_assignee_id) });

  // Whether the ticket had the new tag before cannot be read (2.16 shows no ticket's tags): no
  // before-image claims it did not, and the rollback leaves the tag, saying so.
  const newTag = `priority: ${changed.ticket_attributes.Priority}`;
  const tagIntent = intents.find((l) => l.op === 'tag');
  assert.ok(tagIntent, 'the delta tagged the ticket');
  assert.equal(tagIntent.beforeImage, undefined);
  const client = clientFor(world.sandbox);
  const undoDelta = await rollbackRun({ workspaceDir: world.dir, runId: delta.runId, client });
  assert.equal(undoDelta.status, 'completed', undoDelta.message);
  assert.ok(
    undoDelta.plan.impossible.some(
      (i) =>
        i.description === (tagIntent.target as Target).description && /2\.16 shows no ticket's tags/.test(i.reason),
    ),
    JSON.stringify(undoDelta.plan.impossible),
  );
  const tagNames = (t: ReturnType<typeof sandboxTicket>) =>
    t.tags.map((x) => world.sandbox.state().tags[x.id]!.name).sort();
  assert.ok(tagNames(sandboxTicket(intercomId)).includes(newTag), 'the tag is left');
  const restored = sandboxTicket(intercomId);
  assert.deepEqual(
    restored.ticket_attributes,
    afterFull.ticket_attributes,
    'title and attributes as the full run left them',
  );
  assert.equal(restored.admin_assignee_id, afterFull.admin_assignee_id, 'the assignee as the full run left it');
  assert.equal(restored.ticket_state_id, afterFull.ticket_state_id, 'the state as the full run left it');
  assert.deepEqual(
    restored.parts.map((p) => p.id),
    afterFull.parts.map((p) => p.id),
    'no part added or lost',
  );

  const undoFull = await rollbackRun({ workspaceDir: world.dir, runId: full.runId, client });
  assert.equal(undoFull.status, 'completed', undoFull.message);
  assert.equal(world.sandbox.state().tickets[intercomId], undefined, 'the ticket the full run created is deleted');
});
