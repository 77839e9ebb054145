import assert from 'node:assert/strict';
import { test } from 'node:test';

import { configFromSettings } from '../../src/extension/settings';

const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

test('a new config.json takes the user settings, with defaults for unset ones', () => {
  const config = configFromSettings(
    reader({ 'intercom.region': 'au', sampleSize: 10, 'ai.enabled': true, 'ai.timeout': 5000 }),
  );
  assert.equal(config.intercom.region, 'au');
  assert.equal(config.run.sampleSize, 10);
  assert.equal(config.run.concurrency, 32);
  assert.equal(config.ai.enabled, true);
  assert.equal(config.ai.timeoutMs, 5000);
});

test('invalid settings are refused with the setting named', () => {
  assert.throws(
    () => configFromSettings(reader({ attachmentBaseUrl: 'not a url' })),
    /st2ic\.\* settings are not valid: run\.attachmentBaseUrl/,
  );
  assert.throws(() => configFromSettings(reader({ concurrency: 0 })), /run\.concurrency/);
});
