import assert from 'node:assert/strict';
import { test } from 'node:test';

import { awaitArchives } from '../../src/engine/await-archives';
import { startSandbox } from '../../src/sandbox';
import { clientFor } from '../support/engine-fixtures';

// Intercom archives a deleted company later; the rollback reads each one until it is gone.
async function sandboxWithDeletedCompanies(archiveLagMs: number, count: number) {
  let now = Date.parse('2026-05-04T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: 100_000, archiveLagMs, clock });
  const client = clientFor(sandbox);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const company = await client.companies.createOrUpdate({ company_id: `queued-${i}`, name: `Queued ${i}` });
    await client.companies.delete(company.id);
    ids.push(company.id);
  }
  // Sleeping moves the sandbox's clock and the waiter's together: no real time passes.
  const sleep = async (ms: number) => {
    now += ms;
  };
  const gets = () => sandbox.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/companies/')).length;
  return { sandbox, client, ids, clock, sleep, gets };
}

test('awaitArchives reads each deleted company until Intercom reports it gone, backing off between rounds', async (t) => {
  const { sandbox, client, ids, clock, sleep, gets } = await sandboxWithDeletedCompanies(10_000, 3);
  t.after(() => sandbox.close());
  assert.equal(
    Object.values(sandbox.state().companies).filter((c) => c.archived).length,
    0,
    'accepted, not yet archived',
  );
  const still = await awaitArchives(client, ids, { clock, timeoutMs: 60_000, sleep });
  assert.deepEqual(still, []);
  assert.equal(Object.values(sandbox.state().companies).filter((c) => c.archived).length, 3);
  // Pauses of 0.5, 1, 2, 4 s reach 7.5 s, then 8 s reaches 15.5 s: six rounds of three reads, not one a millisecond.
  assert.equal(gets(), 18);
});

test('awaitArchives names the companies still readable when its time runs out', async (t) => {
  const { sandbox, client, ids, clock, sleep } = await sandboxWithDeletedCompanies(60_000, 2);
  t.after(() => sandbox.close());
  const still = await awaitArchives(client, [...ids, ids[0]!], { clock, timeoutMs: 5_000, sleep });
  assert.deepEqual(still.sort(), [...ids].sort(), 'each id once');
});
