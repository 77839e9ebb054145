import type { RunKind } from '../mapping/review';
import { departmentsSentToTickets } from '../mapping/ticket-destinations';
import type { MappingFile } from '../model/mapping';
import { EngineUsageError } from './errors';

/**
 * Until the engine writes Intercom tickets, a run that moves records refuses a map that sends a
 * department to a ticket type, before anything is written: its tickets would land as conversations.
 */
export function assertTicketsNotYetMigrated(map: MappingFile, kind: RunKind): void {
  if (kind === 'configure') return;
  const departments = departmentsSentToTickets(map);
  if (departments.length === 0) return;
  const names = departments.map((d) => `${d.label} (ticket type "${d.ticketType}")`).join(', ');
  throw new EngineUsageError(
    `${names} ${departments.length === 1 ? 'is' : 'are'} mapped to Intercom ticket types, which this version configures but does not yet migrate; map them to conversations to run now`,
  );
}
