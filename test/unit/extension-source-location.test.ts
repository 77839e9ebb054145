import assert from 'node:assert/strict';
import { test } from 'node:test';

import { attachmentsRootOf, sourceUrlOf } from '../../src/extension/source-location';
import { migrationConfigSchema } from '../../src/model/migration-config';
import { parseSourceUrl } from '../../src/source/source-url';

const source = (s: unknown) => migrationConfigSchema.parse({ version: 1, source: s }).source!;

test('a SQLite source resolves relative to the workspace folder, with its App_Data', () => {
  const s = source({ kind: 'sqlite', file: 'demo/smartertrack.db', attachments: 'demo/App_Data' });
  assert.deepEqual(parseSourceUrl(sourceUrlOf(s, '/work/ws')), {
    kind: 'sqlite',
    path: '/work/ws/demo/smartertrack.db',
  });
  assert.equal(attachmentsRootOf(s, '/work/ws'), '/work/ws/demo/App_Data');
  assert.equal(attachmentsRootOf(source({ kind: 'sqlite', file: '/abs/st.db' }), '/work/ws'), null);
});

test('a SQL Server source becomes the mssql:// URL the reader parses, encryption settings kept, no password', () => {
  const s = source({
    kind: 'sqlserver',
    server: 'db.local',
    port: 1444,
    database: 'Smarter Track',
    user: 'DOMAIN reader',
    trustServerCertificate: true,
  });
  const url = sourceUrlOf(s, '/work/ws');
  const parsed = parseSourceUrl(url);
  assert.equal(parsed.kind, 'mssql');
  assert.ok(parsed.kind === 'mssql');
  assert.equal(parsed.host, 'db.local');
  assert.equal(parsed.port, 1444);
  assert.equal(parsed.database, 'Smarter Track');
  assert.equal(parsed.user, 'DOMAIN reader');
  assert.equal(parsed.encrypt, true);
  assert.equal(parsed.trustServerCertificate, true);
  assert.doesNotMatch(url, /password/i);
});
