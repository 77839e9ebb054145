import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { IntercomClient } from '../intercom';
import type { Clock } from '../model/clock';
import type { MappingFile } from '../model/mapping';
import type { Agent } from '../model/source';
import { migrationPaths } from '../model/workspace-paths';
import type { SourceReader } from '../source';
import { resolveWorkspace, type WorkspacePlan } from './workspace';
import { planBlockers, workspacePlanMarkdown } from './workspace-plan-markdown';

export interface WorkspacePlanReport {
  plan: WorkspacePlan;
  /** The Markdown report, written before anything is applied. */
  file: string;
  /** What is worth fixing before applying (type conflicts, attributes the map may not create, missing teams). */
  blockers: string[];
}

/**
 * The first half of configure, the same for the CLI and the editor: read the agents, match them and
 * the map's teams and attributes against the workspace, write the plan for people to read. Nothing
 * is written to Intercom: applying the plan is a configure run, after the adapter's confirmation.
 */
export async function planWorkspace(input: {
  workspaceDir: string;
  client: IntercomClient;
  reader: SourceReader;
  map: MappingFile;
  clock: Clock;
}): Promise<WorkspacePlanReport> {
  const agents: Agent[] = [];
  for await (const a of input.reader.agents()) agents.push(a);
  const { plan } = await resolveWorkspace(input.client, input.map, agents);
  const file = migrationPaths(input.workspaceDir).workspacePlan;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, workspacePlanMarkdown(plan, input.clock));
  return { plan, file, blockers: planBlockers(plan) };
}

/** One line on what the plan creates and what it cannot, in the same words for the CLI and the editor. */
export function workspacePlanSummary(plan: WorkspacePlan): string {
  const tickets = plan.tickets.types.length
    ? ` ${ticketTypesToCreate(plan)} to create, ${plan.tickets.statesMissing.length} ticket state(s) missing.`
    : '';
  return `Workspace "${plan.appName}": ${plan.attributesToCreate.length} attribute(s) to create, ${plan.missingTeams.length} team(s) and ${plan.unmatchedAgents.length} teammate(s) missing (the API cannot create them).${tickets}`;
}

/** "2 ticket type(s) and 9 ticket attribute(s)": what configure creates for the departments sent to Intercom tickets. */
export function ticketTypesToCreate(plan: WorkspacePlan): string {
  const types = plan.tickets.types;
  const attributes = types.reduce((n, t) => n + t.attributesToCreate.length, 0);
  return `${types.filter((t) => t.id === null).length} ticket type(s) and ${attributes} ticket attribute(s)`;
}
