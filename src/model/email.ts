/**
 * Email addresses as st2ic reads them: surrounding spaces are not part of an address (SmarterTrack
 * forms keep what was typed), and addresses are compared without regard to case, as Intercom does.
 */
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;

/** Whether Intercom will take this (already trimmed) value as a contact's email. */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

/** The address as sent: trimmed. Empty → null. */
export function trimEmail(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
