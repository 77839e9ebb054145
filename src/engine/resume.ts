import { normalizeBody, type IntercomClient } from '../intercom';
import type { IntentEntry } from '../model/journal';
import type { RunContext } from './context';
import { sha256 } from './write';

async function first<T>(items: AsyncIterable<T>, match: (item: T) => boolean): Promise<T | undefined> {
  for await (const item of items) if (match(item)) return item;
  return undefined;
}

/**
 * Finds the object a journaled intent would have created, from the journal's lookup key alone
 * (the phase that knew the payload never came back to it: the source record changed or vanished).
 * Writes to an object that already had an id (update, tag, close…) are counted as applied: undoing
 * them is harmless when they were not.
 */
export async function findFromJournal(client: IntercomClient, intent: IntentEntry): Promise<string | undefined> {
  const key = intent.lookup;
  switch (key.by) {
    case 'intercom_id':
      return key.id;
    case 'external_id':
      return (await client.contacts.findByExternalId(key.value))?.id;
    case 'email':
      return (await first(client.contacts.search({ field: 'email', operator: '=', value: key.value }), () => true))?.id;
    case 'company_id':
      return (await client.companies.findByCompanyId(key.value))?.id;
    case 'name': {
      const lower = key.value.toLowerCase();
      switch (intent.target.resource) {
        case 'tag':
          return (await client.tags.list()).find((t) => t.name.toLowerCase() === lower)?.id;
        case 'data_attribute': {
          for (const model of ['contact', 'company'] as const) {
            const hit = (await client.dataAttributes.list(model, true)).find((a) => a.name === key.value);
            if (hit?.id != null) return String(hit.id);
          }
          return undefined;
        }
        case 'conversation_attribute':
          return (await client.dataAttributes.listConversationAttributes(true)).find((a) => a.name === key.value)?.id;
        case 'help_center_collection':
          return (await first(client.helpCenter.listCollections(), (c) => c.name === key.value))?.id;
        case 'article':
          return (await first(client.helpCenter.listArticles(), (a) => a.title === key.value))?.id;
        default:
          return undefined;
      }
    }
    case 'conversation': {
      const hit = await first(
        client.conversations.search({ field: 'contact_ids', operator: '=', value: key.contactId }),
        (c) => c.created_at === key.createdAt && sha256(normalizeBody(c.source?.body)) === key.bodySha256,
      );
      return hit?.id;
    }
    case 'conversation_part': {
      const conversation = await client.conversations.get(key.conversationId);
      const part = (conversation.conversation_parts?.conversation_parts ?? []).find((p) => p.created_at === key.createdAt && sha256(normalizeBody(p.body)) === key.bodySha256);
      return part ? String(part.id) : undefined;
    }
  }
}

/** Gives every intent still without an outcome one, by lookup, so the run can complete. */
export async function resolveLeftoverIntents(ctx: RunContext): Promise<void> {
  for (const intent of ctx.memory.leftoverPending()) {
    const id = await findFromJournal(ctx.client, intent);
    if (id) ctx.journal.outcome(intent.seq, { result: 'applied', intercomId: id, resolvedBy: 'lookup' });
    else ctx.journal.outcome(intent.seq, { result: 'not-applied', reason: 'lookup found nothing after the interruption' });
  }
}
