import type { IntercomClient } from '../intercom';
import { attributeModel } from '../mapping/targets';
import type { MappedObject, MappingFile } from '../model/mapping';
import type { Agent } from '../model/source';
import { SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';
import { EngineUsageError } from './errors';
import { planTickets, type TicketsPlan, type WorkspaceTickets } from './ticket-type-plan';

type AttributeModel = 'contact' | 'company' | 'conversation';
export type AttributeType = 'string' | 'integer' | 'float' | 'boolean' | 'datetime';

interface AdminMatch {
  agentId: number;
  agentName: string | null;
  agentEmail: string | null;
  adminId: string;
  /** False when no admin has the agent's email and the fallback admin stands in. */
  matched: boolean;
}

/** What the migration needs to know about the Intercom workspace, resolved once per run. */
export interface Workspace {
  appName: string;
  region: string | null;
  fallbackAdminId: string;
  fallbackAdminName: string;
  admins: Map<number, AdminMatch>;
  /** Team value from the map (name or id, lower-cased) → team id. */
  teams: Map<string, string>;
  /** Existing attributes by model and name. */
  attributes: Record<AttributeModel, Map<string, { id: string; dataType: string }>>;
  /** Ticket types and states, read only when the map sends some department to Intercom tickets. */
  tickets: WorkspaceTickets;
}

export interface AttributeNeed {
  model: AttributeModel;
  name: string;
  dataType: AttributeType;
  /** Source fields that use it, for the plan. */
  usedBy: string[];
}

/** What `configure` will do, shown before it does it. */
export interface WorkspacePlan {
  appName: string;
  region: string | null;
  admins: AdminMatch[];
  unmatchedAgents: AdminMatch[];
  teams: { value: string; teamId: string | null }[];
  missingTeams: string[];
  attributesToCreate: AttributeNeed[];
  attributesExisting: AttributeNeed[];
  /** Existing attributes whose type differs from what the map wants: fix the map or the workspace. */
  attributeConflicts: { need: AttributeNeed; existingType: string }[];
  /** Attributes the map needs but may not create (`create: false`) and that do not exist. */
  attributesMissing: AttributeNeed[];
  /** Ticket types and attributes to create, states the workspace lacks (empty while every department is a conversation). */
  tickets: TicketsPlan;
}

const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

const COMPATIBLE: Record<AttributeType, string[]> = {
  string: ['string'],
  integer: ['integer'],
  float: ['float', 'decimal'],
  boolean: ['boolean'],
  datetime: ['datetime', 'date'],
};

/** True when an Intercom attribute of `existingType` can hold the values the map writes as `wanted`. */
export function compatibleType(wanted: AttributeType, existingType: string): boolean {
  return COMPATIBLE[wanted].includes(existingType);
}

/** Every custom attribute the map writes, per Intercom model. */
function attributeNeeds(map: MappingFile): AttributeNeed[] {
  const needs = new Map<string, AttributeNeed>();
  for (const [object, objectMap] of Object.entries(map.objects) as [
    MappedObject,
    MappingFile['objects'][MappedObject],
  ][]) {
    const model = attributeModel(object);
    if (!model || !objectMap.enabled) continue;
    for (const field of objectMap.fields) {
      if (field.target.kind !== 'attribute') continue;
      const key = `${model}|${field.target.name}`;
      const need = needs.get(key) ?? { model, name: field.target.name, dataType: field.target.dataType, usedBy: [] };
      need.usedBy.push(`${object}.${field.source}`);
      needs.set(key, need);
    }
  }
  // Not from the map: the key of every migrated conversation, so Intercom can tell what is migrated.
  needs.set(`conversation|${SOURCE_KEY_ATTRIBUTE}`, {
    model: 'conversation',
    name: SOURCE_KEY_ATTRIBUTE,
    dataType: 'string',
    usedBy: ['st2ic: the SmarterTrack record of each conversation'],
  });
  return [...needs.values()];
}

/** Reads the workspace (me, admins, teams, attributes) and matches it against the source and the map. */
export async function resolveWorkspace(
  client: IntercomClient,
  map: MappingFile,
  agents: readonly Agent[],
): Promise<{ workspace: Workspace; plan: WorkspacePlan }> {
  const me = await client.admins.me();
  const admins = await client.admins.list();
  const teams = await client.admins.listTeams();
  const byEmail = new Map(admins.filter((a) => a.email).map((a) => [lower(a.email), a] as const));

  let fallback = admins.find((a) => String(a.id) === String(me.id)) ?? {
    id: me.id,
    name: me.name ?? null,
    email: me.email ?? null,
  };
  if (map.options.fallbackAdminEmail) {
    const chosen = byEmail.get(lower(map.options.fallbackAdminEmail));
    if (!chosen)
      throw new EngineUsageError(
        `options.fallbackAdminEmail: no Intercom admin has the email ${map.options.fallbackAdminEmail}`,
      );
    fallback = chosen;
  }
  const matches = new Map<number, AdminMatch>();
  for (const agent of agents) {
    const admin = agent.email ? byEmail.get(lower(agent.email)) : undefined;
    matches.set(agent.id, {
      agentId: agent.id,
      agentName: agent.displayName,
      agentEmail: agent.email,
      adminId: String(admin?.id ?? fallback.id),
      matched: admin !== undefined,
    });
  }

  const teamIndex = new Map<string, string>();
  for (const t of teams) {
    teamIndex.set(lower(t.name), String(t.id));
    teamIndex.set(String(t.id), String(t.id));
  }
  const teamValues = [
    ...new Set(
      Object.values(map.valueMaps.teams).concat(
        map.valueMaps.brands.mode === 'team' ? Object.values(map.valueMaps.brands.values) : [],
      ),
    ),
  ];
  const resolvedTeams = teamValues.map((value) => ({ value, teamId: teamIndex.get(lower(value)) ?? null }));
  const workspaceTeams = new Map<string, string>();
  for (const t of resolvedTeams) if (t.teamId) workspaceTeams.set(lower(t.value), t.teamId);

  const attributes: Workspace['attributes'] = { contact: new Map(), company: new Map(), conversation: new Map() };
  for (const model of ['contact', 'company'] as const) {
    for (const a of await client.dataAttributes.list(model))
      if (a.id != null && a.custom !== false)
        attributes[model].set(a.name, { id: String(a.id), dataType: a.data_type });
  }
  for (const a of await client.dataAttributes.listConversationAttributes())
    attributes.conversation.set(a.name, { id: String(a.id), dataType: a.data_type });

  const tickets = await planTickets(client, map);
  const plan: WorkspacePlan = {
    appName: me.app?.name ?? '(unnamed workspace)',
    region: me.app?.region ?? null,
    admins: [...matches.values()],
    unmatchedAgents: [...matches.values()].filter((m) => !m.matched),
    teams: resolvedTeams,
    missingTeams: resolvedTeams.filter((t) => !t.teamId).map((t) => t.value),
    attributesToCreate: [],
    attributesExisting: [],
    attributeConflicts: [],
    attributesMissing: [],
    tickets: tickets.plan,
  };
  const creatable = new Set<string>([SOURCE_KEY_ATTRIBUTE]);
  for (const field of Object.values(map.objects).flatMap((o) => o.fields)) {
    if (field.target.kind === 'attribute' && field.target.create) creatable.add(field.target.name);
  }
  const needs = attributeNeeds(map);
  for (const need of needs) {
    // Intercom refuses a contact attribute named like a company one, and the reverse.
    const other = need.model === 'contact' ? 'company' : need.model === 'company' ? 'contact' : null;
    const clash =
      other && (attributes[other].get(need.name) ?? needs.find((n) => n.model === other && n.name === need.name));
    if (clash) {
      plan.attributeConflicts.push({ need, existingType: `a ${other} attribute of the same name` });
      continue;
    }
    const existing = attributes[need.model].get(need.name);
    if (existing) {
      if (COMPATIBLE[need.dataType].includes(existing.dataType)) plan.attributesExisting.push(need);
      else plan.attributeConflicts.push({ need, existingType: existing.dataType });
    } else if (creatable.has(need.name)) plan.attributesToCreate.push(need);
    else plan.attributesMissing.push(need);
  }

  return {
    plan,
    workspace: {
      appName: plan.appName,
      region: plan.region,
      fallbackAdminId: String(fallback.id),
      fallbackAdminName: fallback.name ?? fallback.email ?? String(fallback.id),
      admins: matches,
      teams: workspaceTeams,
      attributes,
      tickets: tickets.workspace,
    },
  };
}

export function teamIdFor(workspace: Workspace, map: MappingFile, value: string): string | undefined {
  const mapped = map.valueMaps.teams[value] ?? value;
  return workspace.teams.get(lower(mapped));
}
