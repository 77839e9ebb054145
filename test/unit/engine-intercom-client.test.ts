import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intercomClientFor } from '../../src/engine/intercom-client';
import { DEFAULT_RUN_OPTIONS } from '../../src/engine/run-migration';
import { migrationConfigSchema } from '../../src/model/migration-config';

// The editor ran with 10 request slots against the command line's 32, with 32 records in flight in
// both: the one builder gives the client a slot for every record in flight, whoever asks.

test('the client has as many request slots as the run keeps records in flight, by default and when set', () => {
  const byDefault = intercomClientFor({ token: 't', region: 'US' });
  assert.equal(byDefault.transport.lanes.slots, DEFAULT_RUN_OPTIONS.concurrency);
  assert.equal(intercomClientFor({ token: 't', region: 'EU' }, 12).transport.lanes.slots, 12);
});

test("the extension's default records in flight (migration config) are the engine's", () => {
  const config = migrationConfigSchema.parse({ version: 1 });
  assert.equal(config.run.concurrency, DEFAULT_RUN_OPTIONS.concurrency);
});
