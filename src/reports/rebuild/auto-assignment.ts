import type { RebuildEntry, RebuildSection } from '../../model/reports';
import type { Agent } from '../../model/source';
import type { SourceVolumes } from '../../source';
import { agentLabel, type SourceNames, type TeamNamer, teamOf } from './source-names';

/** Round-robin groups and rebalance rules: one entry each, set up again as Intercom assignment on the team. */
export function autoAssignmentSection(volumes: SourceVolumes, names: SourceNames, teamName: TeamNamer): RebuildSection {
  const team = (departmentId: number | null, groupId: number | null) =>
    teamOf(names, teamName, departmentId) ?? names.group(departmentId, groupId);
  const entries = [
    ...volumes.roundRobinGroups.map((g): RebuildEntry => {
      const inGroup = (m: Agent['groups'][number]) => m.departmentId === g.departmentId && m.groupId === g.groupId;
      const members = names.agents.filter((a) => a.groups.some((m) => inGroup(m) && m.roundRobinOrder !== null));
      const teamOfGroup = team(g.departmentId, g.groupId);
      return {
        name: `Round robin: ${names.group(g.departmentId, g.groupId)}`,
        sourceId: `${g.departmentId}:${g.groupId}`,
        inSmarterTrack: [
          `New tickets and chats are handed out in turn to ${g.agents} agent(s) of the group.`,
          ...(members.length ? [`Agents: ${members.map(agentLabel).join(', ')}`] : []),
        ],
        inIntercom: [
          `Settings → Inbox → Assignments: for team "${teamOfGroup}", choose Round robin assignment (or Balanced assignment to cap open conversations per teammate).`,
          `Add these teammates to team "${teamOfGroup}" and give them an inbox seat.`,
          'Make sure a workflow or assignment rule routes the conversations of this group to that team.',
        ],
      };
    }),
    ...volumes.rebalanceRules.map((r): RebuildEntry => ({
      name: `Rebalance rule: ${r.name ?? `#${r.id}`}`,
      sourceId: String(r.id),
      inSmarterTrack: [
        `Moves waiting tickets between agents of ${names.group(r.departmentId, r.groupId)} when their load is uneven.`,
      ],
      inIntercom: [
        `Settings → Inbox → Assignments: use Balanced assignment on team "${team(r.departmentId, r.groupId)}" with a per-teammate limit; Intercom rebalances as conversations close.`,
      ],
    })),
  ];
  return {
    area: 'autoAssignment',
    title: 'Automatic assignment (round robin, rebalancing)',
    summary:
      'Assignment settings do not migrate; migrated conversations keep the agent and team they had. Set up assignment for new conversations on the matching teams.',
    count: entries.length,
    entries,
  };
}
