import {
  AuthError,
  failsForAPassingReason,
  type IntercomClient,
  IntercomError,
  LOOKUP_PAUSE_MS,
  LOOKUP_TRIES,
  normalizeBody,
  PlanRestrictedError,
} from '../intercom';
import { type Clock, systemClock } from '../model/clock';
import type { IntentEntry } from '../model/journal';
import { SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';
import type { RunContext } from './context';
import { DEFAULT_SEARCH_SETTLE_MS, sha256 } from './write';

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
async function findFromJournal(client: IntercomClient, intent: IntentEntry): Promise<string | undefined> {
  const key = intent.lookup;
  switch (key.by) {
    case 'intercom_id':
      return key.id;
    case 'external_id':
      if (intent.target.resource === 'custom_object_instance') {
        const type = intent.target.customObjectType;
        return type ? (await client.customObjects.findByExternalId(type, key.value))?.id : undefined;
      }
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
        case 'ticket_type':
          return (await client.ticketTypes.list()).find((t) => t.name === key.value)?.id;
        case 'ticket_type_attribute': {
          const typeId = intent.target.ticketTypeId;
          if (!typeId) return undefined;
          const type = await client.ticketTypes.get(typeId);
          return (type.ticket_type_attributes?.data ?? []).find((a) => a.name === key.value)?.id;
        }
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
    case 'ticket': {
      const query = {
        operator: 'AND' as const,
        value: [
          { field: 'contact_ids', operator: '=' as const, value: key.contactId },
          { field: 'ticket_type_id', operator: '=' as const, value: key.ticketTypeId },
        ],
      };
      const hit = await first(
        client.tickets.search(query),
        (t) =>
          t.created_at === key.createdAt &&
          (key.sourceKey === undefined || t.ticket_attributes?.[SOURCE_KEY_ATTRIBUTE] === key.sourceKey),
      );
      return hit?.id;
    }
    case 'ticket_part': {
      const ticket = await client.tickets.get(key.ticketId);
      const part = (ticket.ticket_parts?.ticket_parts ?? []).find(
        (p) => p.created_at === key.createdAt && sha256(normalizeBody(p.body)) === key.bodySha256,
      );
      return part ? String(part.id) : undefined;
    }
    case 'conversation_part': {
      const conversation = await client.conversations.get(key.conversationId);
      const part = (conversation.conversation_parts?.conversation_parts ?? []).find(
        (p) => p.created_at === key.createdAt && sha256(normalizeBody(p.body)) === key.bodySha256,
      );
      return part ? String(part.id) : undefined;
    }
  }
}

/** Lookups that go through Intercom's search, which lags behind writes (resolve-unknown.ts). */
const SEARCH_BACKED: ReadonlySet<IntentEntry['lookup']['by']> = new Set(['email', 'conversation', 'ticket']);
const POLL_MS = [1_000, 2_000, 4_000, 8_000, 15_000];
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type PendingDecision =
  { result: 'applied'; intercomId: string } | { result: 'not-applied' } | { result: 'undecided'; why: string };

export interface DecideOptions {
  /** How long after the intent a search-backed lookup must keep finding nothing before "not applied". */
  searchSettleMs: number;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Decides a journaled intent that has no outcome, from the journal alone. "Not applied" is concluded
 * only once search has had `searchSettleMs` since the intent to show the object; a lookup that fails
 * leaves the intent undecided (pending), never guessed.
 */
export async function decidePending(
  client: IntercomClient,
  intent: IntentEntry,
  options: DecideOptions,
): Promise<PendingDecision> {
  const settleUntil = Date.parse(intent.at) + (SEARCH_BACKED.has(intent.lookup.by) ? options.searchSettleMs : 0);
  const sleep = options.sleep ?? defaultSleep;
  let failedLookups = 0;
  for (let round = 0; ; round++) {
    let id: string | undefined;
    try {
      id = await findFromJournal(client, intent);
    } catch (error) {
      if (!(error instanceof IntercomError) || error instanceof AuthError || error instanceof PlanRestrictedError)
        throw error;
      // A lookup only reads: one that failed for a passing reason is asked again before giving up.
      if (failsForAPassingReason(error) && ++failedLookups < LOOKUP_TRIES) {
        await sleep(LOOKUP_PAUSE_MS * failedLookups);
        continue;
      }
      return { result: 'undecided', why: error.message };
    }
    if (id !== undefined) return { result: 'applied', intercomId: id };
    const left = settleUntil - options.clock.now().getTime();
    if (left <= 0) return { result: 'not-applied' };
    await sleep(Math.min(left, POLL_MS[Math.min(round, POLL_MS.length - 1)] ?? 15_000));
  }
}

/**
 * Gives every intent of this run still without an outcome one, by lookup, so the run can complete.
 * Those a lookup cannot decide stay pending: the run then ends failed and the next one decides them.
 */
export async function resolveLeftoverIntents(ctx: RunContext): Promise<void> {
  const settle = { searchSettleMs: ctx.options.searchSettleMs ?? DEFAULT_SEARCH_SETTLE_MS, clock: systemClock };
  for (const intent of ctx.memory.leftoverPending()) {
    const decision = await decidePending(ctx.client, intent, settle);
    if (decision.result === 'applied')
      ctx.journal.outcome(intent.seq, { result: 'applied', intercomId: decision.intercomId, resolvedBy: 'lookup' });
    else if (decision.result === 'not-applied')
      ctx.journal.outcome(intent.seq, { result: 'not-applied', reason: 'lookup found nothing after the interruption' });
    else
      ctx.progress.warn(
        `${intent.target.description}: outcome still unknown (${decision.why}); run again to resolve it`,
      );
  }
}
