import { SourceAccessError, SourceError } from '../errors';

/**
 * Errors of the Web Services reader. Messages name the operation and the user, never the password.
 * Refused credentials and an unreachable site are the user's to fix (SourceAccessError); an
 * operation's own failure and a refused write are not (SoapError).
 */

export class SoapError extends SourceError {
  override readonly name: string = 'SoapError';
}

/** The service answered Result=false: SmarterTrack's in-band error. */
export class SoapOperationError extends SoapError {
  override readonly name = 'SoapOperationError';
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly user: string,
    readonly resultCode: number | null,
    readonly serviceMessage: string,
  ) {
    super(
      `${service}.${operation} as user "${user}" failed${resultCode !== null ? ` (ResultCode ${resultCode})` : ''}: ${serviceMessage || 'no message'}`,
    );
  }
}

/** Credentials refused (Result=false on the credential check, or an authentication message). */
export class SoapAuthError extends SourceAccessError {
  override readonly name = 'SoapAuthError';
  constructor(
    readonly operation: string,
    readonly user: string,
    serviceMessage: string,
  ) {
    super(
      `SmarterTrack refused the credentials of user "${user}" on ${operation}: ${serviceMessage || 'invalid user name or password'}`,
    );
  }
}

/** HTTP-level failure, SOAP fault, or an answer that does not parse. */
export class SoapTransportError extends SourceAccessError {
  override readonly name = 'SoapTransportError';
}

/** Only read-only operations may be called; this is thrown before anything is sent. */
export class SoapWriteRefusedError extends SoapError {
  override readonly name = 'SoapWriteRefusedError';
}
