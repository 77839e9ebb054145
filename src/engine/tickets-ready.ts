import type { RunKind } from '../mapping/review';
import { EngineUsageError } from './errors';
import type { TicketsPlan } from './ticket-type-plan';

/**
 * What stops a run from writing tickets as Intercom tickets and no run can create: a ticket state
 * the workspace lacks (the API cannot create states) or an attribute Intercom holds with another
 * type. Missing ticket types and attributes are not here: every run's configure phase creates them.
 */
export function ticketsNotReady(plan: TicketsPlan): string[] {
  const lines: string[] = [];
  for (const s of plan.statesMissing)
    lines.push(
      `no ticket state "${s.state}" (for status ${s.statuses.map((x) => `"${x}"`).join(', ')}): create it in Intercom's settings, or change ticketDestinations.states`,
    );
  for (const c of plan.attributeConflicts)
    lines.push(
      `ticket type "${c.ticketType}" attribute "${c.attribute}" is ${c.existingType} in Intercom, ${c.wanted} in the map: rename it in the map`,
    );
  return lines;
}

/**
 * A run that moves records refuses to start, before anything is written, while tickets sent to
 * Intercom tickets could not land whole; a dry run only warns.
 */
export function assertTicketsReady(plan: TicketsPlan, kind: RunKind, warn: (message: string) => void): void {
  // Configure moves no records, and its ticket phase names each of these itself.
  if (kind === 'configure') return;
  const lines = ticketsNotReady(plan);
  if (lines.length === 0) return;
  const message = `The Intercom workspace cannot take the tickets sent to Intercom tickets:\n  ${lines.join('\n  ')}`;
  if (kind === 'dry-run') warn(message);
  else throw new EngineUsageError(message);
}
