/** The message of anything thrown: an Error's own message, else the value as text (a thrown string, a rejected non-Error). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
