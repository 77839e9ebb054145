import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index';
import { recoverState } from '../../src/sandbox/state/durable-state';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test code inspects arbitrary JSON
}

/** A started sandbox plus a tiny client speaking plain fetch, as an outside caller would. */
// Validation is off unless SANDBOX_TEST_VALIDATE=1 (then every valid request in these tests must also
// pass the OpenAPI description; deliberately invalid ones then get the OpenAPI 400 first; and every
// answer must fit its 2.16 response schema, checked on close, as in any test that loads the description).
// Every sandbox here keeps a state file (a temporary one unless the test gives its own), and its
// close() first checks that a restart would hold exactly the live state: so each test's writes also
// check that the handlers report every change they make to the write-ahead log.
export async function sandboxWithClient(options: SandboxOptions = {}) {
  const stateFile = options.stateFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-')), 'state.json');
  // These tests are about the API's rules, so search answers at once unless a test asks for a lag.
  const sandbox = await startSandbox({
    openapiPath: process.env.SANDBOX_TEST_VALIDATE ? process.env.INTERCOM_OPENAPI : '',
    searchLagMs: 0,
    ...options,
    stateFile,
  });
  const close = sandbox.close;
  sandbox.close = async () => {
    const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
    try {
      assertNoResponseErrors(sandbox); // none recorded when no description is loaded
      const restarted = recoverState(stateFile, () =>
        assert.fail(`${stateFile} is written when the sandbox starts`),
      ).state;
      assert.deepStrictEqual(
        json(restarted),
        json(sandbox.state()),
        'a restart from the state file and its log holds the live state',
      );
    } finally {
      await close();
    }
  };
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> => {
    const response = await fetch(sandbox.url + path, {
      method,
      headers: {
        Authorization: `Bearer ${sandbox.token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the raw text (e.g. the 502 HTML page)
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return { sandbox, call };
}

export type Client = Awaited<ReturnType<typeof sandboxWithClient>>['call'];

export async function createUser(call: Client, fields: Record<string, unknown> = {}): Promise<string> {
  const r = await call('POST', '/contacts', { role: 'user', ...fields });
  if (r.status !== 200) throw new Error(`contact create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export type { RunningSandbox };

/**
 * Fails when any answer the sandbox logged departs from its 2.16 response schema outside the listed
 * relaxations (needs a sandbox started with the description: response validation is then on).
 * Names each operation once, with its first findings and how many answers had them.
 */
export function assertNoResponseErrors(sandbox: RunningSandbox, what = 'sandbox responses'): void {
  const byOperation = new Map<string, { count: number; example: unknown[] }>();
  for (const entry of sandbox.requests()) {
    if (!entry.responseErrors) continue;
    const head = entry.responseErrors[0] as { operation?: string; status?: number };
    const key = `${head.operation ?? entry.method + ' ' + entry.path} → ${head.status ?? entry.status}`;
    const seen = byOperation.get(key);
    if (seen) seen.count++;
    else byOperation.set(key, { count: 1, example: entry.responseErrors.slice(1, 6) });
  }
  if (byOperation.size === 0) return;
  const lines = [...byOperation].map(
    ([key, { count, example }]) => `${key} (${count} answers): ${JSON.stringify(example)}`,
  );
  assert.fail(`${what} violate the 2.16 response schemas:\n${lines.join('\n')}`);
}
