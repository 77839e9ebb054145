/**
 * The ledger: durable journal of every write (intent before, outcome after), and the indexes that
 * resume, delta and rollback read. See ledger.ts for the file layout.
 */
export { recordKey, RecordTally } from './counts';
export {
  LedgerCorruptError,
  LedgerError,
  LedgerInterruptedRunError,
  LedgerLockedError,
  LedgerSecretError,
  LedgerUsageError,
  LedgerWriteError,
} from './errors';
export type { AppendFile, LedgerFs } from './fs-layer';
export { nodeLedgerFs } from './fs-layer';
export type { BatchPolicy } from './journal-file';
export { Ledger, type LedgerOptions, openLedger, type RunSummary, type StartRunInput } from './ledger';
export { RunJournal } from './run-journal';
export type { AppliedWrite } from './run-state';
export { findSecret, registerSecret, unregisterSecret } from './secret-guard';
export type { UndoCounts } from './undo-tally';
