/**
 * An Intercom attribute name from a SmarterTrack field name. Intercom takes letters, digits, currency
 * symbols, spaces, underscores and hyphens; anything else becomes a space.
 */
export function attributeNameFor(displayName: string | null, fieldId: number): string {
  const cleaned = (displayName ?? '')
    .replace(/[^\p{L}\p{N}\p{Sc} _-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150)
    .trim();
  return cleaned === '' ? `SmarterTrack field ${fieldId}` : cleaned;
}
