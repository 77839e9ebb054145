import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { runSettingsOf } from '../../src/cli/common';
import { FLAGS } from '../../src/cli/flags';
import { intercomClientFor } from '../../src/engine/intercom-client';
import { runOptionsFor } from '../../src/engine/intercom-client';
import { DEFAULT_RUN_OPTIONS } from '../../src/engine/run-migration';
import { intercomClientOf, runOptionsOf, runSettingsOf as extensionSettingsOf } from '../../src/extension/run-inputs';
import { migrationConfigSchema } from '../../src/model/migration-config';

// The editor ran with 10 request slots against the command line's 32, with 32 records in flight in
// both: the one builder gives the client a slot for every record in flight, whoever asks.

test('the client has as many request slots as the run keeps records in flight, by default and when set', () => {
  const byDefault = intercomClientFor({ token: 't', region: 'US' });
  assert.equal(byDefault.transport.lanes.slots, DEFAULT_RUN_OPTIONS.concurrency);
  assert.equal(intercomClientFor({ token: 't', region: 'EU' }, { recordsInFlight: 12 }).transport.lanes.slots, 12);
});

test("the extension's defaults (its settings and migration config) are the engine's and the CLI's", () => {
  const config = migrationConfigSchema.parse({ version: 1 });
  assert.equal(config.run.concurrency, DEFAULT_RUN_OPTIONS.concurrency);
  assert.equal(config.run.sampleSize, DEFAULT_RUN_OPTIONS.sampleSize);
  const settings = (
    JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
    }
  ).contributes.configuration.properties;
  assert.equal(settings['st2ic.concurrency']?.default, DEFAULT_RUN_OPTIONS.concurrency);
  assert.equal(settings['st2ic.sampleSize']?.default, DEFAULT_RUN_OPTIONS.sampleSize);
  assert.equal(FLAGS.size.default, String(DEFAULT_RUN_OPTIONS.sampleSize));
});

test('one function turns run settings into the client and the options, for both adapters', () => {
  const cli = runSettingsOf({ concurrency: '8', 'workspace-ceiling': '12000', size: '5', 'search-settle': '30' });
  const config = migrationConfigSchema.parse({
    version: 1,
    run: { concurrency: 8, sampleSize: 5, workspaceCeiling: 12000 },
  });
  const editor = extensionSettingsOf(config);
  assert.deepEqual(runOptionsFor(cli), { concurrency: 8, sampleSize: 5, searchSettleMs: 30_000 });
  assert.deepEqual(runOptionsOf(config), { concurrency: 8, sampleSize: 5 });
  assert.deepEqual({ ...editor }, { recordsInFlight: 8, sampleSize: 5, workspaceCeilingPerMinute: 12000 });
  const a = intercomClientFor({ token: ['a', 'b'], baseUrl: 'http://127.0.0.1:1' }, cli);
  const b = intercomClientOf(config, 'a,b');
  assert.equal(a.transport.lanes.slots, 16);
  assert.equal(b.transport.lanes.slots, a.transport.lanes.slots);
  assert.throws(() => runSettingsOf({ concurrency: '0' }), /--concurrency/);
  assert.throws(() => runSettingsOf({ size: 'five' }), /--size/);
});
