import type { Attachment, ThreadItem, Ticket, TicketComment, TicketMessage, TicketThread } from '../../model/source';

export interface TicketGroups<R> {
  /** Rows of this ticket; rows of lower ticket ids (no such ticket) are skipped. Call with ascending ids. */
  take(ticketId: number): Promise<R[]>;
  close(): Promise<void>;
}

/** Reads a stream ordered by ticket id one ticket at a time (one half of a merge-join). */
export function groupByTicket<R>(rows: AsyncIterable<R>, ticketOf: (row: R) => number): TicketGroups<R> {
  const iterator = rows[Symbol.asyncIterator]();
  let pending: R | undefined;
  let done = false;
  return {
    async take(ticketId) {
      const out: R[] = [];
      for (;;) {
        if (pending === undefined) {
          if (done) return out;
          const next = await iterator.next();
          if (next.done) {
            done = true;
            return out;
          }
          pending = next.value;
        }
        const id = ticketOf(pending);
        if (id > ticketId) return out;
        if (id === ticketId) out.push(pending);
        pending = undefined;
      }
    },
    async close() {
      if (!done) await iterator.return?.();
    },
  };
}

/**
 * A ticket's timeline: messages (carrying their attachments) and comments sorted by time; on equal
 * times messages come first, then by id. Undated items go last.
 */
export function buildThread(
  ticket: Ticket,
  messages: TicketMessage[],
  comments: TicketComment[],
  attachments: Attachment[],
): TicketThread {
  const byMessage = new Map<number, Attachment[]>();
  for (const a of attachments) {
    if (a.messageId === null) continue;
    const list = byMessage.get(a.messageId) ?? [];
    list.push(a);
    byMessage.set(a.messageId, list);
  }
  const messageIds = new Set(messages.map((m) => m.id));
  const items: ThreadItem[] = [
    ...messages.map((m) => ({
      ...m,
      kind: 'message' as const,
      attachments: (byMessage.get(m.id) ?? []).sort((x, y) => x.id - y.id),
    })),
    ...comments.map((c) => ({ ...c, kind: 'comment' as const })),
  ];
  items.sort((x, y) => {
    if (x.date !== y.date) {
      if (x.date === null) return 1;
      if (y.date === null) return -1;
      return x.date < y.date ? -1 : 1;
    }
    if (x.kind !== y.kind) return x.kind === 'message' ? -1 : 1;
    return x.id - y.id;
  });
  const looseAttachments = attachments.filter((a) => a.messageId === null || !messageIds.has(a.messageId));
  return { ticket, items, looseAttachments };
}
