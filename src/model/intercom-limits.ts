/** Intercom keeps at most this many parts in one conversation (API 2.16). */
export const MAX_CONVERSATION_PARTS = 500;

/**
 * Opening words of the note that carries a conversation's tail past the part cap. The engine writes
 * it; reconciliation recognises it, so folded messages count as present.
 */
export const FOLDED_TRANSCRIPT_MARKER = 'Messages of the original conversation past Intercom\'s part limit';
