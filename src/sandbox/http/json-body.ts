import { ApiError } from './errors';

/**
 * Request bodies are bounded: a body too large or nested too deep is refused with a 400 before
 * anything walks it (a custom attribute nested 10,000 deep used to overflow the stack downstream).
 * Intercom's deepest request (a search with two levels of groups) is about 8 levels.
 */
export const MAX_API_BODY_BYTES = 50 * 1024 * 1024; // base64 attachments ride in bodies
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;
const MAX_BODY_DEPTH = 32;

export const bodyTooLarge = (limit: number): ApiError =>
  new ApiError(400, 'parameter_invalid', `Request body is larger than ${limit} bytes`);

/** The JSON value of a body (undefined when empty); 400 when it is not JSON or nests deeper than MAX_BODY_DEPTH. */
export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'parameter_invalid', 'Request body is not valid JSON');
  }
  if (depthOf(body) > MAX_BODY_DEPTH)
    throw new ApiError(400, 'parameter_invalid', `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  return body;
}

/** Depth of a JSON value, iteratively (a recursive walk is what must not happen on hostile input). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}
