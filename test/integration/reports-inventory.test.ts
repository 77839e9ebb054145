import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { MappingFile } from '../../src/model/mapping';
import { type RebuildArea, RebuildInventory } from '../../src/model/reports';
import type { AutomationRule, CustomField, DepartmentPolicy } from '../../src/model/source';
import { buildRebuildInventory, writeRebuildInventory } from '../../src/reports/rebuild-inventory';
import { buildScope } from '../../src/reports/scope';
import { buildWorld, type World } from './reports-world';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('rebuild inventory from a generated source and a journaled run', () => {
  let world: World;
  let inventory: RebuildInventory;
  let rules: AutomationRule[];
  let policies: DepartmentPolicy[];
  let dropped: CustomField;
  let map: MappingFile;
  const section = (area: RebuildArea) => {
    const found = inventory.sections.find((s) => s.area === area);
    assert.ok(found, `no ${area} section`);
    return found;
  };

  before(async () => {
    world = await buildWorld();
    rules = await collect(world.reader.automationRules());
    policies = await collect(world.reader.departmentPolicies());
    // Drop one custom field the default map carries, as a reviewer might.
    map = structuredClone(world.map);
    const fields = await collect(world.reader.customFields());
    const carried = map.objects.tickets.fields.find((f) => f.source.startsWith('custom:') && f.target.kind !== 'drop');
    assert.ok(carried, 'the default map carries a custom field');
    carried.target = { kind: 'drop', reason: 'nobody reads it any more' };
    dropped = fields.find((f) => `custom:${f.id}` === carried.source)!;
    inventory = await buildRebuildInventory({ reader: world.reader, ledger: world.ledger, map });
  });
  after(() => world?.close());

  test('every automation rule is listed by name with its conditions, actions and workflow steps', () => {
    assert.ok(rules.length > 0);
    const entries = section('automationRules').entries;
    assert.deepEqual(
      entries.map((e) => e.name),
      rules.map((r) => r.name),
    );
    for (const rule of rules) {
      const entry = entries.find((e) => e.sourceId === String(rule.id))!;
      assert.equal(entry.inSmarterTrack.filter((l) => l.startsWith('When: ')).length, rule.conditions.length);
      assert.equal(entry.inSmarterTrack.filter((l) => l.startsWith('Then: ')).length, rule.actions.length);
      assert.ok(entry.inIntercom.some((s) => s.includes(`New workflow, named "${rule.name}"`)));
      assert.equal(entry.inIntercom[0]!.includes('inactive'), !rule.active);
    }
    const escalate = entries.find((e) => e.name === 'Escalate urgent tickets to Tier 2')!;
    assert.ok(escalate.inSmarterTrack.includes('When: [TicketCreated] Priority Equals Urgent'));
    assert.ok(escalate.inIntercom.some((s) => s.startsWith('Action "Assign to" team')));
  });

  test('department auto-close settings are listed by department name with their hours', () => {
    const entries = section('departmentPolicies').entries;
    const withAutoClose = policies.filter((p) => p.autoClose.enabled);
    assert.ok(withAutoClose.length > 0);
    for (const p of withAutoClose) {
      const entry = entries.find((e) => e.name === p.departmentName);
      assert.ok(entry, `no entry for ${p.departmentName}`);
      assert.ok(entry.inSmarterTrack.some((l) => l.includes(`closed after ${p.autoClose.hours} hours`)));
      assert.ok(
        entry.inIntercom.some(
          (s) =>
            s.includes(`"Customer unresponsive" after ${p.autoClose.hours} hours`) && s.includes('Close conversation'),
        ),
      );
    }
    const expected = policies.filter(
      (p) => p.autoClose.enabled || p.autoLock.enabled || p.autoDelete.enabled || p.autoDeleteCallLogs.enabled,
    );
    assert.deepEqual(
      entries.map((e) => e.sourceId),
      expected.map((p) => String(p.departmentId)),
    );
  });

  test("missing teams and unmatched agents come from the ledger's skipped records", async () => {
    const departments = await collect(world.reader.departments());
    const missing = section('missingTeams').entries;
    assert.deepEqual(
      missing.map((e) => e.name),
      departments.filter((d) => d.id !== world.matchedDepartmentId).map((d) => d.name),
    );
    assert.ok(missing.every((e) => e.inIntercom[0]!.startsWith('Settings → Teammates → Teams → New team')));

    const agents = await collect(world.reader.agents());
    const unmatched = section('unmatchedAgents').entries;
    assert.deepEqual(
      unmatched.map((e) => e.sourceId),
      agents.filter((a) => a.id !== world.matchedAgent.id).map((a) => String(a.id)),
    );
    for (const agent of agents.filter((a) => a.id !== world.matchedAgent.id && a.email)) {
      const entry = unmatched.find((e) => e.sourceId === String(agent.id))!;
      assert.ok(entry.inIntercom[0]!.includes(`Invite: ${agent.email}`), entry.inIntercom[0]);
    }
  });

  test('assignment, call logs and dropped custom fields', async () => {
    const volumes = await world.reader.insights.volumes();
    assert.equal(
      section('autoAssignment').entries.length,
      volumes.roundRobinGroups.length + volumes.rebalanceRules.length,
    );
    const calls = section('callLogs').entries[0]!;
    assert.ok(calls.inIntercom[0]!.includes('closed conversation'));
    const fields = section('droppedCustomFields').entries;
    assert.deepEqual(
      fields.map((e) => e.sourceId),
      [String(dropped.id)],
    );
    assert.equal(fields[0]!.name, dropped.name);
    assert.ok(fields[0]!.inSmarterTrack.some((l) => l.includes('nobody reads it any more')));
    assert.equal(
      inventory.sections.some((s) => s.area === 'community'),
      volumes.communityRows > 0,
    );

    const asObjects = await buildRebuildInventory({
      reader: world.reader,
      ledger: world.ledger,
      map: { ...map, options: { ...map.options, callLogsAs: 'custom-object' } },
      runId: world.runId,
    });
    assert.deepEqual(asObjects.ledgerScope, { mode: 'run', runId: world.runId });
    assert.ok(
      asObjects.sections
        .find((s) => s.area === 'callLogs')!
        .entries[0]!.inIntercom[0]!.includes('custom object "Call"'),
    );
  });

  test('the scope gives the same advice for the areas it shares, leaving both ways of sending call logs open', async () => {
    const scope = await buildScope(world.reader, { attachmentsRoot: null });
    assert.deepEqual(
      scope.rebuild.map((s) => s.area),
      inventory.sections
        .map((s) => s.area)
        .filter((a) => !['droppedCustomFields', 'missingTeams', 'unmatchedAgents'].includes(a)),
    );
    for (const shared of scope.rebuild) {
      const { entries, ...head } = section(shared.area);
      assert.deepEqual({ ...shared, entries: [] }, { ...head, entries: [] }, shared.area);
      // The map of this test keeps the default team names; only call logs depend on a map the scope has not got.
      if (shared.area !== 'callLogs') assert.deepEqual(shared.entries, entries, shared.area);
    }
    const calls = scope.rebuild.find((s) => s.area === 'callLogs')!.entries[0]!;
    assert.deepEqual(calls.inSmarterTrack, section('callLogs').entries[0]!.inSmarterTrack);
    assert.match(calls.inIntercom[0]!, /^By default the map sends each call as a closed conversation/);
  });

  test('written as Markdown and schema-valid JSON', async () => {
    const files = await writeRebuildInventory(path.join(world.dir, 'workspace'), inventory);
    assert.deepEqual(RebuildInventory.parse(JSON.parse(await readFile(files.json, 'utf8'))), inventory);
    const md = await readFile(files.markdown, 'utf8');
    for (const rule of rules) assert.ok(md.includes(`### ${rule.name} (SmarterTrack #${rule.id})`));
    assert.match(md, /- \[ \] Settings → Teammates → Invite:/);
  });
});
