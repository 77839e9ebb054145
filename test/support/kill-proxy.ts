import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the sandbox that kills the process talking through it at a
 * chosen write: either before forwarding it (Intercom never sees it) or after Intercom answered but
 * before the answer is passed on (applied, response lost). Either way the run's intent for that
 * write is durable and its outcome never reaches the journal: the kill lands between the two.
 */

export type KillMoment = 'before-send' | 'after-reply';

export interface KillShot {
  /** 1-based position of the killing write among the attempt's writes, and among all its requests; its method and path. */
  write: number;
  request: number;
  method: string;
  path: string;
  when: KillMoment;
}

interface Armed {
  /** Kill at the attempt's at-th write (of those `only` accepts). */
  at: number;
  when: KillMoment;
  kill: () => void;
  only: (method: string, path: string) => boolean;
  counted: number;
  shot?: KillShot;
}

/** A write changes Intercom: anything but GET and the POST …/search reads. */
export function isWrite(method: string, path: string): boolean {
  return method !== 'GET' && !/\/search$/.test(path.split('?')[0]!);
}

export class KillProxy {
  private count = 0;
  private writes = 0;
  private inFlight = 0;
  private armed: Armed | undefined;
  private readonly idleWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<KillProxy> {
    const target = new URL(targetUrl);
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new KillProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => proxy.handle(req, res, target));
    return proxy;
  }

  /** Arms a kill for the next attempt; the request count starts again from zero. `only` narrows the writes that count. */
  arm(
    at: number,
    when: KillMoment,
    kill: () => void,
    only: (method: string, path: string) => boolean = () => true,
  ): void {
    this.count = 0;
    this.writes = 0;
    this.armed = { at, when, kill, only, counted: 0 };
  }

  /** Disarms and says where the kill landed (undefined: the attempt ended before its kill point). */
  disarm(): KillShot | undefined {
    const shot = this.armed?.shot;
    this.armed = undefined;
    return shot;
  }

  /** Requests and writes seen since the last arm(). */
  get seen(): { requests: number; writes: number } {
    return { requests: this.count, writes: this.writes };
  }

  /** Resolves once no forwarded request is still on its way to or from the sandbox. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
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
      const n = ++this.count;
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const write = isWrite(method, path) ? ++this.writes : 0;
      const armed = this.armed;
      const counts = armed !== undefined && write > 0 && armed.only(method, path) ? ++armed.counted : 0;
      const shoot = armed !== undefined && armed.shot === undefined && counts === armed.at;
      if (shoot) armed.shot = { write, request: n, method, path, when: armed.when };
      if (shoot && armed.when === 'before-send') {
        armed.kill();
        req.socket.destroy();
        return;
      }
      this.inFlight++;
      let over = false;
      const settle = (then: () => void) => {
        if (over) return;
        over = true;
        this.settled(then);
      };
      const upstream = http.request(
        { host: target.hostname, port: target.port, method, path, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('error', () => settle(() => this.dropped(req, shoot ? armed : undefined)));
          answer.on('end', () =>
            settle(() => {
              if (shoot) {
                armed.kill();
                req.socket.destroy();
                return;
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(body));
            }),
          );
        },
      );
      upstream.on('error', () => settle(() => this.dropped(req, shoot ? armed : undefined)));
      upstream.end(Buffer.concat(chunks));
    });
  }

  /** The sandbox dropped the connection (fault injection): the client sees it dropped too, and an armed kill still fires. */
  private dropped(req: http.IncomingMessage, armed: Armed | undefined): void {
    armed?.kill();
    req.socket.destroy();
  }

  private settled(then: () => void): void {
    this.inFlight--;
    try {
      then();
    } finally {
      if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
