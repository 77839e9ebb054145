import type { RunKind } from '../mapping/review';
import { EngineUsageError } from './errors';
import type { TicketsPlan } from './ticket-type-plan';

/**
 * What the workspace lacks before a run can write Intercom tickets: a ticket type, one of its
 * attributes (the source key among them), a state, an attribute of another type. Each line names
 * the type, attribute or state, and the departments that need it.
 */
export function ticketsNotReady(plan: TicketsPlan): string[] {
  const lines: string[] = [];
  for (const type of plan.types) {
    const who = `for ${type.usedBy.join(', ')}`;
    if (type.id === null) lines.push(`ticket type "${type.definition.name}" does not exist (${who})`);
    else {
      for (const a of type.attributesToCreate)
        lines.push(`ticket type "${type.definition.name}" has no attribute "${a.name}" (${who})`);
      if (type.sourceKeyMissing)
        lines.push(`ticket type "${type.definition.name}" has no attribute "${type.sourceKeyName}" (the source key)`);
    }
  }
  for (const c of plan.attributeConflicts)
    lines.push(
      `ticket type "${c.ticketType}" attribute "${c.attribute}" is ${c.existingType} in Intercom, ${c.wanted} in the map`,
    );
  for (const s of plan.statesMissing)
    lines.push(`no ticket state "${s.state}" (for status ${s.statuses.map((x) => `"${x}"`).join(', ')})`);
  return lines;
}

/**
 * A run that writes tickets as Intercom tickets refuses to start, before anything is written, while
 * the workspace lacks what they need (configure creates types and attributes; states are created in
 * Intercom's settings). A dry run only says so.
 */
export function assertTicketsReady(plan: TicketsPlan, kind: RunKind, warn: (message: string) => void): void {
  if (kind === 'configure') return;
  const lines = ticketsNotReady(plan);
  if (lines.length === 0) return;
  const message = `The Intercom workspace is not ready for tickets as Intercom tickets:\n  ${lines.join('\n  ')}\nRun configure (st2ic configure) first; ticket states are created in Intercom's settings.`;
  if (kind === 'dry-run') warn(message);
  else throw new EngineUsageError(message);
}
