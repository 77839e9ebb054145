import { confirmMap, contentHash } from '../mapping/review';
import type { MappingFile } from '../model/mapping';
import type { Ctx } from './context';

/**
 * Asks who confirms the map, then a modal confirmation naming the content hash: a map is never
 * stamped by a stray click. Returns the stamped map, or undefined when the person backed out.
 */
export async function askToConfirmMap(ctx: Ctx, map: MappingFile, level: 'reviewed' | 'approved'): Promise<MappingFile | undefined> {
  const reviewer = await ctx.prompts.input({
    prompt: 'Your name: the map records who confirmed it',
    value: map.review.approved?.by ?? map.review.reviewed?.by ?? '',
    validateInput: (v) => (v.trim() ? undefined : 'A name is required'),
  });
  if (!reviewer) return undefined;
  const hash = contentHash(map);
  const fields = Object.values(map.objects).reduce((n, o) => n + (o.enabled ? o.fields.length : 0), 0);
  const unreviewed = Object.values(map.objects).reduce((n, o) => n + (o.enabled ? o.fields.filter((f) => !f.reviewed).length : 0), 0);
  const objects = Object.values(map.objects).filter((o) => o.enabled).length;
  const action = level === 'approved' ? 'Approved' : 'Reviewed';
  const ok = await ctx.prompts.confirm(
    `Mark mapping.json ${level} as "${reviewer}"?`,
    `Content ${hash.slice(0, 12)}: ${objects} object types, ${fields} field mappings${unreviewed ? `, ${unreviewed} not accepted one by one` : ''}. ${level === 'approved' ? 'Full and delta runs will be allowed.' : 'Sample runs will be allowed.'} Any later edit needs a new confirmation.`,
    action,
  );
  return ok ? confirmMap(map, level, reviewer, ctx.clock) : undefined;
}
