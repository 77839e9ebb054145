import type { RebuildEntry, RebuildSection } from '../../model/reports';
import type { Agent } from '../../model/source';
import type { LatestRecord } from '../ledger-records';
import { compareSourceIds } from '../reconciliation';
import { agentLabel, type SourceNames, type TeamNamer, teamOf } from './source-names';

/** The skipped records of one type in the ledger's scope, in source id order. */
export function skippedOf(records: ReadonlyMap<string, LatestRecord> | undefined): LatestRecord[] {
  return [...(records?.values() ?? [])]
    .filter((r) => r.result.state === 'skipped')
    .sort((a, b) => compareSourceIds(a.sourceId, b.sourceId));
}

function reasonOf(r: LatestRecord): string {
  return r.result.state === 'skipped' ? r.result.reason : r.result.state;
}

/** One entry per skipped record of a section the ledger fills. */
function ledgerSection(
  head: Omit<RebuildSection, 'count' | 'entries'>,
  skipped: LatestRecord[],
  entryOf: (r: LatestRecord) => RebuildEntry,
): RebuildSection {
  return { ...head, count: skipped.length, entries: skipped.map(entryOf) };
}

/** Departments the run skipped for want of a team: teams cannot be created through the API. */
export function missingTeamsSection(skipped: LatestRecord[], names: SourceNames, teamName: TeamNamer): RebuildSection {
  const head = {
    area: 'missingTeams',
    title: 'Teams missing in Intercom',
    summary:
      'Teams cannot be created through the API. Departments without a matching team were migrated without a team assignee.',
  } as const;
  return ledgerSection(head, skipped, (r) => {
    const name = names.department(Number(r.sourceId));
    return {
      name,
      sourceId: r.sourceId,
      inSmarterTrack: [`Department "${name}"`, `Ledger: ${reasonOf(r)}`],
      inIntercom: [
        `Settings → Teammates → Teams → New team: "${teamName(name)}"; add the agents who worked in this department.`,
        `In mapping.json, map valueMaps.teams "${name}" to that team's name, then run a delta so conversations get their team.`,
      ],
    };
  });
}

/** Agents the run skipped for want of a teammate with their email. */
export function unmatchedAgentsSection(
  skipped: LatestRecord[],
  names: SourceNames,
  teamName: TeamNamer,
): RebuildSection {
  const agentsById = new Map(names.agents.map((a) => [String(a.id), a]));
  const head = {
    area: 'unmatchedAgents',
    title: 'Agents without an Intercom teammate',
    summary:
      'Teammates cannot be created through the API; agents are matched to teammates by email. These were not, and the fallback admin stands in on their conversations.',
  } as const;
  return ledgerSection(head, skipped, (r) => {
    const agent = agentsById.get(r.sourceId);
    const teamOfGroup = (g: Agent['groups'][number]) =>
      teamOf(names, teamName, g.departmentId) ?? names.group(g.departmentId, g.groupId);
    const memberOf = [...new Set((agent?.groups ?? []).map(teamOfGroup))];
    return {
      name: agent ? agentLabel(agent) : `Agent ${r.sourceId}`,
      sourceId: r.sourceId,
      inSmarterTrack: [
        `Agent ${agent?.displayName ?? agent?.userName ?? r.sourceId}, email ${agent?.email ?? '(none)'}${agent?.deleted ? ' (deleted)' : ''}`,
        ...(memberOf.length ? [`Groups: ${memberOf.join(', ')}`] : []),
        `Ledger: ${reasonOf(r)}`,
      ],
      inIntercom: inviteSteps(agent?.email ?? null, memberOf),
    };
  });
}

function inviteSteps(email: string | null, teams: string[]): string[] {
  if (!email)
    return [
      'This agent has no email in SmarterTrack: decide who takes over; their conversations stay with the fallback admin unless you reassign them.',
    ];
  return [
    `Settings → Teammates → Invite: ${email}${teams.length ? `, to team(s) ${teams.map((t) => `"${t}"`).join(', ')}` : ''}.`,
    'Or, if this person already has a teammate under another email, change one of the two emails to match. Then run a delta to reassign their conversations.',
  ];
}
