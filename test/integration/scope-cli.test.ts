import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ScopeReport } from '../../src/model/scope';
import { buildMiniDb, type MiniDb } from '../fixtures/mini/build-mini-db';

// Runs the built CLI (npm run build) as a user would.
const cli = path.resolve('dist/cli.js');
let dir: string;
let db: MiniDb;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-scope-cli-'));
  db = buildMiniDb({ dir, bigTicketMessages: 10 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function st2ic(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir });
}

test('scope writes both reports and prints a summary', () => {
  const ws = path.join(dir, 'ws');
  const result = st2ic(
    'scope',
    '--source',
    `sqlite:${db.file}`,
    '--attachments',
    db.attachmentsRoot,
    '--workspace',
    ws,
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Counts: brands 2, departments 3/);
  assert.match(result.stdout, /warning +2 +Attachments missing on disk/);
  assert.match(result.stdout, /Intercom calls: about [\d,]+/);
  const report = ScopeReport.parse(JSON.parse(readFileSync(path.join(ws, 'migration/reports/scope.json'), 'utf8')));
  assert.equal(report.counts.tickets, 7);
  assert.ok(existsSync(path.join(ws, 'migration/reports/scope.md')));
});

test('--json prints a machine-readable summary; the workspace defaults to the current folder', () => {
  const result = st2ic('scope', '--source', `sqlite:${db.file}`, '--json');
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as {
    counts: Record<string, number>;
    problems: Record<string, number>;
    reports: { json: string };
  };
  assert.equal(summary.counts.endUsers, 8);
  assert.equal(summary.problems.attachmentNotChecked, 34);
  assert.equal(summary.reports.json, path.join(dir, 'migration/reports/scope.json'));
});

test('bad input exits with 2 and a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['scope'], /--source is required/],
    [['scope', '--source', `sqlite:${path.join(dir, 'nope.db')}`], /SQLite database not found/],
    [['scope', '--source', 'ftp://host/x'], /unknown --source scheme "ftp:"/],
    [['scope', '--source', `sqlite:${path.join(dir, 'App_Data', 'shared.bin')}`], /not a SQLite database/],
    // Without SMARTERTRACK_PASSWORD the password is asked for; with one, the unknown host is reported.
    [
      ['scope', '--source', 'mssql://reader@db.local:1433/SmarterTrack'],
      /SQL Server reader@db.local:1433\/SmarterTrack: no password; set SMARTERTRACK_PASSWORD|cannot reach db\.local:1433/,
    ],
    [
      ['scope', '--source', 'https://support.example.com'],
      /Web Services at https:\/\/support.example.com: no user; give it in the URL \(https:\/\/user@site\)/,
    ],
    [
      ['scope', '--source', `sqlite:${db.file}`, '--attachments', path.join(dir, 'no-such-dir')],
      /--attachments: not a folder/,
    ],
    [
      ['scope', '--source', `sqlite:${db.file}`, '--bogus'],
      /scope does not take --bogus\. It takes: --source, --attachments, --workspace, --prefix, --json/,
    ],
    [['scope', '--source', `sqlite:${db.file}`, '--dry-run'], /scope does not take --dry-run/],
    // A prefix is part of every table name in every query: one that is not a prefix is bad input, not a refused write.
    [
      ['scope', '--source', `sqlite:${db.file}`, '--prefix', 'st_; DROP TABLE x'],
      /table prefix "st_; DROP TABLE x" is not valid: .*letters, digits and underscores/,
    ],
    [
      ['scope', '--source', `sqlite:${db.file}`, '--prefix', 'nope_'],
      /required tables missing \(prefix "nope_"\): nope_Departments/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = st2ic(...args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace for bad input');
  }
});

test('map confirm stamps the whole map and says how many fields no one accepted one by one (their "reviewed" stays false)', () => {
  const ws = path.join(dir, 'confirm');
  const proposed = st2ic('map', 'propose', '--source', `sqlite:${db.file}`, '--workspace', ws);
  assert.equal(proposed.status, 0, proposed.stderr);
  const approved = st2ic('map', 'confirm', '--reviewer', 'Dana', '--approve', '--yes', '--workspace', ws);
  assert.equal(approved.status, 0, approved.stderr);
  const map = JSON.parse(readFileSync(path.join(ws, 'migration/mapping.json'), 'utf8')) as {
    review: { status: string };
    objects: Record<string, { enabled: boolean; fields: { reviewed: boolean }[] }>;
  };
  assert.equal(map.review.status, 'approved');
  const fields = Object.values(map.objects).flatMap((o) => (o.enabled ? o.fields : []));
  const open = fields.filter((f) => !f.reviewed).length;
  assert.ok(open > 0);
  assert.match(
    approved.stdout,
    new RegExp(
      `^mapping\\.json is approved by Dana \\(content [0-9a-f]{12}\\): the whole map, ${fields.length} field mappings\\.\n${open} of them not accepted one by one: their "reviewed" stays false`,
    ),
  );
  const json = st2ic('map', 'confirm', '--reviewer', 'Dana', '--approve', '--yes', '--json', '--workspace', ws);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(
    { ...JSON.parse(json.stdout), hash: undefined },
    { status: 'approved', by: 'Dana', hash: undefined, fieldMappings: fields.length, notAcceptedOneByOne: open },
  );
});
