import { IntercomClient } from 'intercom-client';

import type { RunningSandbox } from '../../src/sandbox/index';

/**
 * Intercom's official Node SDK (intercom-client 7.x, generated from Intercom's API definition)
 * pointed at a sandbox: a client nobody here wrote. It is generated for 2.14; the header asks for
 * 2.16, the version the product speaks. No retries, so every error the sandbox gives is seen.
 */
export function sdkFor(sandbox: RunningSandbox, token = sandbox.token): IntercomClient {
  return new IntercomClient({ token, baseUrl: sandbox.url, maxRetries: 0, headers: { 'Intercom-Version': '2.16' } });
}

export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The ids of a listing, failing on a repeat (a pager that serves a record twice is broken). */
export function uniqueIds(items: readonly { id?: string | number | null }[], what: string): Set<string> {
  const ids = new Set<string>();
  for (const item of items) {
    const id = String(item.id);
    if (ids.has(id)) throw new Error(`${what}: ${id} listed twice`);
    ids.add(id);
  }
  return ids;
}
