import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { clientFor } from '../../src/cli/common';
import { resolveTarget } from '../../src/cli/target';
import { REGION_BASE_URLS } from '../../src/intercom';

/** Issue 18, bullet 1: the Intercom target is always explicit, never a default region. */

function folder(target?: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-target-'));
  if (target) {
    mkdirSync(path.join(dir, 'migration'));
    writeFileSync(
      path.join(dir, 'migration', 'target.json'),
      JSON.stringify({ version: 1, appIdCode: 'abc123', appName: 'Acme', boundAt: '2026-01-01T00:00:00Z', ...target }),
    );
  }
  return dir;
}

test('--region picks the regional host whatever its case, and refuses others', async () => {
  assert.equal((await resolveTarget({ region: 'eu' }, undefined)).baseUrl, REGION_BASE_URLS.EU);
  assert.equal((await resolveTarget({ region: 'AU' }, undefined)).baseUrl, REGION_BASE_URLS.AU);
  await assert.rejects(resolveTarget({ region: 'mars' }, undefined), /--region must be us, eu or au/);
});

test('no flag and no target.json: refused, naming both flags; never a default region', async () => {
  const dir = folder();
  try {
    await assert.rejects(resolveTarget({}, dir), /no Intercom target: pass --region us\|eu\|au or --intercom-url/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--intercom-url must be an http(s) URL without credentials; both flags together are refused', async () => {
  assert.equal(
    (await resolveTarget({ 'intercom-url': 'http://127.0.0.1:18921/' }, undefined)).baseUrl,
    'http://127.0.0.1:18921',
  );
  for (const bad of [
    'localhost:18921',
    'ftp://example.org',
    '127.0.0.1:18921',
    'https://user:secret@api.intercom.io',
  ]) {
    await assert.rejects(resolveTarget({ 'intercom-url': bad }, undefined), /--intercom-url must/, bad);
  }
  await assert.rejects(
    resolveTarget({ region: 'us', 'intercom-url': 'http://127.0.0.1:1' }, undefined),
    /two targets: give one/,
  );
});

test('without a flag, the target recorded in migration/target.json is used and named', async () => {
  const recorded = folder({ region: 'EU', apiBaseUrl: 'http://127.0.0.1:4567' });
  const regionOnly = folder({ region: 'AU' });
  const nowhere = folder({ region: null });
  try {
    const t = await resolveTarget({}, recorded);
    assert.equal(t.baseUrl, 'http://127.0.0.1:4567');
    assert.equal(t.fromWorkspace, true);
    assert.match(t.from, /target\.json, Intercom workspace "Acme"/);
    assert.equal((await resolveTarget({}, regionOnly)).baseUrl, REGION_BASE_URLS.AU);
    await assert.rejects(resolveTarget({}, nowhere), /does not say where Intercom workspace "Acme" is reached/);
    // A flag wins over the file, and the file still names the bound workspace for messages.
    const flagged = await resolveTarget({ region: 'us' }, recorded);
    assert.equal(flagged.baseUrl, REGION_BASE_URLS.US);
    assert.equal(flagged.workspaceName, 'Acme');
  } finally {
    for (const d of [recorded, regionOnly, nowhere]) rmSync(d, { recursive: true, force: true });
  }
});

test('the client goes to the resolved base URL with the token from INTERCOM_TOKEN only', () => {
  const saved = process.env.INTERCOM_TOKEN;
  try {
    delete process.env.INTERCOM_TOKEN;
    assert.throws(() => clientFor({ baseUrl: 'http://127.0.0.1:9', from: 'x' }), /INTERCOM_TOKEN is not set/);
    process.env.INTERCOM_TOKEN = 'test-token';
    assert.equal(clientFor({ baseUrl: 'http://127.0.0.1:9', from: 'x' }).transport.baseUrl, 'http://127.0.0.1:9');
  } finally {
    if (saved === undefined) delete process.env.INTERCOM_TOKEN;
    else process.env.INTERCOM_TOKEN = saved;
  }
});
