import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import Database from 'better-sqlite3';

import { ScopeReport } from '../../src/model/scope';
import { buildScope, preflightOf } from '../../src/reports/scope';
import { scopeMarkdown } from '../../src/reports/scope-markdown';
import { openSource } from '../../src/source/open-source';
import { parseSourceUrl } from '../../src/source/source-url';
import { SchemaError } from '../../src/source/sql/catalog';
import { WriteRefusedError } from '../../src/source/sql/connection';
import { openMssql, SourceLoginError, SourceUnreachableError } from '../../src/source/sql/mssql-connection';
import { startTdsFixture } from '../fixtures/tds/server';
import { daysBefore, pinnedClockEnv, TEST_NOW, testClock } from '../support/clock';
import { PASSWORD, serveDataset, type ServedDataset, USER } from './mssql-helpers';

/** Scope and pre-flight through the real mssql driver; read-only traffic; clear connection errors. */

let served: ServedDataset;

before(async () => {
  served = await serveDataset({ scale: 0.3 }, { lastFullBackup: daysBefore(2) });
});
after(() => served?.dispose());

const target = (port: number, database = 'SmarterTrack') => ({
  host: '127.0.0.1',
  port,
  database,
  user: USER,
  auth: 'sql' as const,
  domain: null,
  encrypt: true,
  trustServerCertificate: false,
  connectTimeoutMs: 5000,
});

test('scope through mssql equals the manifest counts and the SQLite scope, plus a pre-flight block', async () => {
  const reader = await served.openMssql();
  const sqlite = await served.openSqlite();
  try {
    const [viaMssql, viaSqlite] = [
      await buildScope(reader, { attachmentsRoot: served.attachmentsRoot, clock: testClock }),
      await buildScope(sqlite, { attachmentsRoot: served.attachmentsRoot, clock: testClock }),
    ];
    assert.deepEqual(viaMssql.counts, served.manifest.counts);
    assert.deepEqual(viaMssql.problems, viaSqlite.problems);
    assert.deepEqual(viaMssql.rebuild, viaSqlite.rebuild);
    assert.deepEqual(viaMssql.estimate, viaSqlite.estimate);

    assert.equal(viaSqlite.preflight.applicable, false);
    assert.equal(viaSqlite.preflight.facts, null);
    assert.doesNotMatch(scopeMarkdown(viaSqlite), /Pre-flight/);

    const p = viaMssql.preflight;
    assert.equal(p.applicable, true);
    assert.equal(p.facts?.databaseName, 'SmarterTrack');
    assert.match(p.facts?.serverVersion ?? '', /^Microsoft SQL Server 2019/);
    assert.equal(p.facts?.lastFullBackup?.finishedAt, daysBefore(2).toISOString());
    assert.equal(p.lastFullBackupAgeDays, 2);
    assert.deepEqual(p.warnings, []);
    assert.deepEqual(
      p.checklist.map((c) => c.id),
      ['fullBackup', 'licenseActivation', 'serviceStopped'],
    );
    const db = new Database(served.database, { readonly: true });
    try {
      const tickets = p.facts?.tableRows.find((t) => t.table === 'st_Tickets');
      assert.equal(tickets?.rows, db.prepare('SELECT COUNT(*) FROM st_Tickets').pluck().get());
      assert.ok(p.facts!.tableRows.every((t) => t.table.startsWith('st_')));
    } finally {
      db.close();
    }
    const md = scopeMarkdown(ScopeReport.parse(viaMssql));
    assert.match(md, /## Pre-flight \(SQL Server\)/);
    assert.match(md, /- \[ \] A full backup/);
    assert.match(md, /- \[ \] A SmarterTrack license activation is left/);
    assert.match(md, /- \[ \] Before the final delta run, the SmarterTrack service is stopped/);
  } finally {
    await reader.close();
    await sqlite.close();
  }
});

test('pre-flight warns on an old backup, on no backup, and on an unreadable msdb without failing', async () => {
  for (const [lastFullBackup, expected] of [
    [
      daysBefore(30.5),
      /^The last full backup of SmarterTrack finished 30\.5 days ago \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\); take a fresh full backup before migrating \(this check wants one from the last 7 days\)\.$/,
    ],
    [daysBefore(7), null],
    [
      new Date(TEST_NOW.getTime() + 3 * 86_400_000),
      /is dated \d{4}-\d\d-\d\d \d\d:\d\d UTC, in the future by this machine's clock/,
    ],
    [null, /No full backup of SmarterTrack is recorded/],
    ['unreadable', /backup history \(msdb\.dbo\.backupset\) could not be read/],
  ] as const) {
    const fixture = await startTdsFixture({
      database: served.database,
      user: USER,
      password: PASSWORD,
      lastFullBackup,
    });
    const reader = await openSource(parseSourceUrl(`mssql://${USER}@127.0.0.1:${fixture.port}/SmarterTrack`), {
      password: PASSWORD,
    });
    try {
      const facts = await reader.preflight!();
      const p = preflightOf(facts, TEST_NOW);
      if (expected === null) {
        assert.deepEqual(p.warnings, [], 'a backup exactly at the threshold is not flagged');
      } else {
        assert.equal(p.warnings.length, 1, p.warnings.join('\n'));
        assert.match(p.warnings[0]!, expected);
      }
      if (lastFullBackup === 'unreadable')
        assert.match(facts!.unavailable[0]!, /SELECT permission was denied on the object 'backupset'/);
      assert.ok(facts!.tableRows.length > 10, 'the other facts are still read');
    } finally {
      await reader.close();
      await fixture.close();
    }
  }
});

test('only SELECT statements reach the server, and the guard refuses a write before sending it', async () => {
  const reader = await served.openMssql();
  try {
    await buildScope(reader, { attachmentsRoot: null, clock: testClock });
  } finally {
    await reader.close();
  }
  const statements = served.fixture.statements();
  assert.ok(statements.length > 50);
  for (const s of statements) {
    if (s.kind === 'batch')
      assert.match(s.sql, /^set ansi_nulls on\b/i, "only the driver's session set-up arrives as a batch");
    else assert.match(s.sql.trimStart(), /^SELECT\s/i);
  }
  const connection = await openMssql(target(served.fixture.port), PASSWORD);
  try {
    const before = served.fixture.statements().length;
    await assert.rejects(connection.query('DELETE FROM [st_Tickets]'), WriteRefusedError);
    await assert.rejects(connection.query('SELECT 1; UPDATE [st_Users] SET [IsDeleted] = 1'), WriteRefusedError);
    await assert.rejects(connection.query('EXEC sp_who'), WriteRefusedError);
    assert.equal(served.fixture.statements().length, before, 'nothing was sent');
  } finally {
    await connection.close();
  }
});

test('a wrong password fails with the user and server named, never the password', async () => {
  const error = await openMssql(target(served.fixture.port), 'not-the-password').then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.ok(error instanceof SourceLoginError, String(error));
  assert.match(
    error.message,
    new RegExp(`SQL Server 127\\.0\\.0\\.1:${served.fixture.port}/SmarterTrack: login failed for user "${USER}"`),
  );
  assert.doesNotMatch(error.message, /not-the-password/);
  const wrongDb = await openMssql(target(served.fixture.port, 'Other'), PASSWORD).then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.ok(wrongDb instanceof SourceLoginError);
  assert.match(wrongDb.message, /Cannot open database "Other"/);
});

test('an unreachable host fails with "cannot reach host:port (ECONNREFUSED)"', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const error = await openMssql(target(port), PASSWORD).then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.ok(error instanceof SourceUnreachableError, String(error));
  assert.match(error.message, new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
});

test("a missing optional table is tolerated and reported; a missing required table is the reader's schema error", async () => {
  const withoutTags = path.join(served.dir, 'without-tags.db');
  copyFileSync(served.database, withoutTags);
  const db = new Database(withoutTags);
  db.exec('DROP TABLE st_Tags');
  db.close();
  const fixture = await startTdsFixture({ database: withoutTags, user: USER, password: PASSWORD });
  try {
    const reader = await openSource(parseSourceUrl(`mssql://${USER}@127.0.0.1:${fixture.port}/SmarterTrack`), {
      password: PASSWORD,
    });
    try {
      const report = await buildScope(reader, { attachmentsRoot: null, clock: testClock });
      assert.ok(report.source.missingOptionalTables.includes('st_Tags'));
      assert.equal(report.counts.tags, 0);
      assert.match(scopeMarkdown(report), /Missing optional tables: .*st_Tags/);
    } finally {
      await reader.close();
    }
  } finally {
    await fixture.close();
  }

  const withoutMessages = path.join(served.dir, 'without-messages.db');
  copyFileSync(served.database, withoutMessages);
  const db2 = new Database(withoutMessages);
  db2.exec('DROP TABLE st_TicketMessages');
  db2.close();
  const fixture2 = await startTdsFixture({ database: withoutMessages, user: USER, password: PASSWORD });
  try {
    await assert.rejects(
      openSource(parseSourceUrl(`mssql://${USER}@127.0.0.1:${fixture2.port}/SmarterTrack`), { password: PASSWORD }),
      (e: unknown) => e instanceof SchemaError && /st_TicketMessages/.test(e.message),
    );
  } finally {
    await fixture2.close();
  }
});

test('a database converted with the hd_ prefix is detected through mssql and counted like the manifest', async () => {
  const hd = await serveDataset({ seed: 2, scale: 0.2, tablePrefix: 'hd_' });
  try {
    const reader = await hd.openMssql();
    try {
      const report = await buildScope(reader, { attachmentsRoot: hd.attachmentsRoot, clock: testClock });
      assert.equal(report.source.tablePrefix, 'hd_');
      assert.deepEqual(report.counts, hd.manifest.counts);
      assert.ok(report.preflight.facts!.tableRows.length > 10);
      assert.ok(report.preflight.facts!.tableRows.every((t) => t.table.startsWith('hd_')));
    } finally {
      await reader.close();
    }
  } finally {
    await hd.dispose();
  }
});

test('st2ic scope --source mssql://… works with SMARTERTRACK_PASSWORD, and says why when the password is wrong', async () => {
  const cli = path.resolve('dist/cli.js');
  assert.ok(existsSync(cli), 'run npm run build first');
  const run = promisify(execFile);
  const ws = path.join(served.dir, 'ws');
  const ok = await run(process.execPath, [cli, 'scope', '--source', served.url, '--workspace', ws], {
    env: { ...process.env, ...pinnedClockEnv, SMARTERTRACK_PASSWORD: PASSWORD },
  });
  assert.match(ok.stdout, /Scope of mssql source 127\.0\.0\.1:\d+\/SmarterTrack \(prefix st_\)/);
  assert.match(ok.stdout, /Pre-flight: no warnings; 3 items to confirm in scope\.md/);
  const report = ScopeReport.parse(JSON.parse(readFileSync(path.join(ws, 'migration/reports/scope.json'), 'utf8')));
  assert.deepEqual(report.counts, served.manifest.counts);
  assert.doesNotMatch(
    readFileSync(path.join(ws, 'migration/reports/scope.json'), 'utf8'),
    new RegExp(PASSWORD.replace(/[!-]/g, '\\$&')),
  );

  // Twelve days later by the pinned clock, the same backup is flagged, one warning a line.
  const later = await run(process.execPath, [cli, 'scope', '--source', served.url, '--workspace', ws], {
    env: {
      ...process.env,
      ST2IC_NOW: new Date(TEST_NOW.getTime() + 10 * 86_400_000).toISOString(),
      SMARTERTRACK_PASSWORD: PASSWORD,
    },
  });
  assert.match(
    later.stdout,
    /Pre-flight: 1 warning; 3 items to confirm in scope\.md\n {2}- The last full backup of SmarterTrack finished 12 days ago \(\d{4}-\d\d-\d\d 12:00 UTC\); take a fresh full backup/,
  );
  assert.doesNotMatch(later.stdout, /\.;/);
  const badClock = await run(process.execPath, [cli, 'scope', '--source', served.url, '--workspace', ws], {
    env: { ...process.env, ST2IC_NOW: 'tomorrow', SMARTERTRACK_PASSWORD: PASSWORD },
  }).then(
    () => null,
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal(badClock?.code, 2);
  assert.match(badClock.stderr, /ST2IC_NOW="tomorrow" is not an ISO 8601 date-time/);

  const bad = await run(process.execPath, [cli, 'scope', '--source', served.url, '--workspace', ws], {
    env: { ...process.env, SMARTERTRACK_PASSWORD: 'wrong-one' },
  }).then(
    () => null,
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal(bad?.code, 2);
  assert.match(bad.stderr, /login failed for user "st_reader"/);
  assert.doesNotMatch(bad.stderr, /wrong-one/);
});
