import type { MappingFile } from '../../model/mapping';
import type { ObjectType } from '../../model/object-types';
import { type Attachment, attachmentSourceId, type TicketThread } from '../../model/source';
import { fileDifferences } from './check-files';
import { type Customer, itemDifferences, type SourceItem } from './check-items';
import type { PartView } from './intercom-parts';
import { adminOfAgent, type SourceContext, teamOfDepartment } from './source-context';
import { secondsOf } from './source-values';
import type { FetchFile, Findings } from './types';
import { wordsOfHtml, wordsOfText } from './words';

/**
 * What a conversation and an Intercom ticket are checked alike by: the source items (messages,
 * comments, chat lines) against the parts the ledger says they became, the files, the assignment.
 */

/** What the conversation and ticket checks need besides the records. */
export interface ConversationEnv {
  map: MappingFile;
  ctx: SourceContext;
  findings: Findings;
  /** The Intercom id the ledger recorded for a source record (current state), when it was migrated. */
  migratedId(objectType: ObjectType, sourceId: string): string | undefined;
  fetchFile?: FetchFile;
}

export interface Owner {
  objectType: ObjectType;
  sourceId: string;
  intercomId: string;
}

export const seconds = (iso: string | null): number | null => (iso === null ? null : secondsOf(iso));

export const isoOf = (s: number): string => new Date(s * 1000).toISOString();

function textWords(html: string | null, text: string | null): string[] {
  return html && html.trim() !== '' ? wordsOfHtml(html) : wordsOfText(text ?? '');
}

/**
 * A ticket's non-draft messages and its comments, in source order. `inbound`: how a customer's
 * message reads in Intercom (a contact's reply, or an admin note where contacts cannot reply).
 */
export function ticketItems(thread: TicketThread, inbound: 'customer' | 'customer-note'): SourceItem[] {
  const items: SourceItem[] = [];
  for (const i of thread.items) {
    if (i.kind === 'comment') {
      items.push({
        objectType: 'ticketComments',
        sourceId: String(i.id),
        words: wordsOfText(i.text ?? ''),
        createdAt: seconds(i.date),
        author: { kind: 'note', agentId: i.authorUserId },
      });
    } else if (!i.draft) {
      const author =
        i.direction === 'inbound'
          ? { kind: inbound }
          : i.direction === 'outbound'
            ? { kind: 'agent' as const, agentId: i.fromUserId }
            : { kind: 'unknown' as const };
      items.push({
        objectType: 'ticketMessages',
        sourceId: String(i.id),
        words: textWords(i.bodyHtml, i.bodyText),
        createdAt: seconds(i.date),
        author,
      });
    }
  }
  return items;
}

/** The files a ticket's thread carries: its non-draft messages', then those of no message. */
export const ticketFiles = (thread: TicketThread): Attachment[] => [
  ...thread.items.flatMap((i) => (i.kind === 'message' && !i.draft ? i.attachments : [])),
  ...thread.looseAttachments,
];

/**
 * Checks every source item against the part the ledger says it became, and that they keep the
 * source's order. `contacts`: the conversation's or ticket's contacts (to recognise the customer).
 */
export function checkItems(
  env: ConversationEnv,
  owner: Owner & { container: 'conversation' | 'ticket' },
  items: SourceItem[],
  parts: readonly PartView[],
  contacts: readonly { id: string; external_id?: string | null | undefined }[],
  customer: Customer,
): void {
  const byId = new Map(parts.map((p) => [p.id, p]));
  const external = new Map(contacts.map((c) => [c.id, c.external_id ?? null]));
  const placed = items.map((item) => ({ item, id: env.migratedId(item.objectType, item.sourceId) }));
  const uses = new Map<string, number>();
  for (const p of placed) if (p.id) uses.set(p.id, (uses.get(p.id) ?? 0) + 1);
  let lastPosition = -1;
  let outOfOrder: { item: SourceItem; part: PartView } | undefined;
  for (const { item, id } of placed) {
    if (id === undefined) continue; // skipped or failed: the reconciliation counts it
    env.findings.checked(item.objectType, item.sourceId);
    const part = byId.get(id);
    const differ = (field: string, source: string, intercom: string) =>
      env.findings.differ({
        objectType: item.objectType,
        sourceId: item.sourceId,
        intercomId: id,
        field,
        source,
        intercom,
      });
    if (!part) {
      const where = owner.container;
      differ('(record)', `a message of ${where} ${owner.intercomId}`, `no comment or note ${id} in the ${where}`);
      continue;
    }
    const shared = (uses.get(id) ?? 0) > 1;
    for (const d of itemDifferences(env.ctx, item, part, shared, customer, (cid) =>
      cid === null ? undefined : external.get(cid),
    ))
      differ(d.field, d.source, d.intercom);
    if (part.position < lastPosition && !outOfOrder) outOfOrder = { item, part };
    lastPosition = Math.max(lastPosition, part.position);
  }
  if (outOfOrder) {
    env.findings.differ({
      objectType: owner.objectType,
      sourceId: owner.sourceId,
      intercomId: owner.intercomId,
      field: 'order',
      source: `${outOfOrder.item.objectType}:${outOfOrder.item.sourceId} after the items before it`,
      intercom: `${outOfOrder.part.partType === 'source' ? 'the opening message' : `part ${outOfOrder.part.id}`}, before them`,
    });
  }
}

/**
 * Every migrated file is on one of the parts with its name, size and content. `dated`: the time the
 * part carrying it must have (a ticket file rides with its message: on it, or on a note of its time).
 */
export async function checkFiles(
  env: ConversationEnv,
  files: readonly Attachment[],
  parts: readonly PartView[],
  dated?: (att: Attachment) => number | null,
): Promise<void> {
  for (const att of files) {
    if (att.deleted) continue;
    const sourceId = attachmentSourceId(att);
    const id = env.migratedId('attachments', sourceId);
    if (id === undefined) continue;
    env.findings.checked('attachments', sourceId);
    const differ = (field: string, source: string, intercom: string) =>
      env.findings.differ({ objectType: 'attachments', sourceId, intercomId: id, field, source, intercom });
    const check = await fileDifferences(att, parts, id, env.fetchFile);
    for (const d of check.differences) differ(d.field, d.source, d.intercom);
    if (!check.contentCompared && check.differences.length === 0)
      env.findings.unchecked('attachments', 'content (Intercom did not serve the file)');
    const at = dated?.(att) ?? null;
    const carrier = parts.find((p) => p.id === id);
    // Past Intercom's part cap a message rides in a transcript note dated by its first message: the
    // transcript then names this message's time in its text, as items folded into it are checked.
    const inTranscript = at !== null && carrier !== undefined && carrier.text.includes(isoOf(at).slice(0, 19));
    if (at !== null && check.differences.length === 0 && carrier && carrier.createdAt !== at && !inTranscript)
      differ('part created_at', `${isoOf(at)} (its message's)`, `${isoOf(carrier.createdAt)} (part ${carrier.id})`);
  }
}

/** The admin and team the source's agent and department are in Intercom, where Intercom has them. */
export function assignmentDifferences(
  env: ConversationEnv,
  owner: Owner & { objectType: 'tickets' | 'liveChats' | 'callLogs' },
  assigned: { admin_assignee_id?: string | null | undefined; team_assignee_id?: string | null | undefined },
  expect: { agentId: number | null; departmentId: number | null },
): void {
  const differ = (field: string, source: string, intercom: string) =>
    env.findings.differ({ ...owner, field, source, intercom });
  const admin = adminOfAgent(env.ctx, expect.agentId);
  if (admin !== undefined && String(assigned.admin_assignee_id ?? '') !== admin)
    differ(
      'admin_assignee_id',
      `admin ${admin} (agent ${expect.agentId})`,
      String(assigned.admin_assignee_id ?? '(none)'),
    );
  const teamTarget = env.map.objects[owner.objectType].fields.some(
    (f) => f.target.kind === 'team' && f.source === 'departmentName',
  );
  const team = teamTarget ? teamOfDepartment(env.ctx, env.map.valueMaps.teams, expect.departmentId) : undefined;
  if (team !== undefined && String(assigned.team_assignee_id ?? '') !== team)
    differ(
      'team_assignee_id',
      `team ${team} (department ${expect.departmentId})`,
      String(assigned.team_assignee_id ?? '(none)'),
    );
}
