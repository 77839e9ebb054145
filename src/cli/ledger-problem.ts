import { RunNotStartedError } from '../engine/errors';
import { LedgerCorruptError, LedgerInterruptedRunError, LedgerLockedError, LedgerWriteError } from '../ledger/errors';
import { ExitCode } from './exit-codes';

/**
 * Ledger failures a person fixes outside the tool: their message names the file, the cause and what
 * to do; a stack adds nothing. Refusals are exit code 2 (bad input: another writer holds the
 * workspace, an interrupted run must be resumed or rolled back first, the ledger is damaged); a
 * failed write to the ledger's disk, or a run not started because Intercom could not be read or asked
 * about earlier writes, are exit code 1 (fix the cause, run the same command again).
 */
export function ledgerProblem(error: unknown): { message: string; exitCode: ExitCode } | undefined {
  if (error instanceof LedgerLockedError || error instanceof LedgerInterruptedRunError || error instanceof LedgerCorruptError) {
    return { message: error.message, exitCode: ExitCode.BadInput };
  }
  if (error instanceof LedgerWriteError || error instanceof RunNotStartedError) return { message: error.message, exitCode: ExitCode.Failed };
  return undefined;
}
