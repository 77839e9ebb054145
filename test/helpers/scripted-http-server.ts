import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts one request at a time. It knows
 * nothing of Intercom's semantics: it exists to exercise the client's transport (pacing, retries,
 * error mapping) against real sockets.
 */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type ScriptedAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Read the request, then destroy the socket without answering (an applied-then-dropped write). */
  | 'drop'
  /** Never answer (the client's timeout fires). */
  | 'hang';

export interface ScriptedServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startScriptedServer(
  answer: (req: SeenRequest, index: number) => ScriptedAnswer,
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const a = answer(seen, requests.length - 1);
      if (a === 'drop') {
        req.socket.destroy();
        return;
      }
      if (a === 'hang') return;
      const text = a.body === undefined ? '' : JSON.stringify(a.body);
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...(a.headers ?? {}) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Rate-limit headers for a window that resets `inSeconds` from now. */
export function rateHeaders(limit: number, remaining: number, inSeconds = 10): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
    'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + inSeconds),
  };
}

export const contactBody = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'contact',
  id,
  role: 'user',
  ...extra,
});
