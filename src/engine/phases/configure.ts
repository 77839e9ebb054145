import type { RunContext } from '../context';
import type { AttributeNeed, WorkspacePlan } from '../workspace';
import { journaledWrite } from '../write';

const CONVERSATION_TYPES = { string: 'string', integer: 'integer', float: 'decimal', boolean: 'boolean', datetime: 'datetime' } as const;

/** Creates the attributes the map needs (admins and teams cannot be created by the API: reported instead). */
export async function configureWorkspace(ctx: RunContext, plan: WorkspacePlan): Promise<void> {
  ctx.progress.phase('configure workspace', plan.attributesToCreate.length);
  for (const team of plan.missingTeams) ctx.progress.warn(`No Intercom team "${team}": create it in Intercom (the API cannot); its conversations stay unassigned to a team`);
  for (const agent of plan.unmatchedAgents) ctx.progress.warn(`Agent ${agent.agentId} (${agent.agentEmail ?? 'no email'}) matches no Intercom admin; the fallback admin stands in`);
  for (const c of plan.attributeConflicts) ctx.progress.warn(`Attribute "${c.need.name}" exists on ${c.need.model}s as ${c.existingType}, the map wants ${c.need.dataType}: values will be refused`);
  for (const need of plan.attributesToCreate) await createAttribute(ctx, need);
}

async function createAttribute(ctx: RunContext, need: AttributeNeed): Promise<void> {
  const sourceId = `attribute:${need.model}:${need.name}`;
  const description = `create ${need.model} attribute "${need.name}" (${need.dataType})`;
  const result = need.model === 'conversation'
    ? await journaledWrite(ctx, {
        op: 'create', objectType: 'customFields', sourceId,
        target: { resource: 'conversation_attribute', description },
        lookup: { by: 'name', value: need.name },
        clientLookup: { kind: 'conversation_attribute', name: need.name },
        send: () => ctx.client.dataAttributes.createConversationAttribute({ name: need.name, data_type: CONVERSATION_TYPES[need.dataType] }),
        idOf: (a) => String(a.id),
      })
    : await journaledWrite(ctx, {
        op: 'create', objectType: 'customFields', sourceId,
        target: { resource: 'data_attribute', description },
        lookup: { by: 'name', value: need.name },
        clientLookup: { kind: 'attribute', model: need.model, name: need.name },
        send: () => ctx.client.dataAttributes.create({ name: need.name, model: need.model as 'contact' | 'company', data_type: need.dataType }),
        idOf: (a) => String(a.id),
      });
  ctx.workspace.attributes[need.model].set(need.name, { id: result.id, dataType: need.dataType });
  ctx.progress.info(`${need.model} attribute "${need.name}" ready (${result.id})`);
}
