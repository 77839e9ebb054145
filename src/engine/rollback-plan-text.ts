import type { RollbackPlan } from './rollback';

/**
 * What a resource is called in the plan: SmarterTrack tickets become conversations or Intercom
 * tickets, so the second are named as such (never just "tickets"); others by their name in words.
 */
const NOUNS: Partial<Record<string, string>> = { ticket: 'Intercom ticket' };
const nounOf = (resource: string): string => NOUNS[resource] ?? resource.replace(/_/g, ' ');

/**
 * The rollback plan in sentences: what the confirmation says before anything is undone, the same
 * words in the editor's dialog and on the command line.
 */
export function rollbackPlanSentences(plan: RollbackPlan): string[] {
  const lines: string[] = [];
  if (Object.keys(plan.calls).length === 0 && plan.covered === 0)
    lines.push('Nothing to undo: the run wrote nothing, or it was rolled back already.');
  for (const [verb, byResource] of Object.entries(plan.calls)) {
    lines.push(
      `${verb[0]!.toUpperCase()}${verb.slice(1)} ${Object.entries(byResource)
        .map(([r, n]) => `${n} ${nounOf(r)}${n === 1 ? '' : '(s)'}`)
        .join(', ')}.`,
    );
  }
  if (plan.calls.archive) lines.push('Companies and data attributes can only be archived in Intercom, not deleted.');
  if (plan.calls.delete?.ticket)
    lines.push(
      'Intercom deletes tickets for good: a deleted ticket cannot be brought back (it still counts in Intercom reports).',
    );
  if (plan.covered) lines.push(`${plan.covered} other write(s) go with them.`);
  if (plan.kept.length)
    lines.push(`${plan.kept.length} record(s) that existed before the run are kept (their earlier values restored).`);
  if (plan.impossible.length)
    lines.push(`${plan.impossible.length} write(s) cannot be undone through the API and are left.`);
  return lines;
}
