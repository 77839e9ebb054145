import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { isWrite } from './kill-proxy';

/**
 * A loopback HTTP proxy in front of the sandbox that can stop a process mid-run without timing: the
 * n-th write is held (not forwarded) until the test lets it through or drops it. While it is held,
 * the process that sent it is alive, holds its locks, and has a durable intent for that write: the
 * moment a second process is started, or the first one is killed.
 */
interface Held {
  forward: () => void;
  drop: () => void;
}

export class GateProxy {
  /** Every request that reached the proxy. */
  requests = 0;
  private writes = 0;
  private holdAt: number | undefined;
  private held: Held | undefined;
  private heldWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<GateProxy> {
    const target = new URL(targetUrl);
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new GateProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => proxy.handle(req, res, target));
    return proxy;
  }

  /** Holds the n-th write from now on (counted over everything that passes). */
  holdWrite(n: number): void {
    this.writes = 0;
    this.holdAt = n;
  }

  /** Resolves once a write is being held. */
  whenHolding(): Promise<void> {
    if (this.held) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Lets the held write through (`forward`) or cuts its connection without sending it (`drop`). */
  release(how: 'forward' | 'drop'): void {
    const held = this.held;
    this.held = undefined;
    this.holdAt = undefined;
    if (held) held[how]();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('end', () => {
      this.requests++;
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const forward = () => {
        const upstream = http.request(
          { host: target.hostname, port: target.port, method, path, headers: { ...req.headers, host: target.host } },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (c: Buffer) => body.push(c));
            answer.on('error', () => req.socket.destroy());
            answer.on('end', () => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(body));
            });
          },
        );
        upstream.on('error', () => req.socket.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (isWrite(method, path) && this.holdAt !== undefined && ++this.writes === this.holdAt && !this.held) {
        this.held = { forward, drop: () => req.socket.destroy() };
        for (const w of this.heldWaiters.splice(0)) w();
        return;
      }
      forward();
    });
  }
}
