// Measures the sandbox on loopback: requests/s it sustains (server in a child process, keep-alive
// client here) with and without OpenAPI validation, and the validator's own cost per request.
// Usage: npx tsx scripts/bench-sandbox.ts [requests per scenario, default 4000] [concurrency, default 16]
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

import { loadOpenApiValidator } from '../src/sandbox/openapi/validator';

const N = Number(process.argv[2] ?? 4000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const OPENAPI = process.env.INTERCOM_OPENAPI || '/work/shared/reference/intercom/openapi-2.16.yaml';
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

async function startChild(openapi: string): Promise<{ child: ChildProcess; url: string }> {
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'sandbox',
    '--port',
    '0',
    '--rate-limit',
    '1000000000',
    ...(openapi ? ['--openapi', openapi] : []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, INTERCOM_OPENAPI: '' },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  return { child, url };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function request(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url + path,
      { method, agent, headers: { Authorization: 'Bearer sandbox-token', 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function run(label: string, make: (i: number) => Promise<{ status: number }>): Promise<string> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const r = await make(i);
        if (r.status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return `${label.padEnd(44)} ${String(Math.round(N / seconds)).padStart(7)} req/s   ${((seconds * 1000) / N).toFixed(3)} ms/req wall${failures ? `   ${failures} non-200` : ''}`;
}

async function scenarios(openapi: string): Promise<string[]> {
  const { child, url } = await startChild(openapi);
  const tag = openapi ? 'validated' : 'no validation';
  const lines: string[] = [];
  try {
    const stamp = Date.now();
    for (let i = 0; i < 1000; i++) await request(url, 'GET', '/me'); // warm-up (JIT, lazy compiles)
    lines.push(await run(`GET /me (${tag})`, () => request(url, 'GET', '/me')));
    lines.push(
      await run(`POST /contacts (${tag})`, (i) =>
        request(url, 'POST', '/contacts', {
          role: 'user',
          external_id: `b-${stamp}-${i}`,
          email: `b${i}@bench.example`,
          name: `Bench ${i}`,
        }),
      ),
    );
    const contact = (await request(url, 'POST', '/contacts', { role: 'user', email: `owner-${stamp}@bench.example` }))
      .json.id as string;
    const conversations: string[] = [];
    // About ten replies per conversation, like a typical ticket thread.
    for (let i = 0; i < Math.ceil(N / 10); i++) {
      conversations.push(
        (
          await request(url, 'POST', '/conversations', {
            from: { type: 'user', id: contact },
            body: 'bench',
            created_at: 1_600_000_000,
          })
        ).json.conversation_id,
      );
    }
    lines.push(
      await run(`POST /conversations/{id}/reply (${tag})`, (i) =>
        request(url, 'POST', `/conversations/${conversations[i % conversations.length]}/reply`, {
          message_type: 'comment',
          type: 'admin',
          admin_id: '991267001',
          body: `reply ${i}`,
          created_at: 1_600_000_100 + i,
        }),
      ),
    );
  } finally {
    child.kill('SIGTERM');
  }
  return lines;
}

async function validatorCost(): Promise<string[]> {
  const t0 = performance.now();
  const validator = await loadOpenApiValidator(OPENAPI);
  const loadMs = performance.now() - t0;
  const q = new URLSearchParams();
  const cases: [string, string, unknown][] = [
    [
      'POST',
      '/contacts',
      { role: 'user', external_id: 'src-1', email: 'a@b.co', name: 'A', custom_attributes: { source_id: '1' } },
    ],
    [
      'POST',
      '/conversations',
      { from: { type: 'user', id: '6762f11b1bb69f9f2193bba3' }, body: 'x', created_at: 1_600_000_000 },
    ],
    [
      'POST',
      '/conversations/1/reply',
      { message_type: 'comment', type: 'admin', admin_id: '1', body: 'x', created_at: 1 },
    ],
    ['GET', '/me', undefined],
  ];
  const lines = [`OpenAPI description load + relax: ${loadMs.toFixed(0)} ms (once per process)`];
  for (const [method, path, body] of cases) {
    const c0 = performance.now();
    validator.validate({ method, path, query: q, body });
    const firstMs = performance.now() - c0;
    const iterations = 20_000;
    const s = performance.now();
    for (let i = 0; i < iterations; i++) validator.validate({ method, path, query: q, body });
    const us = ((performance.now() - s) * 1000) / iterations;
    lines.push(
      `validate ${`${method} ${path}`.padEnd(30)} first call (compile) ${firstMs.toFixed(1).padStart(6)} ms, then ${us.toFixed(1).padStart(6)} µs/request`,
    );
  }
  return lines;
}

void (async () => {
  console.log(`sandbox bench: ${N} requests per scenario, concurrency ${CONCURRENCY}, loopback`);
  for (const line of await scenarios('')) console.log(line);
  if (existsSync(OPENAPI)) {
    for (const line of await scenarios(OPENAPI)) console.log(line);
    for (const line of await validatorCost()) console.log(line);
  } else {
    console.log(`(no OpenAPI description at ${OPENAPI}: validation figures skipped)`);
  }
  agent.destroy();
})();
