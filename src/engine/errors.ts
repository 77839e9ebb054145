/** The base of the engine's errors. */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
}

/** A condition that stops the whole run (bad token, ledger disk, cancellation); the run resumes after. */
export class RunStoppedError extends EngineError {
  override readonly name = 'RunStoppedError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The run cannot start as asked (map not confirmed, workspace missing admins…): exit code 2. */
export class EngineUsageError extends EngineError {
  override readonly name = 'EngineUsageError';
}

/** One source record could not be migrated; the message names the record and the field. */
export class RecordError extends EngineError {
  override readonly name = 'RecordError';
  constructor(
    message: string,
    readonly errorClass: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The run did not start and nothing was written: Intercom could not be read for the checks that
 * come first (the bound workspace, what it already holds), or writes of an earlier run have no
 * known outcome and Intercom could not be asked. Exit code 1: run the same command again.
 */
export class RunNotStartedError extends EngineError {
  override readonly name = 'RunNotStartedError';
}
