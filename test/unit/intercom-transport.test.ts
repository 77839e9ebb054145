import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  AuthError,
  ConflictError,
  IntercomClient,
  InvalidRequestError,
  NetworkError,
  NotFoundError,
  OutcomeUnknownError,
  PlanRestrictedError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  ValidationError,
} from '../../src/intercom';
import type { ScriptedAnswer, SeenRequest } from '../helpers/scripted-http-server';
import { contactBody, rateHeaders, startScriptedServer } from '../helpers/scripted-http-server';

const TOKEN = 'tok_transport_test_0123456789abcdef';

async function withServer(
  answer: (req: SeenRequest, index: number) => ScriptedAnswer,
  run: (client: IntercomClient, requests: SeenRequest[]) => Promise<void>,
): Promise<void> {
  const server = await startScriptedServer(answer);
  const client = new IntercomClient({
    token: TOKEN,
    baseUrl: server.url,
    timeoutMs: 400,
    retry: { baseDelayMs: 5, maxDelayMs: 20, freshContactDelaysMs: [20, 20, 20] },
    rateLimiter: { rolloverGuardMs: 0 },
  });
  try {
    await run(client, server.requests);
  } finally {
    await server.close();
  }
}

const conversationCreate = {
  from: { type: 'user' as const, id: '6762f0dd1bb69f9f2193bb83' },
  body: 'Printer on fire',
  created_at: 1600000000,
};
const message = {
  type: 'user_message',
  id: '403918330',
  conversation_id: '499',
  created_at: 1600000000,
  body: 'Printer on fire',
  message_type: 'inapp',
};

test('every request carries the bearer token and Intercom-Version 2.16', async () => {
  await withServer(
    () => ({ status: 200, body: { type: 'admin', id: '1', name: 'A', app: { id_code: 'abc' } } }),
    async (client, requests) => {
      const me = await client.admins.me();
      assert.equal(me.app?.id_code, 'abc');
      assert.equal(requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
      assert.equal(requests[0]?.headers['intercom-version'], '2.16');
    },
  );
});

test('conversation create exposes conversation_id, not the message id', async () => {
  await withServer(
    () => ({ status: 200, body: message }),
    async (client) => {
      const created = await client.conversations.create(conversationCreate);
      assert.equal(created.conversation_id, '499');
      assert.equal(created.message_id, '403918330');
    },
  );
});

test('a 429 is retried after the reset for any method, including a non-idempotent POST', async () => {
  await withServer(
    (_req, i) =>
      i === 0
        ? {
            status: 429,
            body: { type: 'error.list', errors: [{ code: 'rate_limit_exceeded' }] },
            headers: rateHeaders(5, 0, 1),
          }
        : { status: 200, body: message, headers: rateHeaders(5, 4, 1) },
    async (client, requests) => {
      const created = await client.conversations.create(conversationCreate);
      assert.equal(created.conversation_id, '499');
      assert.equal(requests.length, 2);
      assert.equal(client.stats().throttled, 1);
    },
  );
});

test('a POST /conversations answered 500 is not replayed: OutcomeUnknownError with the lookup', async () => {
  await withServer(
    () => ({ status: 500, body: { type: 'error.list', errors: [{ code: 'server_error' }] } }),
    async (client, requests) => {
      const err = await client.conversations.create(conversationCreate).then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof OutcomeUnknownError);
      assert.deepEqual(err.lookup, {
        kind: 'conversation',
        contact_id: conversationCreate.from.id,
        body: 'Printer on fire',
        created_at: 1600000000,
        sent_at: (err.lookup as { sent_at: number }).sent_at,
      });
      assert.match(err.message, /^POST \/conversations \(contact=6762f0dd1bb69f9f2193bb83, created_at=1600000000\)/);
      assert.equal(requests.length, 1);
    },
  );
});

test('a dropped connection after a contact create is an unknown outcome carrying the external_id', async () => {
  await withServer(
    () => 'drop',
    async (client, requests) => {
      const err = await client.contacts
        .create({ role: 'user', external_id: 'src-7', email: 'a@b.c' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof OutcomeUnknownError, String(err));
      assert.deepEqual(err.lookup, { kind: 'contact', external_id: 'src-7', email: 'a@b.c', role: 'user' });
      assert.equal(requests.length, 1);
    },
  );
});

test('a timed-out reply is an unknown outcome, sent once', async () => {
  await withServer(
    () => 'hang',
    async (client, requests) => {
      const err = await client.conversations
        .replyAsAdmin('499', {
          message_type: 'note',
          type: 'admin',
          admin_id: '42',
          body: '<p>internal</p>',
          created_at: 1600000300,
        })
        .catch((e: unknown) => e);
      assert.ok(err instanceof OutcomeUnknownError, String(err));
      assert.equal(err.lookup.kind, 'reply');
      assert.equal(requests.length, 1);
    },
  );
});

test('GET, PUT and DELETE are retried on 5xx and dropped connections', async () => {
  const script: ScriptedAnswer[] = [{ status: 502 }, 'drop', { status: 200, body: contactBody('c1') }];
  await withServer(
    (_req, i) => script[i % script.length] ?? { status: 500 },
    async (client, requests) => {
      const contact = await client.contacts.get('c1');
      assert.equal(contact.id, 'c1');
      assert.equal(requests.length, 3);
      const updated = await client.contacts.update('c1', { name: 'New' });
      assert.equal(updated.id, 'c1');
      assert.equal(requests.length, 6);
      assert.ok(requests.slice(3).every((r) => r.method === 'PUT'));
    },
  );
});

test('POSTs idempotent by nature (company upsert) are retried after a 5xx', async () => {
  await withServer(
    (_req, i) =>
      i === 0 ? { status: 503 } : { status: 200, body: { type: 'company', id: 'co1', company_id: 'acme-1' } },
    async (client, requests) => {
      const company = await client.companies.createOrUpdate({ company_id: 'acme-1', name: 'Acme' });
      assert.equal(company.id, 'co1');
      assert.equal(requests.length, 2);
    },
  );
});

test('retries end in ServerError / NetworkError naming the request', async () => {
  await withServer(
    () => ({ status: 500 }),
    async (client, requests) => {
      const err = await client.contacts.get('c9').catch((e: unknown) => e);
      assert.ok(err instanceof ServerError);
      assert.match(err.message, /^GET \/contacts\/c9: failed after 5 attempts/);
      assert.equal(requests.length, 5);
    },
  );
  await withServer(
    () => 'drop',
    async (client) => {
      const err = await client.tags.list().catch((e: unknown) => e);
      assert.ok(err instanceof NetworkError);
      assert.equal(err.networkCode, 'ECONNRESET');
    },
  );
});

test('409 on contact create is a ConflictError with the existing id; archived is told apart', async () => {
  await withServer(
    (_req, i) => ({
      status: 409,
      body: {
        type: 'error.list',
        errors: [
          {
            code: 'conflict',
            message: `${i === 0 ? 'A' : 'An archived'} contact matching those details already exists with id=6762f0dd1bb69f9f2193bb83`,
          },
        ],
      },
    }),
    async (client) => {
      const live = await client.contacts.create({ role: 'user', external_id: 'src-1' }).catch((e: unknown) => e);
      assert.ok(live instanceof ConflictError);
      assert.equal(live.existingId, '6762f0dd1bb69f9f2193bb83');
      assert.equal(live.archived, false);
      const archived = await client.contacts.create({ role: 'user', external_id: 'src-1' }).catch((e: unknown) => e);
      assert.ok(archived instanceof ConflictError);
      assert.equal(archived.archived, true);
    },
  );
});

test('status codes map to typed errors with Intercom code and field', async () => {
  const answers: Record<string, ScriptedAnswer> = {
    '/admins': {
      status: 401,
      body: {
        type: 'error.list',
        request_id: 'r1',
        errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
      },
    },
    '/teams': {
      status: 403,
      body: { type: 'error.list', errors: [{ code: 'api_plan_restricted', message: 'Active subscription needed.' }] },
    },
    '/data_attributes': {
      status: 400,
      body: {
        type: 'error.list',
        errors: [{ code: 'parameter_invalid', message: "Data Type isn't an option", field: 'data_type' }],
      },
    },
    '/conversations/1': {
      status: 404,
      body: { type: 'error.list', errors: [{ code: 'not_found', message: 'Resource Not Found' }] },
    },
  };
  await withServer(
    (req) => answers[req.path.split('?')[0] ?? ''] ?? { status: 500 },
    async (client) => {
      const auth = await client.admins.list().catch((e: unknown) => e);
      assert.ok(auth instanceof AuthError);
      assert.equal(auth.requestId, 'r1');
      assert.ok((await client.admins.listTeams().catch((e: unknown) => e)) instanceof PlanRestrictedError);
      const invalid = await client.dataAttributes
        .create({ name: 'x', model: 'contact', data_type: 'string' })
        .catch((e: unknown) => e);
      assert.ok(invalid instanceof ValidationError);
      assert.equal(invalid.field, 'data_type');
      assert.equal(invalid.code, 'parameter_invalid');
      assert.ok((await client.conversations.get('1').catch((e: unknown) => e)) instanceof NotFoundError);
    },
  );
});

test('a 404 on a contact created moments ago is retried briefly; an old one is not', async () => {
  let conversationCalls = 0;
  await withServer(
    (req) => {
      if (req.path === '/contacts') return { status: 200, body: contactBody('fresh1') };
      conversationCalls += 1;
      const fresh = JSON.parse(req.body).from.id === 'fresh1';
      return fresh && conversationCalls < 3
        ? { status: 404, body: { type: 'error.list', errors: [{ code: 'not_found', message: 'User Not Found' }] } }
        : fresh
          ? { status: 200, body: message }
          : { status: 404, body: { type: 'error.list', errors: [{ code: 'not_found' }] } };
    },
    async (client) => {
      const contact = await client.contacts.create({ role: 'user', external_id: 'src-fresh' });
      const created = await client.conversations.create({
        ...conversationCreate,
        from: { type: 'user', id: contact.id },
      });
      assert.equal(created.conversation_id, '499');
      assert.equal(conversationCalls, 3);
      const before = conversationCalls;
      const err = await client.conversations
        .create({ ...conversationCreate, from: { type: 'user', id: 'someone-else' } })
        .catch((e: unknown) => e);
      assert.ok(err instanceof NotFoundError);
      assert.equal(conversationCalls, before + 1);
    },
  );
});

test('requests that break the 2.16 schema are refused before sending', async () => {
  await withServer(
    () => ({ status: 200, body: contactBody('x') }),
    async (client, requests) => {
      const err = await client.contacts.create({}).catch((e: unknown) => e);
      assert.ok(err instanceof InvalidRequestError);
      const both = await client.conversations
        .replyAsContact('1', {
          message_type: 'comment',
          type: 'user',
          body: 'x',
          intercom_user_id: 'a',
          email: 'b@c.d',
        } as never)
        .catch((e: unknown) => e);
      assert.ok(both instanceof InvalidRequestError);
      assert.equal(requests.length, 0);
    },
  );
});

test('a response of the wrong shape is a ResponseShapeError; unknown extra fields are kept', async () => {
  await withServer(
    (req) =>
      req.path === '/tags'
        ? { status: 200, body: { type: 'list', data: [{ type: 'tag', name: 'no id' }] } }
        : { status: 200, body: { ...contactBody('c1'), brand_new_field: 1 } },
    async (client) => {
      assert.ok((await client.tags.list().catch((e: unknown) => e)) instanceof ResponseShapeError);
      const contact = await client.contacts.get('c1');
      assert.equal((contact as Record<string, unknown>)['brand_new_field'], 1);
    },
  );
});

test('list endpoints page with starting_after until pages.next is absent', async () => {
  const pages: Record<string, { data: unknown[]; next?: string }> = {
    '': { data: [contactBody('a'), contactBody('b')], next: 'cur1' },
    cur1: { data: [contactBody('c')], next: 'cur2' },
    cur2: { data: [contactBody('d')] },
  };
  await withServer(
    (req) => {
      const after = new URL(req.path, 'http://x').searchParams.get('starting_after') ?? '';
      const p = pages[after] ?? { data: [] };
      return {
        status: 200,
        body: {
          type: 'list',
          data: p.data,
          pages: { type: 'pages', ...(p.next !== undefined ? { next: { starting_after: p.next } } : {}) },
        },
      };
    },
    async (client, requests) => {
      const ids: string[] = [];
      for await (const c of client.contacts.list(2)) ids.push(c.id);
      assert.deepEqual(ids, ['a', 'b', 'c', 'd']);
      assert.equal(requests.length, 3);
    },
  );
});

test('429s beyond the allowed number end in RateLimitedError', async () => {
  const server = await startScriptedServer(() => ({
    status: 429,
    body: {
      type: 'error.list',
      errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 5 in 10_seconds' }],
    },
    headers: rateHeaders(5, 0, 1),
  }));
  try {
    const client = new IntercomClient({
      token: TOKEN,
      baseUrl: server.url,
      retry: { maxThrottledRetries: 1 },
      rateLimiter: { rolloverGuardMs: 0 },
    });
    const err = await client.tags.list().catch((e: unknown) => e);
    assert.ok(err instanceof RateLimitedError, String(err));
    assert.equal(err.code, 'rate_limit_exceeded');
    assert.equal(server.requests.length, 2);
  } finally {
    await server.close();
  }
});
