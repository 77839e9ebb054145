import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  checkTarget,
  describeConnections,
  parseConnectionChecks,
  verifiedConnections,
} from '../../src/extension/connection-state';
import { migrationConfigSchema } from '../../src/model/migration-config';

const none = { intercomToken: false, smartertrackPassword: false, aiKey: false };

test('nothing connected yields no entries, so the view shows its welcome buttons', () => {
  assert.deepEqual(describeConnections(undefined, none), []);
  assert.deepEqual(describeConnections(migrationConfigSchema.parse({ version: 1 }), { ...none, aiKey: true }), []);
});

test('a SQL Server source without its password is incomplete; with it, connected', () => {
  const config = migrationConfigSchema.parse({
    version: 1,
    source: { kind: 'sqlserver', server: 'db', database: 'st', user: 'reader' },
  });
  const [source, intercom, ai] = describeConnections(config, none);
  assert.equal(source?.status, 'incomplete');
  assert.match(source?.description ?? '', /db:1433\/st · password missing/);
  assert.equal(intercom?.status, 'notConnected');
  assert.equal(ai?.status, 'off');
  assert.equal(describeConnections(config, { ...none, smartertrackPassword: true })[0]?.status, 'connected');
});

test('a SQLite source needs no password', () => {
  const config = migrationConfigSchema.parse({ version: 1, source: { kind: 'sqlite', file: 'st.db' } });
  assert.equal(describeConnections(config, none)[0]?.status, 'connected');
});

test('Intercom shows its region host; AI reports a missing key only when enabled', () => {
  const config = migrationConfigSchema.parse({
    version: 1,
    intercom: { region: 'eu' },
    ai: { enabled: true, model: 'm1' },
  });
  const [, intercom, ai] = describeConnections(config, { ...none, intercomToken: true });
  assert.equal(intercom?.status, 'connected');
  assert.match(intercom?.description ?? '', /api\.eu\.intercom\.io/);
  assert.equal(ai?.status, 'incomplete');
  assert.equal(describeConnections(config, { ...none, intercomToken: true, aiKey: true })[2]?.status, 'connected');
});

test('a passed Test of the same target shows what it found; a stale or failed one does not pass', () => {
  const config = migrationConfigSchema.parse({
    version: 1,
    intercom: { region: 'us', baseUrl: 'http://127.0.0.1:4000' },
  });
  const presence = { ...none, intercomToken: true };
  const check = {
    ok: true,
    target: checkTarget('intercom', config),
    summary: 'Sandbox · US',
    at: '2026-11-28T12:00:00.000Z',
  };
  const intercom = describeConnections(config, presence, { intercom: check })[1];
  assert.equal(intercom?.status, 'verified');
  assert.equal(intercom?.description, 'Sandbox · US');
  const moved = migrationConfigSchema.parse({ version: 1, intercom: { region: 'eu' } });
  assert.equal(
    describeConnections(moved, presence, { intercom: check })[1]?.status,
    'connected',
    'a result for another target is ignored',
  );
  const failed = describeConnections(config, presence, {
    intercom: { ...check, ok: false, summary: '401 Unauthorized' },
  })[1];
  assert.equal(failed?.status, 'failed');
  assert.match(failed?.tooltip ?? '', /401 Unauthorized/);
});

test('several tokens: one row each, from the last test of this target; untested or stale rows say "not tested"', () => {
  const config = migrationConfigSchema.parse({
    version: 1,
    intercom: { region: 'us', baseUrl: 'http://127.0.0.1:4000' },
  });
  const presence = { ...none, intercomToken: true };
  assert.equal(describeConnections(config, presence, {}, 1)[1]?.tokens, undefined, 'one token has no rows');

  const untested = describeConnections(config, presence, {}, 3)[1];
  assert.deepEqual(
    untested?.tokens?.map((t) => [t.label, t.status, t.description]),
    [
      ['Token 1 of 3', 'connected', 'not tested'],
      ['Token 2 of 3', 'connected', 'not tested'],
      ['Token 3 of 3', 'connected', 'not tested'],
    ],
  );
  assert.match(untested?.description ?? '', / · 3 tokens$/);

  const check = {
    ok: false,
    target: checkTarget('intercom', config),
    summary: 'Intercom refused access token 2 of 3 (401)',
    at: '2026-11-28T12:00:00.000Z',
    tokens: [
      { number: 1, ok: true, summary: 'Acme (abc123) as Ann' },
      { number: 2, ok: false, summary: 'refused by Intercom (401)' },
      { number: 3, ok: true, summary: 'Acme (abc123) as Bo' },
    ],
  };
  const tested = describeConnections(config, presence, { intercom: check }, 3)[1];
  assert.equal(tested?.status, 'failed');
  assert.deepEqual(
    tested?.tokens?.map((t) => [t.status, t.description]),
    [
      ['verified', 'Acme (abc123) as Ann'],
      ['failed', 'refused by Intercom (401)'],
      ['verified', 'Acme (abc123) as Bo'],
    ],
  );

  const elsewhere = migrationConfigSchema.parse({ version: 1, intercom: { region: 'eu' } });
  assert.deepEqual(
    describeConnections(elsewhere, presence, { intercom: check }, 3)[1]?.tokens?.map((t) => t.description),
    ['not tested', 'not tested', 'not tested'],
    'a test of another target is stale',
  );
});

test('stored checks are parsed: an unreadable shape counts as never tested', () => {
  const good = { intercom: { ok: true, target: 'us', summary: 'Acme · US', at: '2026-11-28T12:00:00.000Z' } };
  assert.deepEqual(parseConnectionChecks(good), good);
  assert.deepEqual(parseConnectionChecks({ intercom: { ok: 'yes' } }), {});
  assert.deepEqual(parseConnectionChecks(undefined), {});
});

test('after a reload the sandbox the folder points at is not running: not green, whatever its last Test said, and a click starts it', () => {
  const config = migrationConfigSchema.parse({
    version: 1,
    intercom: { region: 'us', baseUrl: 'http://127.0.0.1:4000' },
  });
  const presence = { ...none, intercomToken: true };
  const passed = {
    intercom: {
      ok: true,
      target: checkTarget('intercom', config),
      summary: 'Sandbox · US',
      at: '2026-11-28T12:00:00.000Z',
    },
  };
  const stopped = describeConnections(config, presence, passed, 1, { url: 'http://127.0.0.1:4000', running: false })[1];
  assert.equal(stopped?.status, 'incomplete');
  assert.equal(stopped?.description, 'local sandbox · not running');
  assert.equal(stopped?.command, 'st2ic.startSandbox');
  assert.equal(
    describeConnections(config, presence, passed, 1, { url: 'http://127.0.0.1:4000', running: true })[1]?.status,
    'verified',
    'running: as its Test said',
  );
  assert.equal(
    describeConnections(config, presence, passed, 1, { url: 'http://127.0.0.1:5999', running: false })[1]?.status,
    'verified',
    'another sandbox stopped: not this connection',
  );
});

test('the walkthrough counts a connection as made only after a passed Test of what the configuration names', () => {
  const config = migrationConfigSchema.parse({
    version: 1,
    source: { kind: 'sqlite', file: 'st.db' },
    intercom: { region: 'eu' },
  });
  const presence = { ...none, intercomToken: true };
  const at = '2026-11-28T12:00:00.000Z';
  const passed = { ok: true, target: checkTarget('source', config), summary: 'sqlite · st.db', at };
  assert.deepEqual(
    verifiedConnections(describeConnections(config, presence)),
    { source: false, intercom: false },
    'connected, never tested',
  );
  assert.deepEqual(verifiedConnections(describeConnections(config, presence, { source: passed })), {
    source: true,
    intercom: false,
  });
  assert.deepEqual(verifiedConnections(describeConnections(config, presence, { source: { ...passed, ok: false } })), {
    source: false,
    intercom: false,
  });
  const intercom = { ok: true, target: checkTarget('intercom', config), summary: 'Acme · EU', at };
  assert.deepEqual(verifiedConnections(describeConnections(config, presence, { source: passed, intercom })), {
    source: true,
    intercom: true,
  });
  // The source moved to another database since its Test: the step waits for a Test of the new one.
  const moved = migrationConfigSchema.parse({ ...config, source: { kind: 'sqlite', file: 'other.db' } });
  assert.deepEqual(verifiedConnections(describeConnections(moved, presence, { source: passed, intercom })), {
    source: false,
    intercom: true,
  });
  assert.deepEqual(
    verifiedConnections(describeConnections(config, { ...none }, { source: passed, intercom })),
    { source: true, intercom: false },
    'no token, nothing proved',
  );
});
