/**
 * The ledger: durable journal of every write (intent before, outcome after), and the indexes that
 * resume, delta and rollback read. See ledger.ts for the file layout.
 */
export { openLedger, Ledger, type LedgerOptions, type StartRunInput, type RunSummary,  } from './ledger';
export { RunJournal } from './run-journal';
export type { AppliedWrite } from './run-state';
export type { UndoCounts } from './undo-tally';
;
export type { BatchPolicy } from './journal-file';
export type { LedgerFs, AppendFile } from './fs-layer';
export { nodeLedgerFs } from './fs-layer';
export { RecordTally, recordKey } from './counts';
export { registerSecret, unregisterSecret, findSecret } from './secret-guard';
export { LedgerError, LedgerWriteError, LedgerLockedError, LedgerInterruptedRunError, LedgerSecretError, LedgerUsageError, LedgerCorruptError } from './errors';
