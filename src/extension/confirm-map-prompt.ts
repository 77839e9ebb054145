import * as vscode from 'vscode';

import { confirmMap, contentHash } from '../mapping/review';
import type { MappingFile } from '../model/mapping';
import type { Ctx } from './context';

/** Field mappings of enabled objects that nobody accepted one by one yet. */
function unacceptedFields(map: MappingFile): number {
  return Object.values(map.objects).reduce(
    (n, o) => n + (o.enabled ? o.fields.filter((f) => !f.reviewed).length : 0),
    0,
  );
}

/**
 * Asks who confirms the map, then a modal confirmation naming the content hash: a map is never
 * stamped by a stray click. An approval with fields nobody accepted says so first, with the way to
 * review them. Returns the stamped map, or undefined when the person backed out.
 */
export async function askToConfirmMap(
  ctx: Ctx,
  map: MappingFile,
  level: 'reviewed' | 'approved',
): Promise<MappingFile | undefined> {
  const unreviewed = unacceptedFields(map);
  if (level === 'approved' && unreviewed > 0) {
    const review = {
      label: 'Review Them First',
      description: 'open the field map; approve once each field is accepted or dropped',
    };
    const anyway = { label: 'Approve Anyway', description: 'I have read every proposal, accepted or not' };
    const choice = await ctx.prompts.pick([review, anyway], {
      title: `${unreviewed} field mapping(s) not accepted yet`,
      placeHolder: 'Approving allows full and delta runs with the map as it stands',
    });
    if (choice !== anyway) {
      if (choice === review) await vscode.commands.executeCommand('st2ic.openMapping');
      return undefined;
    }
  }
  const reviewer = await ctx.prompts.input({
    title: level === 'approved' ? 'Approve the Field Map' : 'Mark the Field Map Reviewed',
    prompt: 'Your name: the map records who confirmed it',
    placeHolder: 'Your name, e.g. Dana Reviewer',
    value: map.review.approved?.by ?? map.review.reviewed?.by ?? '',
    validateInput: (v) => (v.trim() ? undefined : 'A name is required'),
  });
  if (!reviewer) return undefined;
  const hash = contentHash(map);
  const fields = Object.values(map.objects).reduce((n, o) => n + (o.enabled ? o.fields.length : 0), 0);
  const objects = Object.values(map.objects).filter((o) => o.enabled).length;
  const action = level === 'approved' ? 'Approved' : 'Reviewed';
  const ok = await ctx.prompts.confirm(
    `Mark mapping.json ${level} as "${reviewer}"?`,
    `Content ${hash.slice(0, 12)}: ${objects} object types, ${fields} field mappings${unreviewed ? `, ${unreviewed} not accepted one by one` : ''}. ${level === 'approved' ? 'Full and delta runs will be allowed.' : 'Sample runs will be allowed.'} Any later edit needs a new confirmation.`,
    action,
  );
  return ok ? confirmMap(map, level, reviewer, ctx.clock) : undefined;
}
