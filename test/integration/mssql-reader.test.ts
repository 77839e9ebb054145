import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { SourceReader } from '../../src/source/reader';
import { serveDataset, type ServedDataset } from './mssql-helpers';

/**
 * The reader-level half of "the sandbox ends in the same state": every object stream read through
 * the real mssql driver (TDS fixture) equals the same stream read from the SQLite file, record by
 * record.
 */

const STREAMS = [
  'brands',
  'departments',
  'departmentPolicies',
  'groups',
  'agents',
  'endUsers',
  'queueUsers',
  'organizations',
  'organizationMemberships',
  'customFields',
  'customFieldValues',
  'ticketStatuses',
  'ticketPriorities',
  'commentTypes',
  'tickets',
  'ticketMessages',
  'ticketComments',
  'ticketThreads',
  'attachments',
  'liveChats',
  'chatMessages',
  'callLogs',
  'kbCategories',
  'kbArticles',
  'tags',
  'automationRules',
] as const satisfies readonly (keyof SourceReader)[];

let served: ServedDataset;
let viaMssql: SourceReader;
let viaSqlite: SourceReader;

before(async () => {
  served = await serveDataset({ scale: 0.3 });
  // A small page size makes every stream cross several keyset pages.
  viaMssql = await served.openMssql({ pageSize: 37 });
  viaSqlite = await served.openSqlite({ pageSize: 37 });
});
after(async () => {
  await viaMssql?.close();
  await viaSqlite?.close();
  await served?.dispose();
});

for (const stream of STREAMS) {
  test(`${stream}: identical records through mssql and SQLite`, async () => {
    const a = viaMssql[stream]()[Symbol.asyncIterator]();
    const b = viaSqlite[stream]()[Symbol.asyncIterator]();
    let n = 0;
    for (;;) {
      const [x, y] = await Promise.all([a.next(), b.next()]);
      assert.equal(x.done, y.done, `${stream}: one side ended after ${n} records`);
      if (x.done) break;
      assert.deepEqual(x.value, y.value, `${stream}: record ${n} differs`);
      n++;
    }
    if (!['queueUsers', 'brands'].includes(stream)) assert.ok(n > 1, `${stream}: expected several records, got ${n}`);
  });
}

test('a single thread and the description read the same through both engines', async () => {
  const first = (await viaSqlite.tickets()[Symbol.asyncIterator]().next()).value!;
  assert.deepEqual(await viaMssql.ticketThread(first.id), await viaSqlite.ticketThread(first.id));
  const [m, s] = [await viaMssql.describe(), await viaSqlite.describe()];
  assert.equal(m.engine, 'mssql');
  assert.equal(m.location, `127.0.0.1:${served.fixture.port}/SmarterTrack`);
  assert.deepEqual(
    { ...m, engine: 'x', location: 'x', versionHints: [] },
    { ...s, engine: 'x', location: 'x', versionHints: [] },
  );
});

test('the driver logged in with ApplicationIntent=ReadOnly as the configured user', () => {
  const logins = served.fixture.logins();
  assert.ok(logins.length > 0);
  for (const login of logins) {
    assert.equal(login.readOnlyIntent, true);
    assert.equal(login.userName, 'st_reader');
    assert.equal(login.database, 'SmarterTrack');
  }
});
