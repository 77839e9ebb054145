import type { IntercomClient } from './client';
import {
  ConflictError,
  IntercomError,
  NetworkError,
  OutcomeUndecidedError,
  OutcomeUnknownError,
  RateLimitedError,
  SearchBehindError,
  ServerError,
} from './errors';
import type { OutcomeLookup } from './outcome';
import { describeLookup } from './outcome';
import type { Contact } from './schemas/contacts';
import type { Conversation, ConversationPart } from './schemas/conversations';
import type { Ticket } from './schemas/tickets';
import type { SearchIndex } from './search-witnesses';

/**
 * Turns an OutcomeUnknownError into a fact: the write was applied (here is the object) or it was not
 * (the caller may send it again).
 *
 * Search lag. Intercom's search is eventually consistent: "If a contact has recently been created,
 * there is a possibility that it will not yet be available when searching … This delay can take a
 * few minutes" (NOTES §3.2). Lookups that go through search (contacts, conversations) therefore
 * keep looking for `searchSettleMs` (default 120 s; polls after 0.5, 1, 2, 4, 8, 15, 15, … s) before
 * concluding "not applied". Direct reads (a conversation's parts and state, tag and attribute
 * lists, companies by company_id) are consistent and get `readSettleMs` (default 3 s).
 * The settle time must also outlast the longest a write can still be in progress on Intercom's side
 * after the client gave up on it (a timed-out request may be applied later), which is why the
 * default is generous.
 * Contacts with an external_id (users) need no search: `find_by_external_id` reads them directly,
 * and Intercom keeps a user's external_id unique with a 409 naming the existing contact (even while
 * search lags, NOTES §7.2), which writeAtMostOnce treats as applied. So their creates are decided
 * within `readSettleMs`: a create that was applied after all can never be sent a second time.
 *
 * Witnesses (search-witnesses.ts) shorten and harden the search wait. A search-bound create is "not
 * applied" as soon as objects this client created after the write ended show in search while the
 * write's object does not: search has caught up, so it would show it. A write Intercom may still be
 * running (no answer, or a gateway's 502/503/504 rather than Intercom's own 500) is first given
 * `IN_FLIGHT_MS`. While witnesses exist and stay invisible, the lookup waits for them (parked) until
 * the newest has had the whole settle time to show; if it still does not, search is behind and the
 * outcome is undecided (the record is looked up again later), never "not applied". Without any
 * witness, the settle time alone decides, as before.
 */
export type Resolution = { applied: true; id: string; object: unknown } | { applied: false };

export interface ResolveOptions {
  searchSettleMs?: number;
  readSettleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** performance.now() when the write ended (default: when the lookup starts). Witnesses were sent after it. */
  endedAtMs?: number;
  /** Intercom's application answered (a 500), so the write is no longer running there. */
  answeredByApp?: boolean;
}

/**
 * The longest a search-bound lookup waits, and what decides a create no witness can speak for (the
 * last creates of a run). Intercom: "This delay can take a few minutes" (2.16, contact creation
 * delay); shorter, an applied create can look "not applied" and be sent again. Parked writes wait
 * off their slot, so only a run's tail pays for it.
 */
export const DEFAULT_SEARCH_SETTLE_MS = 300_000;

/** How long a write may still run on Intercom's side after the client lost it (the request timeout). */
const IN_FLIGHT_MS = 30_000;

const POLL_STEPS_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `find` until it returns something or the settle budget is spent. */
async function poll<T>(
  find: () => Promise<T | undefined>,
  budgetMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<T | undefined> {
  const deadline = performance.now() + budgetMs;
  for (let i = 0; ; i++) {
    const found = await find();
    if (found !== undefined) return found;
    const left = deadline - performance.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(left, POLL_STEPS_MS[Math.min(i, POLL_STEPS_MS.length - 1)] ?? 15_000));
  }
}

/** Plain text of a body as Intercom may return it (it wraps plain text in <p>, escapes entities). */
export function normalizeBody(body: string | null | undefined): string {
  return (body ?? '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Allowance for clock differences when a write carried no created_at and Intercom stamped "now". */
const STAMP_SLACK_S = 120;

function sameMoment(actual: number | null | undefined, expected: number | undefined, sentAt: number): boolean {
  if (actual == null) return false;
  return expected !== undefined ? actual === expected : actual >= sentAt - STAMP_SLACK_S;
}

async function findContact(
  client: IntercomClient,
  lookup: Extract<OutcomeLookup, { kind: 'contact' }>,
): Promise<Contact | undefined> {
  // A user is found by its external_id directly; search would only lag behind that read.
  if (!waitsForSearch(lookup)) return client.contacts.findByExternalId(lookup.external_id!);
  const query =
    lookup.external_id !== undefined
      ? { field: 'external_id', operator: '=' as const, value: lookup.external_id }
      : lookup.email !== undefined
        ? { field: 'email', operator: '=' as const, value: lookup.email }
        : undefined;
  if (query === undefined) return undefined;
  for await (const contact of client.contacts.search(query)) {
    if (lookup.role === undefined || contact.role === lookup.role) return contact;
  }
  return undefined;
}

async function findConversation(
  client: IntercomClient,
  lookup: Extract<OutcomeLookup, { kind: 'conversation' }>,
): Promise<Conversation | undefined> {
  const want = normalizeBody(lookup.body);
  for await (const conversation of client.conversations.search({
    field: 'contact_ids',
    operator: '=',
    value: lookup.contact_id,
  })) {
    if (!sameMoment(conversation.created_at, lookup.created_at, lookup.sent_at)) continue;
    if (normalizeBody(conversation.source?.body) === want) return conversation;
  }
  return undefined;
}

/** The part a reply would have added: same type, moment, body and (when known) author. Conversations and tickets alike. */
function replyAmong(
  parts: readonly ConversationPart[],
  lookup: Extract<OutcomeLookup, { kind: 'reply' | 'ticket_reply' }>,
): ConversationPart | undefined {
  const want = lookup.body === undefined ? undefined : normalizeBody(lookup.body);
  return parts.find(
    (part) =>
      part.part_type === lookup.part_type &&
      sameMoment(part.created_at, lookup.created_at, lookup.sent_at) &&
      (want === undefined || normalizeBody(part.body) === want) &&
      (lookup.author_id === undefined || part.author?.id == null || part.author.id === lookup.author_id),
  );
}

async function findReply(
  client: IntercomClient,
  lookup: Extract<OutcomeLookup, { kind: 'reply' }>,
): Promise<ConversationPart | undefined> {
  const conversation = await client.conversations.get(lookup.conversation_id);
  return replyAmong(conversation.conversation_parts?.conversation_parts ?? [], lookup);
}

async function findTicketReply(
  client: IntercomClient,
  lookup: Extract<OutcomeLookup, { kind: 'ticket_reply' }>,
): Promise<ConversationPart | undefined> {
  const ticket = await client.tickets.get(lookup.ticket_id);
  return replyAmong(ticket.ticket_parts?.ticket_parts ?? [], lookup);
}

/** The Intercom id of the contact a ticket create named (by id, external_id or email). */
async function ticketContactId(
  client: IntercomClient,
  contact: Extract<OutcomeLookup, { kind: 'ticket' }>['contact'],
): Promise<string | undefined> {
  if ('id' in contact) return contact.id;
  if ('external_id' in contact) return (await client.contacts.findByExternalId(contact.external_id))?.id;
  return (await firstOf(client.contacts.search({ field: 'email', operator: '=', value: contact.email }), () => true))
    ?.id;
}

async function findTicket(
  client: IntercomClient,
  lookup: Extract<OutcomeLookup, { kind: 'ticket' }>,
): Promise<Ticket | undefined> {
  const contactId = await ticketContactId(client, lookup.contact);
  if (contactId === undefined) return undefined;
  const query = {
    operator: 'AND' as const,
    value: [
      { field: 'contact_ids', operator: '=' as const, value: contactId },
      { field: 'ticket_type_id', operator: '=' as const, value: lookup.ticket_type_id },
    ],
  };
  return firstOf(
    client.tickets.search(query),
    (t) =>
      sameMoment(t.created_at, lookup.created_at, lookup.sent_at) &&
      (lookup.title === undefined || t.ticket_attributes?._default_title_ === lookup.title) &&
      Object.entries(lookup.attributes ?? {}).every(([name, value]) => t.ticket_attributes?.[name] === value),
  );
}

/** Assignee '0' (unassign) is met by no assignee, which Intercom reports as null or 0. */
const sameAssignee = (actual: string | null | undefined, wanted: string | undefined): boolean =>
  wanted === '0' ? actual == null || actual === '0' : actual === wanted;

async function findState(
  client: IntercomClient,
  lookup: Extract<OutcomeLookup, { kind: 'conversation_state' }>,
): Promise<Conversation | undefined> {
  const c = await client.conversations.get(lookup.conversation_id);
  const applied =
    lookup.action === 'close'
      ? c.state === 'closed'
      : lookup.action === 'open'
        ? c.state === 'open'
        : lookup.action === 'snoozed'
          ? c.state === 'snoozed'
          : sameAssignee(
              lookup.assignee_type === 'team' ? c.team_assignee_id : c.admin_assignee_id,
              lookup.assignee_id,
            );
  return applied ? c : undefined;
}

async function firstOf<T>(items: AsyncIterable<T>, match: (item: T) => boolean): Promise<T | undefined> {
  for await (const item of items) if (match(item)) return item;
  return undefined;
}

const sameParent = (actual: string | null | undefined, expected: string | number | null | undefined): boolean =>
  (actual ?? null) === (expected == null ? null : String(expected));

/** One lookup, without waiting for search to settle. */
async function findOnce(
  client: IntercomClient,
  lookup: OutcomeLookup,
): Promise<{ id: string; object: unknown } | undefined> {
  const hit = <T extends { id: string }>(o: T | undefined): { id: string; object: unknown } | undefined =>
    o === undefined ? undefined : { id: o.id, object: o };
  switch (lookup.kind) {
    case 'contact':
      return hit(await findContact(client, lookup));
    case 'company':
      return hit(await client.companies.findByCompanyId(lookup.company_id));
    case 'conversation':
      return hit(await findConversation(client, lookup));
    case 'reply':
      return hit(await findReply(client, lookup));
    case 'conversation_state':
      return hit(await findState(client, lookup));
    case 'ticket':
      return hit(await findTicket(client, lookup));
    case 'ticket_reply':
      return hit(await findTicketReply(client, lookup));
    case 'ticket_type':
      return hit((await client.ticketTypes.list()).find((t) => t.name.toLowerCase() === lookup.name.toLowerCase()));
    case 'ticket_type_attribute': {
      const type = await client.ticketTypes.get(lookup.ticket_type_id);
      return hit((type.ticket_type_attributes?.data ?? []).find((a) => a.name === lookup.name));
    }
    case 'tag': {
      const name = lookup.name.toLowerCase();
      return hit((await client.tags.list()).find((t) => t.name.toLowerCase() === name));
    }
    case 'attribute': {
      const found = (await client.dataAttributes.list(lookup.model, true)).find((a) => a.name === lookup.name);
      return found?.id == null ? undefined : { id: found.id, object: found };
    }
    case 'conversation_attribute':
      return hit((await client.dataAttributes.listConversationAttributes(true)).find((a) => a.name === lookup.name));
    case 'collection':
      return hit(
        await firstOf(
          client.helpCenter.listCollections(),
          (c) => c.name === lookup.name && sameParent(c.parent_id, lookup.parent_id),
        ),
      );
    case 'article':
      return hit(
        await firstOf(
          client.helpCenter.listArticles(),
          (a) =>
            a.title === lookup.title &&
            (lookup.parent_id == null ||
              sameParent(a.parent_id, lookup.parent_id) ||
              (a.parent_ids ?? []).includes(String(lookup.parent_id))),
        ),
      );
  }
}

/** Lookups that must wait for Intercom's search to settle before "not applied" can be concluded. */
function waitsForSearch(lookup: OutcomeLookup): boolean {
  if (lookup.kind === 'conversation' || lookup.kind === 'ticket') return true;
  if (lookup.kind !== 'contact') return false;
  const userByExternalId = lookup.external_id !== undefined && lookup.role !== 'lead';
  return !userByExternalId;
}

export async function resolveUnknown(
  client: IntercomClient,
  lookup: OutcomeLookup,
  options: ResolveOptions = {},
): Promise<Resolution> {
  const sleep = options.sleep ?? defaultSleep;
  if (!waitsForSearch(lookup)) {
    const found = await poll(() => findOnce(client, lookup), options.readSettleMs ?? 3_000, sleep);
    return found === undefined ? { applied: false } : { applied: true, ...found };
  }
  return resolveThroughSearch(client, lookup, options, sleep);
}

const indexOf = (lookup: OutcomeLookup): SearchIndex =>
  lookup.kind === 'conversation' ? 'conversations' : lookup.kind === 'ticket' ? 'tickets' : 'contacts';

/** Whether search returns every one of these objects (this client created them: they exist). */
async function searchShows(client: IntercomClient, index: SearchIndex, ids: string[]): Promise<boolean> {
  const query = {
    operator: 'OR' as const,
    value: ids.map((id) => ({ field: 'id', operator: '=' as const, value: id })),
  };
  const seen = new Set<string>();
  const results =
    index === 'conversations'
      ? client.conversations.search(query)
      : index === 'tickets'
        ? client.tickets.search(query)
        : client.contacts.search(query);
  for await (const hit of results) seen.add(hit.id);
  return ids.every((id) => seen.has(id));
}

async function resolveThroughSearch(
  client: IntercomClient,
  lookup: OutcomeLookup,
  options: ResolveOptions,
  sleep: (ms: number) => Promise<void>,
): Promise<Resolution> {
  const started = performance.now();
  const endedAt = options.endedAtMs ?? started;
  const budget = options.searchSettleMs ?? DEFAULT_SEARCH_SETTLE_MS;
  const inFlight = Math.min(budget, options.answeredByApp ? 0 : IN_FLIGHT_MS);
  for (let i = 0; ; i++) {
    const elapsed = performance.now() - started;
    const witnesses = elapsed >= inFlight ? client.transport.witnesses.sentSince(indexOf(lookup), endedAt) : [];
    // Witnesses first: search that showed them before it was asked for the write would show the write.
    const caughtUp =
      witnesses.length > 0 &&
      (await searchShows(
        client,
        indexOf(lookup),
        witnesses.map((w) => w.id),
      ));
    const found = await findOnce(client, lookup);
    if (found !== undefined) return { applied: true, ...found };
    if (caughtUp) return { applied: false };
    const step = POLL_STEPS_MS[Math.min(i, POLL_STEPS_MS.length - 1)] ?? 15_000;
    if (elapsed >= budget) {
      if (witnesses.length === 0) return { applied: false };
      // A witness sent a moment ago needs the index's usual lag before it shows: search is "behind"
      // only while it hides a witness sent a whole settle time ago.
      const newest = Math.max(...witnesses.map((w) => w.sentAtMs));
      const witnessAge = performance.now() - newest;
      if (witnessAge >= budget)
        throw new SearchBehindError({ request: `search for ${describeLookup(lookup)}`, waitedMs: elapsed });
      await sleep(Math.min(budget - witnessAge, step));
      continue;
    }
    await sleep(Math.min(budget - elapsed, inFlight > elapsed ? inFlight - elapsed : Infinity, step));
  }
}

/** Lookups asked in all when the lookup itself fails for a passing reason, and the pause before the next. */
export const LOOKUP_TRIES = 3;
export const LOOKUP_PAUSE_MS = 2_000;

/** A failure that says nothing about the object looked up: a 5xx, a lost connection, throttling. */
export const failsForAPassingReason = (error: unknown): boolean =>
  error instanceof ServerError || error instanceof NetworkError || error instanceof RateLimitedError;

/**
 * resolveUnknown, asked again when the lookup fails for a passing reason (a 5xx, a lost connection,
 * throttling that outlasted the client's retries): a lookup only reads, so asking again is free of
 * risk, and giving up leaves the record undecided for a later run. Other failures propagate at once.
 */
export async function resolvePatiently(
  client: IntercomClient,
  lookup: OutcomeLookup,
  options: ResolveOptions = {},
): Promise<Resolution> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await resolveUnknown(client, lookup, options);
    } catch (error) {
      if (attempt >= LOOKUP_TRIES || !failsForAPassingReason(error)) throw error;
      await sleep(LOOKUP_PAUSE_MS * attempt);
    }
  }
}

export type WriteResult<T> = { outcome: 'created'; value: T } | { outcome: 'existing'; id: string; object: unknown };

/**
 * Sends a non-idempotent write so that it is applied at most once: on OutcomeUnknownError it looks
 * the object up and only sends again when it was not applied. A 409 on a contact create counts as
 * "already there" (the existing id is in the error). When no lookup can decide (the lookup fails, or
 * every round ends unknown), OutcomeUndecidedError: never a guess. Other errors propagate.
 */
export async function writeAtMostOnce<T>(
  client: IntercomClient,
  write: () => Promise<T>,
  options: ResolveOptions & { maxRounds?: number; conflictIsExisting?: boolean } = {},
): Promise<WriteResult<T>> {
  const maxRounds = options.maxRounds ?? 5;
  // A create's 409 names the object already there; any other write's 409 is a refusal.
  const conflictIsExisting = options.conflictIsExisting ?? true;
  for (let round = 1; ; round++) {
    try {
      return { outcome: 'created', value: await write() };
    } catch (err) {
      if (conflictIsExisting && err instanceof ConflictError && err.existingId !== undefined)
        return { outcome: 'existing', id: err.existingId, object: undefined };
      if (!(err instanceof OutcomeUnknownError)) throw err;
      if (round >= maxRounds)
        throw new OutcomeUndecidedError({
          request: err.request,
          lookup: err.lookup,
          why: `${maxRounds} attempts ended without an answer`,
        });
      let resolution: Resolution;
      try {
        resolution = await resolvePatiently(client, err.lookup, {
          ...options,
          endedAtMs: performance.now(),
          answeredByApp: err.status === 500,
        });
      } catch (lookupError) {
        if (!(lookupError instanceof IntercomError)) throw lookupError;
        throw new OutcomeUndecidedError({
          request: err.request,
          lookup: err.lookup,
          why: `the lookup failed: ${lookupError.message}`,
          lookupError,
        });
      }
      if (resolution.applied) return { outcome: 'existing', id: resolution.id, object: resolution.object };
    }
  }
}
