import type { SourceReader } from '../source';
import type { PeopleScope } from './phases/people';
import type { ConversationScope } from './phases/tickets';

/**
 * The people a run migrates: duplicate e-mail addresses folded onto the lowest user id, and the
 * customers of the conversations in scope; a sample also limits users and companies to those.
 */
export async function peopleScope(
  reader: SourceReader,
  selection: ConversationScope | undefined,
  includeDeleted: boolean,
  includeSpam: boolean,
): Promise<PeopleScope> {
  const aliases = new Map<number, number>();
  for await (const group of reader.insights.duplicateEmails()) {
    const [keep, ...rest] = [...group.userIds].sort((a, b) => a - b);
    for (const id of rest) if (keep !== undefined) aliases.set(id, keep);
  }
  const referenced = new Set<number>();
  const add = (id: number | null) => id !== null && referenced.add(aliases.get(id) ?? id);
  for await (const t of reader.tickets()) {
    if (selection?.ticketIds && !selection.ticketIds.has(t.id)) continue;
    if ((t.deleted && !includeDeleted) || (t.spam && !includeSpam)) continue;
    add(t.customerUserId);
  }
  for await (const c of reader.liveChats())
    if (!selection?.chatIds || selection.chatIds.has(c.id)) add(c.customerUserId);
  for await (const c of reader.callLogs())
    if (!selection?.callLogIds || selection.callLogIds.has(c.id)) add(c.customerUserId);
  const organizationsOf = new Map<number, number[]>();
  const organizationIds = new Set<number>();
  for await (const m of reader.organizationMemberships()) {
    const user = aliases.get(m.userId) ?? m.userId;
    const list = organizationsOf.get(user) ?? [];
    if (!list.includes(m.organizationId)) list.push(m.organizationId);
    organizationsOf.set(user, list);
    if (referenced.has(user)) organizationIds.add(m.organizationId);
  }
  if (!selection) return { aliases, referenced, organizationsOf };
  return { aliases, referenced, userIds: referenced, organizationIds, organizationsOf };
}
