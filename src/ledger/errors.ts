import { messageOf } from '../model/error-message';

/** Typed ledger failures, so adapters can tell the user what to fix. */

/** The base of the ledger's errors. */
export class LedgerError extends Error {
  override readonly name: string = 'LedgerError';
}

export type LedgerWriteCause = 'ENOSPC' | 'EACCES' | 'EPERM' | 'EROFS' | 'EIO' | 'EDQUOT' | 'EFBIG' | 'OTHER';

const WHY: Record<LedgerWriteCause, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file reached the size limit of this process or file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EIO: 'an I/O error occurred',
  OTHER: 'the write failed',
};

/**
 * Writing the journal (or run metadata, or the index cache) failed. Nothing from the failed batch is
 * considered durable; the run can be resumed once the cause is fixed.
 */
export class LedgerWriteError extends LedgerError {
  override readonly name = 'LedgerWriteError';
  readonly file: string;
  readonly code: LedgerWriteCause;

  constructor(file: string, cause: unknown, resumable: { runId?: string } = {}) {
    const code = writeCauseOf(cause);
    const detail = messageOf(cause);
    const resume = resumable.runId
      ? ` Nothing after the last durable entry is kept; fix the cause and resume run ${resumable.runId}.`
      : ' Fix the cause and try again.';
    super(`Cannot write ${file}: ${WHY[code]} (${detail}).${resume}`, { cause });
    this.file = file;
    this.code = code;
  }
}

function writeCauseOf(error: unknown): LedgerWriteCause {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    code === 'ENOSPC' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS' ||
    code === 'EIO' ||
    code === 'EDQUOT' ||
    code === 'EFBIG'
  )
    return code;
  return 'OTHER';
}

/** Who holds a lock, as its file says. */
export interface LockHolderInfo {
  pid: number;
  hostname: string;
  since: string;
  /** Writer lock: the kind of run the holder writes, and which run (once chosen). */
  kind?: string;
  runId?: string;
  rollbackOf?: string;
}

/**
 * Another process holds the workspace's writer lock, or a run's lock. `takeOverAllowed`: its holder
 * cannot be checked from here (another host, or no /proc), so the user may assert it is gone
 * (`--take-over`); a holder that provably runs is never taken over.
 */
export class LedgerLockedError extends LedgerError {
  override readonly name = 'LedgerLockedError';
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolderInfo,
    message: string,
    readonly takeOverAllowed = false,
  ) {
    super(message);
  }
}

/**
 * A taken-over writer left a run interrupted, and the command asks for another kind of run: starting
 * it beside the interrupted one could write again what that one wrote without knowing. Resume the
 * interrupted run (its own command) or roll it back first.
 */
export class LedgerInterruptedRunError extends LedgerError {
  override readonly name = 'LedgerInterruptedRunError';
  constructor(
    readonly runId: string,
    readonly runKind: string,
    message: string,
  ) {
    super(message);
  }
}

/** An entry would have written a secret to disk; it was rejected before reaching the buffer. */
export class LedgerSecretError extends LedgerError {
  override readonly name = 'LedgerSecretError';
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`Refusing to journal an entry: ${path} looks like a ${kind}. Secrets never go to the ledger.`);
  }
}

/** The caller broke a ledger rule (unknown intent seq, outcome twice, write after finish…). */
export class LedgerUsageError extends LedgerError {
  override readonly name = 'LedgerUsageError';
}

/**
 * The ledger is damaged and cannot be trusted: a run.json that does not parse or is missing and
 * cannot be rebuilt, a journal that is missing or lost entries, an unreadable line in the middle of a
 * journal, a file of a newer format. The message names the file and the fix; nothing is written to
 * Intercom. (A torn last line of a journal is not damage: it is what a crash leaves, and is dropped.)
 */
export class LedgerCorruptError extends LedgerError {
  override readonly name = 'LedgerCorruptError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** How a damaged journal is mended: it is the truth, so only a copy of it or Intercom can replace it. */
export const REBUILD_HINT =
  'restore it from a backup, or rebuild the ledger from Intercom: st2ic ledger rebuild --from-intercom';
