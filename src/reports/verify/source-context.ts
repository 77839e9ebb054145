import type { Admin, Team } from '../../intercom';
import type { CustomFieldValueOwner } from '../../model/source';
import type { SourceReader } from '../../source';

/**
 * The small source tables the checks join records with, read again from the source, and Intercom's
 * admins and teams, matched to agents and departments here by their own rule (email, name) rather
 * than through the engine's matching.
 */
export interface SourceContext {
  departments: Map<number, { name: string | null; brandId: number | null }>;
  groups: Map<string, string | null>;
  brands: Map<number, string | null>;
  users: Map<number, { email: string | null; name: string | null }>;
  agents: Map<number, { email: string | null; name: string | null }>;
  /** `<owner>:<recordId>` → fieldId → value. */
  customValues: Map<string, Map<number, string | null>>;
  /** Lower-cased email → admin id. */
  adminsByEmail: Map<string, string>;
  adminIds: Set<string>;
  teams: Team[];
}

export async function loadSourceContext(reader: SourceReader, admins: Admin[], teams: Team[]): Promise<SourceContext> {
  const ctx: SourceContext = {
    departments: new Map(),
    groups: new Map(),
    brands: new Map(),
    users: new Map(),
    agents: new Map(),
    customValues: new Map(),
    adminsByEmail: new Map(),
    adminIds: new Set(admins.map((a) => a.id)),
    teams,
  };
  for await (const d of reader.departments()) ctx.departments.set(d.id, { name: d.name, brandId: d.brandId });
  for await (const g of reader.groups()) ctx.groups.set(`${g.departmentId}:${g.id}`, g.name);
  for await (const b of reader.brands()) ctx.brands.set(b.id, b.name);
  for await (const u of reader.endUsers()) ctx.users.set(u.id, { email: u.email, name: u.displayName });
  for await (const a of reader.agents()) ctx.agents.set(a.id, { email: a.email, name: a.displayName });
  for await (const v of reader.customFieldValues()) {
    const key = `${v.channel}:${v.recordId}`;
    let own = ctx.customValues.get(key);
    if (!own) ctx.customValues.set(key, (own = new Map()));
    own.set(v.fieldId, v.value);
  }
  for (const a of admins) if (a.email) ctx.adminsByEmail.set(a.email.trim().toLowerCase(), a.id);
  return ctx;
}

export function customValuesOf(
  ctx: SourceContext,
  owner: CustomFieldValueOwner,
  id: number,
): ReadonlyMap<number, string | null> {
  return ctx.customValues.get(`${owner}:${id}`) ?? new Map();
}

/** The admin an agent is in Intercom: the one with the agent's email; undefined when none has it. */
export function adminOfAgent(ctx: SourceContext, agentId: number | null): string | undefined {
  const email = agentId === null ? null : ctx.agents.get(agentId)?.email;
  return email ? ctx.adminsByEmail.get(email.trim().toLowerCase()) : undefined;
}

/** The team a department is in Intercom: valueMaps.teams names it (else its own name); undefined when Intercom has none. */
export function teamOfDepartment(
  ctx: SourceContext,
  teamsMap: Record<string, string>,
  departmentId: number | null,
): string | undefined {
  const name = departmentId === null ? null : ctx.departments.get(departmentId)?.name;
  if (!name) return undefined;
  const wanted = (teamsMap[name] ?? name).trim().toLowerCase();
  return ctx.teams.find((t) => t.id === wanted || (t.name ?? '').trim().toLowerCase() === wanted)?.id;
}

/** Fields a map can take from a conversation's source besides the record's own: what SmarterTrack shows beside it. */
export function derivedOf(
  ctx: SourceContext,
  channel: 'ticket' | 'live chat' | 'call log',
  departmentId: number | null,
  groupId: number | null,
  brandId: number | null = null,
): Record<string, string | null> {
  const dept = departmentId === null ? undefined : ctx.departments.get(departmentId);
  const brand = brandId ?? dept?.brandId ?? null;
  return {
    channel,
    departmentName: dept?.name ?? null,
    groupName:
      departmentId !== null && groupId !== null ? (ctx.groups.get(`${departmentId}:${groupId}`) ?? null) : null,
    brandName: brand === null ? null : (ctx.brands.get(brand) ?? null),
  };
}
