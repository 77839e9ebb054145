/** What a handler returns: a status (200 when omitted) and a JSON body (no body for `undefined`). */
export interface Reply {
  status?: number;
  body?: unknown;
  /** Bytes sent as they are (a served file), with their content type. */
  raw?: { bytes: Buffer; contentType: string };
}

interface RouteContext<S> {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  version: string;
  store: S;
}

export type Handler<S> = (ctx: RouteContext<S>) => Reply | Promise<Reply>;

interface Route<S> {
  method: string;
  segments: string[];
  handler: Handler<S>;
  /** Lowest Intercom-Version that has this route (older versions get intercom_version_invalid). */
  minVersion?: string;
}

export interface RouteMatch<S> {
  route: Route<S>;
  params: Record<string, string>;
}

/** A tiny method + path-template router (`/contacts/:id`); literal segments win over parameters. */
export class Router<S> {
  private readonly routes: Route<S>[] = [];

  add(method: string, pattern: string, handler: Handler<S>, minVersion?: string): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler, minVersion });
    return this;
  }

  match(method: string, path: string): RouteMatch<S> | undefined {
    const parts = path.split('/').filter(Boolean);
    let best: { match: RouteMatch<S>; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      route.segments.forEach((segment, i) => {
        const part = parts[i] ?? '';
        if (segment.startsWith(':')) params[segment.slice(1)] = safeDecode(part);
        else if (segment === part) literals++;
        else ok = false;
      });
      if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
    }
    return best?.match;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
