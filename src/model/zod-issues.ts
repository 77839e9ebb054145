import { z } from 'zod';

/**
 * What a zod error says, one issue a line: `<path>: <message>`, the path as z.prettifyError prints it
 * (`fields[2].target`; `(root)` for the value itself). At most `limit` issues, then how many more.
 */
export function zodIssueLines(error: z.ZodError, limit = Infinity): string[] {
  const lines = error.issues.slice(0, limit).map((i) => `${z.core.toDotPath(i.path) || '(root)'}: ${i.message}`);
  const more = error.issues.length - lines.length;
  return more > 0 ? [...lines, `and ${more} more`] : lines;
}

/** The same on one line (messages, logs, exit lines): issues separated by `; `. */
export function zodIssues(error: z.ZodError, limit = Infinity): string {
  return zodIssueLines(error, limit).join('; ');
}
