import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientFrom } from '../../src/cli/common';
import { REGION_BASE_URLS } from '../../src/intercom';

const baseUrlOf = (client: ReturnType<typeof clientFrom>) => (client.transport as unknown as { http: { defaults: { baseURL?: string } } }).http.defaults.baseURL;

test('--region picks the regional host whatever its case, and refuses others', () => {
  process.env.INTERCOM_TOKEN = 'test-token';
  assert.equal(baseUrlOf(clientFrom({ region: 'eu' })), REGION_BASE_URLS.EU);
  assert.equal(baseUrlOf(clientFrom({ region: 'AU' })), REGION_BASE_URLS.AU);
  assert.equal(baseUrlOf(clientFrom({})), REGION_BASE_URLS.US);
  assert.equal(baseUrlOf(clientFrom({ region: 'eu', 'intercom-url': 'http://127.0.0.1:9' })), 'http://127.0.0.1:9');
  assert.throws(() => clientFrom({ region: 'mars' }), /--region must be us, eu or au/);
});
