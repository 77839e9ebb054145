import { randomUUID } from 'node:crypto';

/** One entry of Intercom's `error.list` envelope. */
export interface IntercomErrorItem {
  code: string;
  message?: string;
  field?: string;
}

/** An error a handler throws to answer with Intercom's error envelope and status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorList(errors: IntercomErrorItem[], requestId: string = randomUUID()): Record<string, unknown> {
  return { type: 'error.list', request_id: requestId, errors };
}

export const notFound = (message = 'Resource Not Found', code = 'not_found'): ApiError =>
  new ApiError(404, code, message);
export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);
