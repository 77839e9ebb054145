/**
 * Intercom is the ledger's second memory: every conversation the engine creates carries the key of
 * its SmarterTrack record in this conversation attribute (contacts carry theirs as external_id,
 * companies as company_id). A lost or damaged ledger is rebuilt from these keys, never by writing again.
 */
export const SOURCE_KEY_ATTRIBUTE = 'st2ic_source_key';

const PREFIX = { tickets: 'ticket', liveChats: 'chat', callLogs: 'call' } as const;
export type ConversationSourceType = keyof typeof PREFIX;

/** `ticket:1234`, `chat:55`, `call:9`. */
export function conversationSourceKey(objectType: ConversationSourceType, sourceId: string): string {
  return `${PREFIX[objectType]}:${sourceId}`;
}

export function parseConversationSourceKey(
  key: unknown,
): { objectType: ConversationSourceType; sourceId: string } | undefined {
  if (typeof key !== 'string') return undefined;
  const match = /^(ticket|chat|call):(\d+)$/.exec(key.trim());
  if (!match) return undefined;
  const objectType = (Object.keys(PREFIX) as ConversationSourceType[]).find((t) => PREFIX[t] === match[1]);
  return objectType ? { objectType, sourceId: match[2]! } : undefined;
}

const VISITOR_PREFIX = 'st-visitor-';

/** external_id of a contact made for a conversation customer who is no migrated end user (a hash of its email or anonymous key). */
export function visitorExternalId(keyHash: string): string {
  return `${VISITOR_PREFIX}${keyHash}`;
}

/** True for a contact this tool made for a conversation customer: it is the migration's own, never one that was there before. */
export function isVisitorExternalId(externalId: string | null | undefined): boolean {
  return typeof externalId === 'string' && externalId.startsWith(VISITOR_PREFIX);
}

/**
 * Intercom tickets carry the same key in a ticket type attribute of this name, which `configure` adds
 * to every ticket type the map uses (hidden from customers). It is set in the create itself, so a
 * ticket is never in Intercom without its key.
 * @alias of SOURCE_KEY_ATTRIBUTE: one name, two places (knip reports no duplicate export).
 */
export const TICKET_SOURCE_KEY_ATTRIBUTE = SOURCE_KEY_ATTRIBUTE;
