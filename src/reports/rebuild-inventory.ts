import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Ledger } from '../ledger';
import { type Clock, systemClock } from '../model/clock';
import type { MappingFile } from '../model/mapping';
import { RebuildInventory } from '../model/reports';
import { migrationPaths } from '../model/workspace-paths';
import type { SourceReader } from '../source';
import { ledgerRecords } from './ledger-records';
import { droppedCustomFieldsSection, readDroppedFields } from './rebuild/dropped-custom-fields';
import { missingTeamsSection, skippedOf, unmatchedAgentsSection } from './rebuild/ledger-gaps';
import type { TeamNamer } from './rebuild/source-names';
import { readSourceFacts, sourceSections, withEntries } from './rebuild/source-sections';
import { rebuildInventoryMarkdown } from './rebuild-inventory-markdown';

export interface RebuildInventoryInput {
  reader: SourceReader;
  ledger: Ledger;
  map: MappingFile;
  /** Missing teams and unmatched agents from this run's records; default: the workspace's current state. */
  runId?: string;
  clock?: Clock;
}

/**
 * What does not migrate and must be rebuilt by hand in Intercom: automation rules, department
 * lifecycle settings, automatic assignment, call logs, the community (the sections the scope lists
 * too), custom fields the map drops, and — from the ledger — departments without a team and agents
 * without an admin. Each entry says what it was in SmarterTrack and what to build instead, in the
 * words of Intercom's settings.
 */
export async function buildRebuildInventory(input: RebuildInventoryInput): Promise<RebuildInventory> {
  const { reader, map } = input;
  const records = await ledgerRecords(input.ledger, input.runId);
  const facts = await readSourceFacts(reader, await reader.insights.counts(), await reader.insights.volumes());
  const teamName: TeamNamer = (departmentName) => map.valueMaps.teams[departmentName] ?? departmentName;
  const sections = [
    ...sourceSections(facts, { teamName, callLogs: map.options }),
    droppedCustomFieldsSection(await readDroppedFields(reader, map)),
    missingTeamsSection(skippedOf(records.byType.get('departments')), facts.names, teamName),
    unmatchedAgentsSection(skippedOf(records.byType.get('agents')), facts.names, teamName),
  ];
  const description = await reader.describe();
  return RebuildInventory.parse({
    kind: 'st2ic.rebuild-inventory',
    version: 1,
    generatedAt: (input.clock ?? systemClock).now().toISOString(),
    source: { engine: description.engine, location: description.location, tablePrefix: description.tablePrefix },
    ledgerScope: input.runId !== undefined ? { mode: 'run', runId: input.runId } : { mode: 'workspace' },
    sections: withEntries(sections),
  });
}

/** Writes <workspace>/migration/reports/rebuild-inventory.md and .json; returns their paths. */
export async function writeRebuildInventory(
  workspace: string,
  inventory: RebuildInventory,
): Promise<{ markdown: string; json: string }> {
  const dir = migrationPaths(workspace).reports;
  await mkdir(dir, { recursive: true });
  const markdown = path.join(dir, 'rebuild-inventory.md');
  const json = path.join(dir, 'rebuild-inventory.json');
  await writeFile(json, JSON.stringify(inventory, null, 2) + '\n');
  await writeFile(markdown, rebuildInventoryMarkdown(inventory));
  return { markdown, json };
}
