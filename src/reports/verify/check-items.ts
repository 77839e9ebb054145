import type { ObjectType } from '../../model/object-types';
import { isContactAuthor, type PartView } from './intercom-parts';
import type { SourceContext } from './source-context';
import { adminOfAgent } from './source-context';
import { wordGap, wordsOfText } from './words';

/** One source message, comment or chat line, and how it should read in Intercom. */
export interface SourceItem {
  objectType: ObjectType;
  sourceId: string;
  /** The words the source shows. */
  words: string[];
  /** Seconds; null when the source has no date (then not compared). */
  createdAt: number | null;
  /** Who wrote it: the customer (a contact's reply or the opening message), an agent (an admin's reply), or an internal note. */
  author:
    | { kind: 'customer' }
    | { kind: 'agent'; agentId: number | null }
    | { kind: 'note'; agentId: number | null }
    /** A customer message on an Intercom ticket contacts cannot reply to (Back-office, Tracker): an admin note headed as the customer's. */
    | { kind: 'customer-note' }
    | { kind: 'unknown' };
}

/** Who the conversation's customer is in the source, to recognise them in Intercom. */
export interface Customer {
  userId: number | null;
  email: string | null;
}

export interface ItemDifference {
  field: string;
  source: string;
  intercom: string;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** The customer is the author when the contact's external id is their user id, or its email theirs. */
export function isCustomer(
  ctx: SourceContext,
  customer: Customer,
  part: Pick<PartView, 'authorEmail'>,
  externalIdOf: (contactId: string | null) => string | null | undefined,
  contactId: string | null,
): boolean {
  if (customer.userId !== null && externalIdOf(contactId) === String(customer.userId)) return true;
  const emails = [customer.email, customer.userId !== null ? (ctx.users.get(customer.userId)?.email ?? null) : null]
    .filter((e): e is string => !!e && e.trim() !== '')
    .map((e) => e.trim().toLowerCase());
  if (emails.length === 0) return customer.userId === null;
  return part.authorEmail !== null && emails.includes(part.authorEmail.trim().toLowerCase());
}

/**
 * Compares one source item with the Intercom message the ledger says it became. `shared`: the part
 * also holds other source items (a transcript folded past Intercom's part cap), so its date and
 * author are the transcript's; the item's own date must then be written in its text.
 */
export function itemDifferences(
  ctx: SourceContext,
  item: SourceItem,
  part: PartView,
  shared: boolean,
  customer: Customer,
  externalIdOf: (contactId: string | null) => string | null | undefined,
): ItemDifference[] {
  const out: ItemDifference[] = [];
  const gap = wordGap(item.words, part.words);
  if (gap) {
    out.push({
      field: 'text',
      source: `${gap.missing} of ${gap.total} word(s) missing, first: ${gap.firstMissing}`,
      intercom: gap.intercomContext,
    });
  }
  if (item.createdAt !== null) {
    if (shared) {
      const stamp = iso(item.createdAt).slice(0, 19);
      if (!part.text.includes(stamp))
        out.push({
          field: 'created_at',
          source: iso(item.createdAt),
          intercom: `not in the transcript of part ${part.id}`,
        });
    } else if (part.createdAt !== item.createdAt) {
      out.push({ field: 'created_at', source: iso(item.createdAt), intercom: iso(part.createdAt) });
    }
  }
  if (shared) return out;
  const a = item.author;
  const by = `${part.authorType ?? '?'} ${part.authorId ?? '?'}`;
  if (a.kind === 'customer') {
    if (part.partType === 'note') out.push({ field: 'kind', source: 'customer message', intercom: 'note' });
    if (!isContactAuthor(part.authorType)) out.push({ field: 'author', source: 'the customer', intercom: by });
    else if (!isCustomer(ctx, customer, part, externalIdOf, part.authorId))
      out.push({
        field: 'author',
        source: customerLabel(ctx, customer),
        intercom: `${by} (${part.authorEmail ?? 'no email'})`,
      });
  } else if (a.kind === 'customer-note') {
    if (part.partType !== 'note' || part.authorType !== 'admin')
      out.push({ field: 'kind', source: 'customer message as an admin note', intercom: `${part.partType} by ${by}` });
    // Its heading comes before the message's own words: whatever it says, it names the customer.
    const heading = part.words.slice(0, Math.max(0, part.words.length - item.words.length));
    if (!heading.some((w) => w.toLowerCase() === 'customer'))
      out.push({
        field: 'heading',
        source: 'a heading naming it a customer message',
        intercom: heading.join(' ') || '(no heading)',
      });
  } else if (a.kind === 'agent' || a.kind === 'note') {
    const wantType = a.kind === 'note' ? 'note' : 'comment';
    if (part.partType !== wantType)
      out.push({
        field: 'kind',
        source: a.kind === 'note' ? 'note' : 'agent message',
        intercom: part.partType === 'source' ? "the customer's opening message" : part.partType,
      });
    const admin = adminOfAgent(ctx, a.agentId);
    if (part.authorType !== 'admin') out.push({ field: 'author', source: agentLabel(ctx, a.agentId), intercom: by });
    else if (admin !== undefined && part.authorId !== admin)
      out.push({ field: 'author', source: `${agentLabel(ctx, a.agentId)} = admin ${admin}`, intercom: by });
    else if (admin === undefined && a.agentId !== null) {
      // No admin has the agent's email: another admin writes it, and the text must say who sent it.
      const who = ctx.agents.get(a.agentId);
      const names = [who?.name, who?.email].filter((n): n is string => !!n).map((n) => wordsOfText(n));
      if (names.length && !names.some((n) => wordGap(n, part.words) === null))
        out.push({
          field: 'author',
          source: agentLabel(ctx, a.agentId),
          intercom: `${by}, and the text does not name the agent`,
        });
    }
  }
  return out;
}

function agentLabel(ctx: SourceContext, agentId: number | null): string {
  if (agentId === null) return 'an agent';
  const a = ctx.agents.get(agentId);
  return `agent ${agentId}${a?.email ? ` <${a.email}>` : ''}`;
}

function customerLabel(ctx: SourceContext, c: Customer): string {
  const email = c.email ?? (c.userId !== null ? ctx.users.get(c.userId)?.email : null);
  return `${c.userId !== null ? `user ${c.userId}` : 'the customer'}${email ? ` <${email}>` : ''}`;
}
