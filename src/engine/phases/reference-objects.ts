import { customFieldIdOf, type MappedObject } from '../../model/mapping';
import type { Agent } from '../../model/source';
import type { RunContext } from '../context';
import { journalRecord } from '../record-outcome';
import { teamIdFor } from '../workspace';

/**
 * Records the objects that become no Intercom record of their own: agents (matched to admins),
 * departments and groups (teams), brands (a value), custom fields (attributes). Every source record
 * ends migrated, skipped with a reason, or failed: these included.
 */
export async function recordReferenceObjects(ctx: RunContext, agents: readonly Agent[]): Promise<void> {
  const { workspace, map } = ctx;
  for (const agent of agents) {
    const match = workspace.admins.get(agent.id);
    if (match?.matched)
      journalRecord(ctx, 'agents', String(agent.id), {
        state: 'migrated',
        intercomId: match.adminId,
        existedBefore: true,
      });
    else
      journalRecord(ctx, 'agents', String(agent.id), {
        state: 'skipped',
        reason: agent.email
          ? `no Intercom admin has the email ${agent.email}; ${workspace.fallbackAdminName} stands in`
          : `agent has no email; ${workspace.fallbackAdminName} stands in`,
      });
  }
  for await (const d of ctx.reader.departments()) {
    const teamId = d.name ? teamIdFor(workspace, map, d.name) : undefined;
    if (teamId)
      journalRecord(ctx, 'departments', String(d.id), { state: 'migrated', intercomId: teamId, existedBefore: true });
    else
      journalRecord(ctx, 'departments', String(d.id), {
        state: 'skipped',
        reason: `no Intercom team for department "${d.name ?? d.id}" (create it, then map it in valueMaps.teams)`,
      });
  }
  for await (const g of ctx.reader.groups()) {
    const teamId = g.name ? teamIdFor(workspace, map, g.name) : undefined;
    const sourceId = `${g.departmentId}:${g.id}`;
    if (teamId) journalRecord(ctx, 'groups', sourceId, { state: 'migrated', intercomId: teamId, existedBefore: true });
    else
      journalRecord(ctx, 'groups', sourceId, {
        state: 'skipped',
        reason: "groups route through their department's team",
      });
  }
  for await (const b of ctx.reader.brands()) {
    const value = map.valueMaps.brands.values[String(b.id)] ?? b.name ?? String(b.id);
    const teamId = map.valueMaps.brands.mode === 'team' ? teamIdFor(workspace, map, value) : undefined;
    if (teamId)
      journalRecord(ctx, 'brands', String(b.id), { state: 'migrated', intercomId: teamId, existedBefore: true });
    else
      journalRecord(ctx, 'brands', String(b.id), {
        state: 'skipped',
        reason: `carried as the value "${value}" on conversations`,
      });
  }
  const attributeOf = new Map<number, { id: string; key: string }>();
  for (const [object, objectMap] of Object.entries(map.objects) as [MappedObject, MappingObjects][]) {
    for (const f of objectMap.fields) {
      const id = customFieldIdOf(f.source);
      if (id === null || f.target.kind !== 'attribute' || !objectMap.enabled) continue;
      const model = object === 'contacts' ? 'contact' : object === 'companies' ? 'company' : 'conversation';
      const attr = workspace.attributes[model].get(f.target.name);
      if (attr) attributeOf.set(id, { id: attr.id, key: `attribute:${model}:${f.target.name}` });
    }
  }
  for await (const field of ctx.reader.customFields()) {
    const attr = attributeOf.get(field.id);
    // An attribute no run created was in the workspace already: found, not made (rollback leaves it).
    const found =
      attr !== undefined &&
      !ctx.options.dryRun &&
      ctx.ledger.mapping('customFields', attr.key)?.createdByRun === undefined;
    if (attr)
      journalRecord(ctx, 'customFields', String(field.id), {
        state: 'migrated',
        intercomId: attr.id,
        ...(found ? { existedBefore: true } : {}),
      });
    else
      journalRecord(ctx, 'customFields', String(field.id), {
        state: 'skipped',
        reason: 'not mapped to an attribute (dropped, a note or a tag)',
      });
  }
}

type MappingObjects = RunContext['map']['objects'][MappedObject];
