/** The message of anything thrown: an Error's own message, else the value as text (a thrown string, a rejected non-Error). */
export function messageOf(error: unknown): string {
  // eslint-disable-next-line no-restricted-syntax -- the one place that reads it (eslint.config.mjs: ERROR_RULES)
  return error instanceof Error ? error.message : String(error);
}

/** Whether a file-system error says the path does not exist (ENOENT), the one failure callers treat as "nothing there". */
export function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
