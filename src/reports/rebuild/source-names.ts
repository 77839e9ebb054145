import type { Agent, Group } from '../../model/source';
import type { SourceReader } from '../../source';

/** Names of departments, groups and agents, read once for every section that mentions them. */
export interface SourceNames {
  department(id: number | null): string;
  /** "Support / Front line" */
  group(departmentId: number | null, groupId: number | null): string;
  agents: Agent[];
}

/** The Intercom team a department's conversations go to: valueMaps.teams of the map, or the department's name. */
export type TeamNamer = (departmentName: string) => string;

/** Before a map exists (the scope), teams are named after departments, as the default map names them. */
export const teamsNamedAfterDepartments: TeamNamer = (departmentName) => departmentName;

export async function readSourceNames(reader: SourceReader): Promise<SourceNames> {
  const departments = new Map<number, string>();
  for await (const d of reader.departments()) departments.set(d.id, d.name ?? `Department ${d.id}`);
  const groups = new Map<string, Group>();
  for await (const g of reader.groups()) groups.set(`${g.departmentId}:${g.id}`, g);
  const agents: Agent[] = [];
  for await (const a of reader.agents()) agents.push(a);
  return {
    department: (id) => (id === null ? 'Department ?' : (departments.get(id) ?? `Department ${id}`)),
    group: (departmentId, groupId) => {
      const department = departments.get(departmentId ?? -1) ?? `department ${departmentId ?? '?'}`;
      return `${department} / ${groups.get(`${departmentId}:${groupId}`)?.name ?? `group ${groupId ?? '?'}`}`;
    },
    agents,
  };
}

/** The team of a department, or null for none. */
export function teamOf(names: SourceNames, teamName: TeamNamer, departmentId: number | null): string | null {
  return departmentId === null ? null : teamName(names.department(departmentId));
}

export function agentLabel(a: Agent): string {
  const name = a.displayName ?? a.userName ?? `Agent ${a.id}`;
  return a.email ? `${name} <${a.email}>` : name;
}
