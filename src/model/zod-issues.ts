import type { z } from 'zod';

/**
 * What a zod error says, one issue a line: `<path>: <message>`, the path dotted as the messages have
 * always named it (`fields.2.target`; `(root)` for the value itself). At most `limit` issues, then how
 * many more. (z.prettifyError says the same over two lines an issue.)
 */
export function zodIssueLines(error: z.ZodError, limit = Infinity): string[] {
  const lines = error.issues.slice(0, limit).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  const more = error.issues.length - lines.length;
  return more > 0 ? [...lines, `and ${more} more`] : lines;
}

/** The same on one line (messages, logs, exit lines): issues separated by `; `. */
export function zodIssues(error: z.ZodError, limit = Infinity): string {
  return zodIssueLines(error, limit).join('; ');
}
