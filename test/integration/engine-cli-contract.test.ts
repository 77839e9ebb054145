import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { mappingPath } from '../../src/mapping/mapping-file';
import type { RunningSandbox } from '../../src/sandbox';
import {
  CLI,
  cliArgs,
  type Dataset,
  makeDataset,
  removeDir,
  runCli,
  runIds,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/** Issue 4: the run verbs refuse an unconfirmed or edited map (exit 2) and report failed records (exit 3). */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('cli-contract');
  ds = await makeDataset(path.join(dir, 'source'), 0.1, 5);
  sandbox = await startSeededSandbox(ds);
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

async function refuses(workspace: string, verb: string, message: RegExp): Promise<void> {
  const before = sandbox.requests().length;
  const r = await runCli(cliArgs(verb, ds, workspace, sandbox), sandbox.token);
  assert.equal(r.code, 2, `${verb} exits 2\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, message, `${verb}: ${r.stderr}`);
  assert.equal(sandbox.requests().length, before, `${verb} sent nothing to Intercom`);
  assert.deepEqual(runIds(workspace), [], `${verb} started no run`);
}

test('migrate, delta and sample refuse a draft map; migrate and delta refuse a map only reviewed', async () => {
  const ws = path.join(dir, 'draft');
  await writeMap(ws, ds, 'draft');
  await refuses(
    ws,
    'migrate',
    /a full run needs the map approved; it is draft.*map confirm --reviewer <name> --approve/,
  );
  await refuses(ws, 'delta', /a delta run needs the map approved; it is draft/);
  await refuses(ws, 'sample', /a sample run needs the map reviewed; it is draft/);

  const reviewed = path.join(dir, 'reviewed');
  await writeMap(reviewed, ds, 'reviewed');
  await refuses(reviewed, 'migrate', /a full run needs the map approved; it is reviewed/);
  await refuses(reviewed, 'delta', /a delta run needs the map approved; it is reviewed/);
});

test('an approved map edited afterwards is refused until it is approved again', async () => {
  const ws = path.join(dir, 'edited');
  await writeMap(ws, ds, 'approved');
  const file = mappingPath(ws);
  const map = JSON.parse(readFileSync(file, 'utf8')) as { valueMaps: { ticketStatus: Record<string, string> } };
  const status = Object.keys(map.valueMaps.ticketStatus)[0]!;
  map.valueMaps.ticketStatus[status] = map.valueMaps.ticketStatus[status] === 'open' ? 'closed' : 'open';
  writeFileSync(file, JSON.stringify(map, null, 2));
  await refuses(ws, 'migrate', /mapping\.json changed since it was approved; a full run needs it approved again/);
  await refuses(ws, 'delta', /mapping\.json changed since it was approved; a delta run needs it approved again/);

  const confirm = await runCli(
    ['map', 'confirm', '--reviewer', 'Dana Ops', '--approve', '--yes', '--workspace', ws],
    sandbox.token,
  );
  assert.equal(confirm.code, 0, confirm.stderr);
  assert.match(confirm.stdout, /approved by Dana Ops/);
});

test('a bad --source exits 2 with a clear message', async () => {
  const ws = path.join(dir, 'bad-source');
  await writeMap(ws, ds, 'approved');
  for (const [source, message] of [
    [`sqlite:${path.join(dir, 'nowhere.db')}`, /nowhere\.db/],
    ['ftp://example.org/db', /unknown --source scheme "ftp:"/],
  ] as const) {
    const r = await runCli(
      ['migrate', '--source', source, '--workspace', ws, '--intercom-url', sandbox.url],
      sandbox.token,
    );
    assert.equal(r.code, 2, `${source}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const noSource = await runCli(['migrate', '--workspace', ws, '--intercom-url', sandbox.url], sandbox.token);
  assert.equal(noSource.code, 2);
  assert.match(noSource.stderr, /--source is required/);
  assert.deepEqual(runIds(ws), []);
});

test('a run where some records fail exits 3 and names them; the rest is migrated', async () => {
  // One end user whose email cannot be an Intercom email: the contact fails on its mapped field.
  const db = new Database(ds.dbPath);
  let userId: number;
  try {
    const row = db
      .prepare(
        `SELECT u.UserID FROM st_Users u WHERE u.Email LIKE '%@%' AND u.IsDeleted = 0 AND u.IsQueue = 0
      AND NOT EXISTS (SELECT 1 FROM st_Tickets t WHERE t.UserID_Customer = u.UserID) AND NOT EXISTS (SELECT 1 FROM st_Chats c WHERE c.CustomerUserID = u.UserID)
      AND NOT EXISTS (SELECT 1 FROM st_UsersInRoles ur JOIN st_Roles r ON r.RoleID = ur.RoleID WHERE ur.UserID = u.UserID AND r.RoleCategory = 1)
      AND (SELECT COUNT(*) FROM st_Users o WHERE o.LoweredEmail = u.LoweredEmail) = 1 ORDER BY u.UserID LIMIT 1`,
      )
      .get() as { UserID: number };
    userId = row.UserID;
    db.prepare(
      `UPDATE st_Users SET Email = 'billing at example dot com', LoweredEmail = 'billing at example dot com' WHERE UserID = ?`,
    ).run(userId);
  } finally {
    db.close();
  }
  const ws = path.join(dir, 'failures');
  await writeMap(ws, ds, 'approved');
  const r = await runCli(cliArgs('migrate', ds, ws, sandbox, ['--json']), sandbox.token);
  assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    status: string;
    counts: Record<string, { migrated: number; failed: number; failedReasons: Record<string, number> }>;
  };
  assert.equal(result.status, 'completed');
  assert.equal(result.counts.endUsers?.failed, 1);
  assert.match(Object.keys(result.counts.endUsers!.failedReasons).join(), /email/);
  // The dataset's one attachment row whose file is absent fails too, and nothing else does.
  assert.equal(result.counts.attachments?.failed, ds.manifest.hardCases.missingAttachmentIds.length);
  const failed = Object.entries(result.counts)
    .filter(([, c]) => c.failed > 0)
    .map(([k]) => k)
    .sort();
  assert.deepEqual(failed, ['attachments', 'endUsers']);
  assert.ok(
    !Object.values(sandbox.state().contacts).some((c) => c.external_id === String(userId)),
    'the failed contact was not written',
  );
  assert.ok(result.counts.tickets!.migrated > 0);
});
