import { z } from 'zod';

import { messageOf } from '../model/error-message';
import { zodIssues } from '../model/zod-issues';
import { ApiError, badRequest } from './http/errors';
import type { Reply } from './http/router';

/** What the /__sandbox endpoints can do to a running sandbox. */
export interface ControlSurface {
  state(): unknown;
  requests(): unknown;
  reset(): void;
  setFaults(spec: string): void;
  addSegment(name: string, tagIds: string[]): unknown;
  setPlanRestricted(restricted: boolean): void;
  /** Revokes one app's token, named or by its place in `tokens`; its place, or undefined when there is no such app. */
  revoke(which: { token: string } | { index: number }): number | undefined;
  /** One stored object as the API renders it; undefined when there is none. */
  view(kind: ViewKind, id: string): unknown;
  /** The bytes of a file sent with a reply; undefined when there is none. */
  file(n: number): Buffer | undefined;
}

export type ViewKind = 'conversations' | 'contacts' | 'companies' | 'tickets';

/** `/__sandbox/view/<kind>/<id>`: the read-only page a sample result links to, so its links work in a rehearsal. */
const VIEW_PATH = /^\/__sandbox\/view\/(conversations|contacts|companies|tickets)\/([^/]+)$/;

/** `/__sandbox/files/<n>/<name>`: a file sent with a reply, where the API's attachment URLs point. */
const FILE_PATH = /^\/__sandbox\/files\/(\d+)\/[^/]+$/;

const faultsBody = z.object({ spec: z.string() });
const segmentBody = z.object({ name: z.string().min(1), tag_ids: z.array(z.string()) });
const planBody = z.object({ restricted: z.boolean() });
const revokeBody = z.union([
  z.object({ token: z.string().min(1) }).strict(),
  z.object({ index: z.number().int().nonnegative() }).strict(),
]);

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badRequest('parameter_invalid', zodIssues(result.error));
  return result.data;
}

/**
 * Inspection and control, outside Intercom's API: GET state, GET requests, POST reset, POST faults,
 * POST segments (a segment using tags, which blocks their deletion), POST plan (the 403 plan gate),
 * GET view/<conversations|contacts|companies|tickets>/<id> (one stored object, read-only), POST revoke (one
 * app's token, `{"token": "…"}` or `{"index": n}`, is refused with 401 from then on).
 */
export async function controlRequest(
  surface: ControlSurface,
  method: string,
  path: string,
  body: unknown,
): Promise<Reply | undefined> {
  const view = method === 'GET' ? VIEW_PATH.exec(path) : null;
  if (view) {
    const found = surface.view(view[1] as ViewKind, view[2]!);
    if (found === undefined) throw new ApiError(404, 'not_found', 'Resource Not Found');
    return { body: found };
  }
  const file = method === 'GET' ? FILE_PATH.exec(path) : null;
  if (file) {
    const bytes = surface.file(Number(file[1]));
    if (bytes === undefined) throw new ApiError(404, 'not_found', 'Resource Not Found');
    return { raw: { bytes, contentType: 'application/octet-stream' } };
  }
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /__sandbox/state':
      return { body: surface.state() };
    case 'GET /__sandbox/requests':
      return { body: surface.requests() };
    case 'POST /__sandbox/reset':
      surface.reset();
      return { body: { reset: true } };
    case 'POST /__sandbox/faults':
      try {
        surface.setFaults(parse(faultsBody, body).spec);
      } catch (error) {
        throw badRequest('parameter_invalid', messageOf(error));
      }
      return { body: { faults: (body as { spec: string }).spec } };
    case 'POST /__sandbox/segments': {
      const segment = parse(segmentBody, body);
      return { body: surface.addSegment(segment.name, segment.tag_ids) };
    }
    case 'POST /__sandbox/plan':
      surface.setPlanRestricted(parse(planBody, body).restricted);
      return { body: { restricted: (body as { restricted: boolean }).restricted } };
    case 'POST /__sandbox/revoke': {
      const index = surface.revoke(parse(revokeBody, body));
      // The token is never echoed: its place in the workspace's list says which app it was.
      if (index === undefined) throw new ApiError(404, 'not_found', "No app of the sandbox's workspace has that token");
      return { body: { revoked: true, index } };
    }
    default:
      return undefined;
  }
}
