import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import type { ResolveOptions } from '../../src/intercom';
import { IntercomClient, OutcomeUnknownError, writeAtMostOnce } from '../../src/intercom';
import { startSandbox } from '../../src/sandbox';

// Done means: with 10 % of requests failing in mixed ways (5xx before applying, slow responses past
// the client's timeout, and "drop": applied, then the connection is cut), 1,000 contact creates and
// 1,000 conversation creates end with exactly 1,000 of each: none duplicated, none missing.

const N = 1_000;
/** Creates driven at once; the client itself keeps at most 10 requests in flight (lookups wait without a slot). */
const TASKS = 120;

async function pool<T>(items: T[], workers: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await run(item);
      }
    }),
  );
}

test('1,000 contacts and 1,000 conversations under 10 % mixed faults: none duplicated, none missing', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-faults-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // One 429 in the middle of the run, on top of the probabilistic faults (each 429 pauses the
  // client until the window resets, so a probabilistic share would only make the test slow).
  const script = path.join(dir, 'faults.json');
  writeFileSync(
    script,
    JSON.stringify([{ match: { method: 'POST', pathRegex: '^/conversations$', nth: 300 }, fault: '429' }]),
  );
  const faults = `500:0.025,502:0.02,503:0.02,drop:0.025,slow:0.01,slow-ms=1200,seed=7,script:${script}`;
  const sandbox = await startSandbox({
    port: 0,
    rateLimitPer10s: 20_000,
    faults,
    searchLagMs: 300,
    token: 'faults-token-8d1f',
  });
  t.after(() => sandbox.close());
  const client = new IntercomClient({
    token: sandbox.token,
    baseUrl: sandbox.url,
    timeoutMs: 1_000, // below slow-ms: a slow answer is a timeout, i.e. an unknown outcome
    rateLimiter: { concurrency: 10 },
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
  });
  // Must outlast the sandbox's slowest apply (slow-ms) plus its search lag, or a write still in
  // progress would be judged "not applied".
  const settle: ResolveOptions = { searchSettleMs: 3_000, readSettleMs: 300 };
  let unknown = 0;
  let foundApplied = 0;
  /** Drives one create the way the loader will: never replayed until a lookup says "not applied". */
  const track = <T>(write: () => Promise<T>) =>
    writeAtMostOnce(
      client,
      () =>
        write().catch((err: unknown) => {
          if (err instanceof OutcomeUnknownError) unknown += 1;
          throw err;
        }),
      { ...settle, maxRounds: 10 },
    );

  const contactIds = new Map<number, string>();
  await pool(
    Array.from({ length: N }, (_, i) => i),
    TASKS,
    async (i) => {
      const r = await track(() =>
        client.contacts.create({
          role: 'user',
          external_id: `st-${i}`,
          email: `user${i}@example.com`,
          name: `User ${i}`,
        }),
      );
      if (r.outcome === 'existing') foundApplied += 1;
      contactIds.set(i, r.outcome === 'created' ? r.value.id : r.id);
    },
  );
  assert.equal(contactIds.size, N);

  const base = 1_600_000_000;
  await pool(
    Array.from({ length: N }, (_, i) => i),
    TASKS,
    async (i) => {
      const r = await track(() =>
        client.conversations.create({
          from: { type: 'user', id: contactIds.get(i)! },
          body: `Ticket ${i}: printer on fire`,
          created_at: base + i * 60,
        }),
      );
      if (r.outcome === 'existing') foundApplied += 1;
    },
  );

  const state = sandbox.state();
  const contacts = Object.values(state.contacts);
  assert.equal(contacts.length, N, 'exactly N contacts');
  assert.equal(new Set(contacts.map((c) => c.external_id)).size, N, 'no external_id twice');
  const conversations = Object.values(state.conversations);
  const keys = conversations.map((c) => `${c.contact_ids.join('+')}|${c.created_at}|${c.source_body}`);
  assert.equal(new Set(keys).size, conversations.length, 'no conversation twice');
  assert.equal(conversations.length, N, 'exactly N conversations');
  for (let i = 0; i < N; i++)
    assert.ok(
      keys.includes(`${contactIds.get(i)}|${base + i * 60}|<p>Ticket ${i}: printer on fire</p>`),
      `conversation ${i} present`,
    );

  // The run must have exercised what it claims to.
  const log = sandbox.requests();
  const drops = log.filter((r) => r.fault === 'drop' && r.method === 'POST').length;
  assert.ok(drops > 10, `drops on POST: ${drops}`);
  assert.ok(unknown > 20, `unknown outcomes: ${unknown}`);
  assert.ok(foundApplied > 5, `unknown outcomes found applied by lookup: ${foundApplied}`);
  assert.ok(client.stats().throttled >= 1, '429 seen and waited out');
  t.diagnostic(
    `requests ${log.length}, drops on POST ${drops}, unknown outcomes ${unknown}, found applied ${foundApplied}, 429s ${client.stats().throttled}`,
  );
});
