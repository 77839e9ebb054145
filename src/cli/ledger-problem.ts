import { RunNotStartedError } from '../engine/errors';
import { LedgerCorruptError, LedgerLockedError, LedgerWriteError } from '../ledger';

/**
 * Ledger failures a person fixes outside the tool (a full or read-only disk, another writer, a
 * damaged run.json, earlier writes Intercom could not be asked about): their message names the file,
 * the cause and how to resume; a stack adds nothing.
 */
export function ledgerProblem(error: unknown): string | undefined {
  return error instanceof LedgerWriteError || error instanceof LedgerLockedError || error instanceof LedgerCorruptError || error instanceof RunNotStartedError
    ? error.message
    : undefined;
}
