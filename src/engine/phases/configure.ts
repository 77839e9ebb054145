import { LedgerWriteError } from '../../ledger';
import { messageOf } from '../../model/error-message';
import { pendingIntentOf } from '../before-image';
import type { RunContext } from '../context';
import { RunStoppedError } from '../errors';
import { type AttributeNeed, compatibleType, type WorkspacePlan } from '../workspace';
import { journaledWrite } from '../write';
import { configureTicketTypes } from './configure-tickets';

const CONVERSATION_TYPES = {
  string: 'string',
  integer: 'integer',
  float: 'decimal',
  boolean: 'boolean',
  datetime: 'datetime',
} as const;

/** Creates the attributes and ticket types the map needs (admins, teams and ticket states cannot be created by the API: reported instead). */
export async function configureWorkspace(ctx: RunContext, plan: WorkspacePlan): Promise<void> {
  for (const team of plan.missingTeams)
    ctx.progress.warn(
      `No Intercom team "${team}": create it in Intercom (the API cannot); its conversations stay unassigned to a team`,
    );
  for (const agent of plan.unmatchedAgents)
    ctx.progress.warn(
      `Agent ${agent.agentId} (${agent.agentEmail ?? 'no email'}) matches no Intercom admin; the fallback admin stands in`,
    );
  for (const c of plan.attributeConflicts)
    ctx.progress.warn(
      `${c.need.model} attribute "${c.need.name}" (${c.need.dataType}, for ${c.need.usedBy.join(', ')}) clashes with ${c.existingType}: rename it in the map; its values will be refused`,
    );
  for (const need of plan.attributesToCreate) {
    try {
      await createAttribute(ctx, need);
    } catch (error) {
      if (error instanceof RunStoppedError || error instanceof LedgerWriteError) throw error;
      // The fields that write it fail record by record, naming the attribute; the run goes on.
      ctx.progress.warn(
        `Could not create ${need.model} attribute "${need.name}" (used by ${need.usedBy.join(', ')}): ${messageOf(error)}`,
      );
    }
  }
  await configureTicketTypes(ctx, plan.tickets);
}

async function createAttribute(ctx: RunContext, need: AttributeNeed): Promise<void> {
  const sourceId = `attribute:${need.model}:${need.name}`;
  if (need.model !== 'conversation' && (await unarchiveAttribute(ctx, { ...need, model: need.model }, sourceId)))
    return;
  const description = `create ${need.model} attribute "${need.name}" (${need.dataType})`;
  const result =
    need.model === 'conversation'
      ? await journaledWrite(ctx, {
          op: 'create',
          objectType: 'customFields',
          sourceId,
          target: { resource: 'conversation_attribute', description },
          lookup: { by: 'name', value: need.name },
          clientLookup: { kind: 'conversation_attribute', name: need.name },
          send: () =>
            ctx.client.dataAttributes.createConversationAttribute({
              name: need.name,
              data_type: CONVERSATION_TYPES[need.dataType],
            }),
          idOf: (a) => String(a.id),
        })
      : await journaledWrite(ctx, {
          op: 'create',
          objectType: 'customFields',
          sourceId,
          target: { resource: 'data_attribute', description },
          lookup: { by: 'name', value: need.name },
          clientLookup: { kind: 'attribute', model: need.model, name: need.name },
          send: () =>
            ctx.client.dataAttributes.create({
              name: need.name,
              model: need.model as 'contact' | 'company',
              data_type: need.dataType,
            }),
          idOf: (a) => String(a.id),
        });
  ctx.workspace.attributes[need.model].set(need.name, { id: result.id, dataType: need.dataType });
  ctx.progress.info(`${need.model} attribute "${need.name}" ready (${result.id})`);
}

/**
 * An archived contact or company attribute of the same name (archived by hand, or by the rollback of
 * an earlier run) keeps its name: Intercom refuses a new one. It is brought back instead, journaled
 * as a change to an object that existed before the run, so rolling this run back archives it again.
 */
async function unarchiveAttribute(
  ctx: RunContext,
  need: AttributeNeed & { model: 'contact' | 'company' },
  sourceId: string,
): Promise<boolean> {
  if (ctx.options.dryRun || pendingIntentOf(ctx, 'customFields', sourceId, ['create'])) return false;
  const archived = (await ctx.client.dataAttributes.list(need.model, true)).find(
    (a) => a.name === need.name && a.archived === true && a.id != null,
  );
  if (!archived || !compatibleType(need.dataType, archived.data_type)) return false;
  const id = String(archived.id);
  await journaledWrite(ctx, {
    op: 'unarchive',
    objectType: 'customFields',
    sourceId,
    existedBefore: true,
    target: {
      resource: 'data_attribute',
      intercomId: id,
      description: `unarchive ${need.model} attribute "${need.name}" (${archived.data_type})`,
    },
    lookup: { by: 'intercom_id', id },
    beforeImage: { archived: true },
    send: () => ctx.client.dataAttributes.update(id, { archived: false }),
    idOf: () => id,
  });
  ctx.workspace.attributes[need.model].set(need.name, { id, dataType: archived.data_type });
  ctx.progress.info(`${need.model} attribute "${need.name}" was archived: brought back (${id})`);
  return true;
}
