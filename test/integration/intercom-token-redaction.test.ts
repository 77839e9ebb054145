import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { inspect } from 'node:util';

import type { IntercomLogger } from '../../src/intercom';
import {
  AuthError,
  IntercomClient,
  IntercomError,
  InvalidRequestError,
  NetworkError,
  OutcomeUnknownError,
  ValidationError,
} from '../../src/intercom';
import { startSandbox } from '../../src/sandbox';
import { startScriptedServer } from '../helpers/scripted-http-server';

// Done means: the token appears in no log line and no error text, whatever went wrong.

const SECRET = 'tok_SECRET_9f8e7d6c5b4a3210';
const WRONG = 'tok_WRONG_0a1b2c3d4e5f6789';

function capturingLogger(): { logger: IntercomLogger; text: () => string; lines: () => number } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
  };
  return {
    logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
    text: () => lines.join('\n'),
    lines: () => lines.length,
  };
}

/** Every way an error can end up in a log or a bug report. */
function everyRendering(err: unknown): string {
  const e = err as Error;
  const own = Object.getOwnPropertyNames(e).map((k) => {
    try {
      return inspect((e as unknown as Record<string, unknown>)[k], { depth: 20, showHidden: true });
    } catch {
      return '';
    }
  });
  return [
    String(e),
    e.message,
    e.stack ?? '',
    inspect(e, { depth: 20, showHidden: true }),
    JSON.stringify(e),
    ...own,
  ].join('\n');
}

function assertClean(label: string, text: string): void {
  for (const secret of [SECRET, WRONG])
    assert.ok(
      !text.includes(secret),
      `${label}: the token leaked:\n${text.slice(Math.max(0, text.indexOf(secret) - 300), text.indexOf(secret) + 100)}`,
    );
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

test('the token appears in no error text or log line: auth, validation, network and unknown outcomes', async (t) => {
  const log = capturingLogger();
  const sandbox = await startSandbox({ port: 0, token: SECRET, rateLimitPer10s: 5000 });
  t.after(() => sandbox.close());
  const options = {
    baseUrl: sandbox.url,
    logger: log.logger,
    timeoutMs: 500,
    retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
  };
  const client = new IntercomClient({ token: SECRET, ...options });
  const errors: Array<[string, unknown]> = [];

  // Authentication: a wrong token, then a revoked one.
  const wrong = new IntercomClient({ token: WRONG, ...options });
  errors.push(['wrong token', await rejection(wrong.admins.me())]);
  assert.ok(errors.at(-1)![1] instanceof AuthError);

  // Validation: rejected by Intercom (400) and refused locally before sending.
  errors.push(['400', await rejection(client.contacts.create({ role: 'user', email: 'not-an-email' }))]);
  assert.ok(errors.at(-1)![1] instanceof ValidationError);
  errors.push(['local', await rejection(client.contacts.create({}))]);
  assert.ok(errors.at(-1)![1] instanceof InvalidRequestError);

  // Unknown outcome: the sandbox applies the create, then drops the connection.
  sandbox.setFaults('drop:1');
  errors.push(['drop on POST', await rejection(client.contacts.create({ role: 'user', external_id: 'x-1' }))]);
  assert.ok(errors.at(-1)![1] instanceof OutcomeUnknownError);
  // Network: retries of a GET exhausted on dropped connections, and a refused connection.
  errors.push(['drop on GET', await rejection(client.admins.list())]);
  assert.ok(errors.at(-1)![1] instanceof NetworkError);
  sandbox.setFaults('');
  const refused = new IntercomClient({ token: SECRET, ...options, baseUrl: await closedPortUrl() });
  errors.push(['refused', await rejection(refused.contacts.get('c1'))]);
  assert.ok(errors.at(-1)![1] instanceof NetworkError);
  // Timeout on a reply (unknown outcome).
  sandbox.setFaults('slow:1,slow-ms=800');
  errors.push(['timeout', await rejection(client.tags.list())]);
  sandbox.setFaults('');

  sandbox.revokeToken();
  errors.push(['revoked', await rejection(client.admins.me())]);
  assert.ok(errors.at(-1)![1] instanceof AuthError);

  for (const [label, err] of errors) {
    assert.ok(err instanceof IntercomError, `${label}: ${String(err)}`);
    assertClean(label, everyRendering(err));
  }
  assert.ok(log.lines() > 10, 'the logger saw the traffic');
  assertClean('log', log.text());
});

test('a server echoing the token back in an error body does not leak it', async () => {
  const log = capturingLogger();
  const server = await startScriptedServer((req) => ({
    status: req.method === 'GET' ? 400 : 500,
    body: {
      type: 'error.list',
      errors: [
        {
          code: 'parameter_invalid',
          message: `bad header ${String(req.headers['authorization'])}`,
          field: String(req.headers['authorization']),
        },
      ],
    },
  }));
  try {
    const client = new IntercomClient({ token: SECRET, baseUrl: server.url, logger: log.logger });
    const invalid = await rejection(client.contacts.get('c1'));
    assert.ok(invalid instanceof ValidationError);
    assert.match(invalid.message, /\[redacted\]/);
    assertClean('echoed 400', everyRendering(invalid));
    const unknown = await rejection(client.conversations.create({ from: { type: 'user', id: 'c1' }, body: 'hello' }));
    assert.ok(unknown instanceof OutcomeUnknownError);
    assertClean('echoed 500', everyRendering(unknown));
    assertClean('log', log.text());
  } finally {
    await server.close();
  }
});
