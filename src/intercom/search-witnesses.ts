/**
 * Evidence that Intercom's search has caught up with a moment of this run.
 *
 * A create whose outcome is unknown and that only search can find (a conversation, a lead) is "not
 * applied" once search would show it if it were. A fixed wait guesses that moment; a witness proves
 * it: an object this client created, whose create was sent after the unknown write had ended, and that
 * search now returns. Search indexes a workspace's writes in order, so an index that shows a later
 * write shows the earlier one too. While a witness stays invisible, search is demonstrably behind and
 * "not applied" cannot be concluded, however long the fixed wait was.
 */
export type SearchIndex = 'contacts' | 'conversations' | 'tickets';

export interface Witness {
  id: string;
  /** performance.now() when its create was sent. */
  sentAtMs: number;
}

/** How many witnesses one decision asks search for (one suffices in order; more survive reordering). */
const WITNESSES_PER_DECISION = 3;
/** Kept per index: enough for every unknown outcome of the last minutes at the rate limit. */
const KEPT = 4_000;

export class SearchWitnesses {
  private readonly byIndex: Record<SearchIndex, Witness[]> = { contacts: [], conversations: [], tickets: [] };

  /** A create that Intercom answered with the object: `sentAtMs` is when the request left. */
  record(index: SearchIndex, id: string, sentAtMs: number): void {
    const list = this.byIndex[index];
    list.push({ id, sentAtMs });
    if (list.length > KEPT) list.splice(0, list.length - KEPT);
  }

  /** Up to `count` objects whose create was sent at or after `sinceMs`, earliest first (the same ones on every call once there are `count`). */
  sentSince(index: SearchIndex, sinceMs: number, count = WITNESSES_PER_DECISION): Witness[] {
    return this.byIndex[index]
      .filter((w) => w.sentAtMs >= sinceMs)
      .sort((a, b) => a.sentAtMs - b.sentAtMs)
      .slice(0, count);
  }
}
