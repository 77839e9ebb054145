import type { ObjectCounts } from '../../model/object-types';
import type { RebuildSection } from '../../model/reports';
import type { AutomationRule, DepartmentPolicy } from '../../model/source';
import type { SourceReader, SourceVolumes } from '../../source';
import { autoAssignmentSection } from './auto-assignment';
import { automationRulesSection } from './automation-rules';
import { type CallLogChoice, callLogsSection, communitySection } from './call-logs-and-community';
import { departmentPoliciesSection } from './department-policies';
import { readSourceNames, type SourceNames, type TeamNamer, teamOf } from './source-names';

/** What the sections that need only the source read from it. */
export interface SourceFacts {
  rules: AutomationRule[];
  policies: DepartmentPolicy[];
  names: SourceNames;
  volumes: SourceVolumes;
  callLogs: number;
}

/** The queries, in one place: the callers have counts and volumes already (the scope reads them for itself). */
export async function readSourceFacts(
  reader: SourceReader,
  counts: ObjectCounts,
  volumes: SourceVolumes,
): Promise<SourceFacts> {
  const rules: AutomationRule[] = [];
  for await (const rule of reader.automationRules()) rules.push(rule);
  const policies: DepartmentPolicy[] = [];
  for await (const p of reader.departmentPolicies()) policies.push(p);
  return { rules, policies, names: await readSourceNames(reader), volumes, callLogs: counts.callLogs ?? 0 };
}

/**
 * The areas both reports list, in this order: automation rules, department lifecycle settings,
 * automatic assignment, call logs, community. The map, when there is one, names teams and says
 * how call logs travel; the scope has none yet.
 */
export function sourceSections(
  facts: SourceFacts,
  map: { teamName: TeamNamer; callLogs: CallLogChoice },
): RebuildSection[] {
  const { names } = facts;
  const { teamName } = map;
  const policyTeam = (p: DepartmentPolicy) =>
    teamOf(names, teamName, p.departmentId) ?? p.departmentName ?? `Department ${p.departmentId}`;
  return [
    automationRulesSection(facts.rules),
    departmentPoliciesSection(facts.policies, policyTeam),
    autoAssignmentSection(facts.volumes, names, teamName),
    callLogsSection(facts.callLogs, map.callLogs),
    communitySection(facts.volumes.communityRows),
  ];
}

/** A section without entries has nothing to rebuild and is left out of both reports. */
export function withEntries(sections: RebuildSection[]): RebuildSection[] {
  return sections.filter((s) => s.entries.length > 0);
}
