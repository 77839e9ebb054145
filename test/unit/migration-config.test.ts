import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  migrationConfigSchema,
  parseMigrationConfig,
  serializeMigrationConfig,
} from '../../src/model/migration-config';

test('a minimal config.json gets every default filled in', () => {
  const config = parseMigrationConfig('{"version":1}');
  assert.equal(config.source, undefined);
  assert.deepEqual(config.intercom, { region: 'us', apiVersion: '2.16' });
  assert.equal(config.ai.enabled, false);
  assert.equal(config.run.concurrency, 32);
});

test('a secret pasted into config.json is rejected, naming where it is', () => {
  assert.throws(
    () => parseMigrationConfig('{"version":1,"intercom":{"region":"eu","token":"dG9rZW4="}}'),
    /Unrecognized key: "token"[\s\S]*intercom/,
  );
  assert.throws(
    () =>
      parseMigrationConfig(
        '{"version":1,"source":{"kind":"sqlserver","server":"db","database":"st","user":"sa","password":"x"}}',
      ),
    /Unrecognized key: "password"/,
  );
  assert.throws(() => parseMigrationConfig('{"version":1,"ai":{"apiKey":"sk-1"}}'), /Unrecognized key: "apiKey"/);
});

test('invalid JSON and unknown versions are reported as such', () => {
  assert.throws(() => parseMigrationConfig('{"version":1,'), /not valid JSON/);
  assert.throws(() => parseMigrationConfig('{"version":2}'), /invalid/);
  assert.throws(() => parseMigrationConfig('{"version":1,"intercom":{"region":"ca"}}'), /region/);
});

test('each source kind round-trips through the file format', () => {
  for (const source of [
    {
      kind: 'sqlserver',
      server: 'db.local',
      port: 1433,
      database: 'SmarterTrack',
      user: 'reader',
      encrypt: true,
      trustServerCertificate: false,
    },
    { kind: 'sqlite', file: 'data/smartertrack.db' },
    { kind: 'soap', url: 'https://help.example.com', user: 'admin' },
  ] as const) {
    const config = migrationConfigSchema.parse({ version: 1, source });
    assert.deepEqual(parseMigrationConfig(serializeMigrationConfig(config)), config);
  }
});
