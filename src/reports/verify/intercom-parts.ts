import type { Conversation } from '../../intercom';
import { wordsOfHtml } from './words';

/** One message of a conversation as Intercom holds it: its opening message (source) or a part. */
export interface PartView {
  id: string;
  /** 0 for the conversation's opening message, then the parts in Intercom's order. */
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

/** The conversation's opening message and its comment and note parts (assignment, close, open… carry no source text). */
export function partsOf(conversation: Conversation): PartView[] {
  const files = (list: NonNullable<NonNullable<Conversation['source']>['attachments']>) =>
    list.map((a) => ({ name: a.name ?? '', size: a.filesize ?? null, url: a.url ?? null }));
  const views: PartView[] = [];
  const source = conversation.source;
  const sourceBody = source?.body ?? '';
  views.push({
    id: String(conversation.id),
    position: 0,
    partType: 'source',
    authorType: source?.author?.type ?? null,
    authorId: source?.author?.id ?? null,
    authorEmail: source?.author?.email ?? null,
    createdAt: conversation.created_at,
    text: sourceBody,
    words: wordsOfHtml(sourceBody),
    attachments: files(source?.attachments ?? []),
  });
  for (const [i, p] of (conversation.conversation_parts?.conversation_parts ?? []).entries()) {
    if (p.part_type !== 'comment' && p.part_type !== 'note') continue;
    const body = p.body ?? '';
    views.push({
      id: p.id,
      position: i + 1,
      partType: p.part_type,
      authorType: p.author?.type ?? null,
      authorId: p.author?.id ?? null,
      authorEmail: p.author?.email ?? null,
      createdAt: p.created_at,
      text: body,
      words: wordsOfHtml(body),
      attachments: files(p.attachments ?? []),
    });
  }
  return views;
}

export const isContactAuthor = (type: string | null): boolean =>
  type === 'user' || type === 'lead' || type === 'contact';
