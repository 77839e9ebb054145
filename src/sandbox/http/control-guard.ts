import type { IncomingMessage } from 'node:http';

import { ApiError } from './errors';

/**
 * Who may use `/__sandbox/*`. A web page the operator happens to open must not reset, fault or read
 * the rehearsal target: a cross-origin request (an Origin that is not the sandbox's own) and a Host
 * that is not the loopback address it listens on (DNS rebinding) are refused with 403, and the
 * control endpoints need the sandbox's bearer token like the API does (a revoked token still
 * works here: revoking simulates Intercom, the control plane is the operator's).
 *
 * `/__sandbox/view/*` pages are the exception to the token: they are links in sample results that a
 * person opens in a browser, which cannot send a bearer header, and a token in a report would be a
 * secret in a report. `/__sandbox/files/*` are too: they stand in for Intercom's file host, whose
 * attachment URLs are downloaded without the API token. Both are read-only and still same-origin only.
 */
export function guardControlRequest(
  req: IncomingMessage,
  path: string,
  token: string,
  presented: string | undefined,
): void {
  const port = req.socket.localPort;
  const own = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const host = req.headers.host;
  if (host !== undefined && !own.has(host.toLowerCase()))
    throw new ApiError(403, 'forbidden', 'The sandbox control plane answers only on its own loopback address');
  const origin = req.headers.origin;
  if (origin !== undefined && ![...own].some((o) => origin.toLowerCase() === `http://${o}`)) {
    throw new ApiError(403, 'forbidden', 'Cross-origin requests to the sandbox control plane are refused');
  }
  if (path.startsWith('/__sandbox/view/') || path.startsWith('/__sandbox/files/')) return;
  if (presented !== token) throw new ApiError(401, 'unauthorized', 'Access Token Invalid');
}
