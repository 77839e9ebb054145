/** The base of the source layer's errors; each error sits beside the code that throws it. */
export class SourceError extends Error {
  override readonly name: string = 'SourceError';
}

/**
 * The source cannot be opened or read as it was given (its address, file, server, credentials or
 * schema): the person running the migration can fix it, and the adapters say so (the CLI exits 2).
 * Errors of the source's data or of this code (a refused write, a bad row) extend SourceError only.
 */
export class SourceAccessError extends SourceError {
  override readonly name: string = 'SourceAccessError';
}
