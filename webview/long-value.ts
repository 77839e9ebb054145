/** The length a preview shows of a value before a reviewer asks for the rest. */
export const SHOWN_CHARACTERS = 240;

/**
 * The start of a long value, cut at a word where one is near the limit; null when the value is short
 * enough to show whole. Counted in code points, so a cut never splits an emoji or other surrogate pair.
 */
export function cutText(text: string, limit = SHOWN_CHARACTERS): { head: string; total: number } | null {
  const chars = Array.from(text);
  if (chars.length <= limit) return null;
  let head = chars.slice(0, limit).join('');
  // Back to the last space when it is close: a whole word reads better than half of one.
  const space = head.search(/\s\S*$/);
  if (space > limit * 0.8) head = head.slice(0, space);
  return { head: head.trimEnd(), total: chars.length };
}
