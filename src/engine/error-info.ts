import { AuthError, IntercomError, PlanRestrictedError, ValidationError } from '../intercom';
import { messageOf } from '../model/error-message';
import type { ErrorInfo } from '../model/journal';
import { RecordError } from './errors';

/** The journal's shape of an error: a stable class, the message, the field when known. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof RecordError)
    return { errorClass: error.errorClass, message: error.message, ...(error.field ? { field: error.field } : {}) };
  if (error instanceof ValidationError) {
    return {
      errorClass: 'validation',
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.status ? { httpStatus: error.status } : {}),
    };
  }
  if (error instanceof IntercomError) {
    const cls = error.name
      .replace(/Error$/, '')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    return {
      errorClass: cls || 'intercom',
      message: error.message,
      ...(error.status ? { httpStatus: error.status } : {}),
    };
  }
  return { errorClass: 'internal', message: messageOf(error) };
}

/** Errors after which no further request can succeed: the run stops (and resumes later). */
export function stopsTheRun(error: unknown): boolean {
  return error instanceof AuthError || error instanceof PlanRestrictedError;
}
