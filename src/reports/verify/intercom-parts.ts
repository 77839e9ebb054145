import type { Conversation, Ticket } from '../../intercom';
import { wordsOfHtml } from './words';

/** One message of a conversation as Intercom holds it: its opening message (source) or a part. */
export interface PartView {
  id: string;
  /** 0 for the conversation's opening message, then the parts in Intercom's order (a ticket's parts from 0). */
  position: number;
  /** `source` for the opening message; else Intercom's part_type (comment, note, assignment…). */
  partType: string;
  authorType: string | null;
  authorId: string | null;
  authorEmail: string | null;
  createdAt: number;
  /** Intercom's body is HTML: read as a browser would show it. */
  text: string;
  words: string[];
  attachments: { name: string; size: number | null; url: string | null }[];
}

type Part = NonNullable<NonNullable<Conversation['conversation_parts']>['conversation_parts']>[number];
type Files = NonNullable<NonNullable<Conversation['source']>['attachments']>;

const filesOf = (list: Files): PartView['attachments'] =>
  list.map((a) => ({ name: a.name ?? '', size: a.filesize ?? null, url: a.url ?? null }));

/** A comment or note part (conversation or ticket: the same shape); undefined for the others (assignment, close…). */
function partView(p: Part, position: number): PartView | undefined {
  if (p.part_type !== 'comment' && p.part_type !== 'note') return undefined;
  const body = p.body ?? '';
  return {
    id: p.id,
    position,
    partType: p.part_type,
    authorType: p.author?.type ?? null,
    authorId: p.author?.id ?? null,
    authorEmail: p.author?.email ?? null,
    createdAt: p.created_at,
    text: body,
    words: wordsOfHtml(body),
    attachments: filesOf(p.attachments ?? []),
  };
}

/** The conversation's opening message and its comment and note parts (assignment, close, open… carry no source text). */
export function partsOf(conversation: Conversation): PartView[] {
  const source = conversation.source;
  const sourceBody = source?.body ?? '';
  const views: PartView[] = [
    {
      id: String(conversation.id),
      position: 0,
      partType: 'source',
      authorType: source?.author?.type ?? null,
      authorId: source?.author?.id ?? null,
      authorEmail: source?.author?.email ?? null,
      createdAt: conversation.created_at,
      text: sourceBody,
      words: wordsOfHtml(sourceBody),
      attachments: filesOf(source?.attachments ?? []),
    },
  ];
  for (const [i, p] of (conversation.conversation_parts?.conversation_parts ?? []).entries()) {
    const view = partView(p, i + 1);
    if (view) views.push(view);
  }
  return views;
}

/** An Intercom ticket's comment and note parts: a ticket has no opening message, its first message is a part. */
export function ticketPartsOf(ticket: Ticket): PartView[] {
  return (ticket.ticket_parts?.ticket_parts ?? []).flatMap((p, i) => partView(p, i) ?? []);
}

export const isContactAuthor = (type: string | null): boolean =>
  type === 'user' || type === 'lead' || type === 'contact';
