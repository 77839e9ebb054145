import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FLAGS } from '../../src/cli/flags';
import { VERBS } from '../../src/cli/verbs';
import type { RunningSandbox } from '../../src/sandbox';
import {
  CLI,
  type CliResult,
  type Dataset,
  finished,
  makeDataset,
  removeDir,
  runCli,
  runIds,
  spawnCli,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/**
 * Issue 18: a command line a newcomer can trust, through the built CLI against the sandbox: the
 * target is explicit, bad input is one line and exit 2 with nothing written, flags are checked,
 * progress names what it counts.
 */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build first`);
  dir = tempDir('cli-trust');
  ds = await makeDataset(path.join(dir, 'source'), 0.1, 7);
  sandbox = await startSeededSandbox(ds);
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

const src = () => ['--source', `sqlite:${ds.dbPath}`];
const noStack = (r: CliResult, what: string) =>
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace\n${r.stderr}`);
const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

async function approvedWorkspace(name: string): Promise<string> {
  const ws = path.join(dir, name);
  await writeMap(ws, ds, 'approved');
  return ws;
}

/** A workspace with one completed full run (no --attachments, so some files fail), bound to the sandbox. */
let migrated: { ws: string; run: CliResult } | undefined;
async function migratedWorkspace(): Promise<{ ws: string; run: CliResult }> {
  if (migrated) return migrated;
  const ws = await approvedWorkspace('migrated');
  const run = await runCli(['migrate', ...src(), '--workspace', ws, '--intercom-url', sandbox.url], sandbox.token);
  migrated = { ws, run };
  return migrated;
}

test('bullet 1: every verb that talks to Intercom refuses without a target, before any plan, and sends nothing', async () => {
  const { ws: boundWs } = await migratedWorkspace();
  // A copy of a migrated folder without its target.json: its run exists, so rollback has a plan it could show.
  const unbound = path.join(dir, 'unbound');
  cpSync(boundWs, unbound, { recursive: true });
  rmSync(path.join(unbound, 'migration', 'target.json'));
  const runId = runIds(unbound)[0]!;
  const before = sandbox.requests().length;
  for (const args of [
    ['configure', ...src(), '--workspace', unbound, '--yes'],
    ['sample', ...src(), '--workspace', unbound],
    ['migrate', ...src(), '--workspace', unbound],
    ['delta', ...src(), '--workspace', unbound],
    ['validate', ...src(), '--workspace', unbound],
    ['ledger', 'rebuild', '--from-intercom', ...src(), '--workspace', unbound],
    ['rollback', runId, '--workspace', unbound, '--yes'],
  ]) {
    const r = await runCli(args, sandbox.token);
    assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
    assert.equal(
      lastLine(r.stderr),
      'st2ic: no Intercom target: pass --region us|eu|au or --intercom-url <http(s) URL> (nothing is assumed, so a run never writes to a production workspace by default)',
    );
    assert.doesNotMatch(r.stderr, /will:|\[/, `${args[0]}: no plan and no progress line before the refusal`);
  }
  const schemeless = await runCli(
    ['migrate', ...src(), '--workspace', unbound, '--intercom-url', new URL(sandbox.url).host],
    sandbox.token,
  );
  assert.equal(schemeless.code, 2);
  assert.match(schemeless.stderr, /--intercom-url must be an http:\/\/ or https:\/\/ URL.*\(got 127\.0\.0\.1:\d+\)/);
  assert.equal(sandbox.requests().length, before, 'nothing reached Intercom');
  assert.deepEqual(runIds(unbound), [runId], 'no run started');
});

test('bullet 1: a bound folder takes its recorded target without a flag, and says so', async () => {
  const { ws } = await migratedWorkspace();
  const target = JSON.parse(readFileSync(path.join(ws, 'migration', 'target.json'), 'utf8')) as {
    apiBaseUrl: string;
    appName: string;
  };
  assert.equal(target.apiBaseUrl, sandbox.url);
  const delta = await runCli(['delta', ...src(), '--workspace', ws], sandbox.token);
  assert.ok([0, 3].includes(delta.code!), delta.stderr);
  assert.match(
    delta.stderr.split('\n')[0]!,
    new RegExp(`^Intercom target: ${sandbox.url} \\(from .*target\\.json, Intercom workspace "${target.appName}"\\)`),
  );
});

test('bullet 2: a wrong token is exit 2, one line naming INTERCOM_TOKEN and the workspace, and no run folder', async () => {
  const { ws } = await migratedWorkspace();
  const runsBefore = runIds(ws);
  const fresh = await approvedWorkspace('wrong-token');
  for (const [args, workspace] of [
    [
      ['migrate', ...src(), '--workspace', fresh, '--intercom-url', sandbox.url],
      /the Intercom workspace at http:\/\/127\.0\.0\.1:\d+/,
    ],
    [['migrate', ...src(), '--workspace', ws, '--intercom-url', sandbox.url], /Intercom workspace "[^"]+"\./],
    [['validate', ...src(), '--workspace', ws], /Intercom workspace "[^"]+"\./],
    [['configure', ...src(), '--workspace', ws, '--yes'], /Intercom workspace "[^"]+"\./],
  ] as const) {
    const r = await runCli([...args], 'not-the-token');
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(
      lastLine(r.stderr),
      /^st2ic: Intercom refused the token \(401 at http:\/\/127\.0\.0\.1:\d+\): set INTERCOM_TOKEN to an access token of /,
    );
    assert.match(lastLine(r.stderr), workspace);
    assert.ok(!r.stderr.includes('not-the-token'), 'the token is never printed');
    noStack(r, args[0]);
  }
  assert.deepEqual(runIds(fresh), [], 'no run folder before the first write');
  assert.ok(!existsSync(path.join(fresh, 'migration', 'runs')), 'not even an empty runs folder');
  assert.deepEqual(runIds(ws), runsBefore);
});

test('bullet 2: a run refused by what it reads first (a fallback admin not in Intercom) is exit 2 and leaves no run folder', async () => {
  // An empty Intercom of its own: this folder is its first writer.
  const empty = await startSeededSandbox(ds);
  try {
    const ws = path.join(dir, 'bad-fallback');
    await writeMap(ws, ds, 'approved', (map) => ({
      ...map,
      options: { ...map.options, fallbackAdminEmail: 'nobody@nowhere.example' },
    }));
    const r = await runCli(['migrate', ...src(), '--workspace', ws, '--intercom-url', empty.url], empty.token);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      lastLine(r.stderr),
      /^st2ic: options\.fallbackAdminEmail: no Intercom admin has the email nobody@nowhere\.example$/,
    );
    assert.ok(!existsSync(path.join(ws, 'migration', 'runs')), 'no run folder');
    assert.deepEqual(
      empty.requests().filter((q) => q.method !== 'GET' && !q.path.includes('/search')),
      [],
      'nothing written',
    );
  } finally {
    await empty.close();
  }
});

test('bullet 2: map confirm without mapping.json is exit 2 with what to do', async () => {
  const r = await runCli(
    ['map', 'confirm', '--reviewer', 'Dana', '--yes', '--workspace', path.join(dir, 'no-map')],
    sandbox.token,
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^st2ic: .*no-map\/migration\/mapping\.json does not exist yet: run st2ic map propose\n$/);
});

test('bullet 2: a second Ctrl-C stops at once and prints what was done', async () => {
  const slow = await startSeededSandbox(ds, { rateLimitPer10s: 60 });
  try {
    const ws = await approvedWorkspace('interrupted');
    const child = spawnCli(['migrate', ...src(), '--workspace', ws, '--intercom-url', slow.url], slow.token);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = finished(child);
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 600 && !re.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(stderr, re);
    };
    await waitFor(/→ companies/);
    child.kill('SIGINT');
    await waitFor(/Stopping after the writes in flight/);
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Interrupted: \d+ migrated, \d+ skipped, \d+ failed so far; \d+ Intercom requests\./);
    assert.match(lastLine(r.stderr), /^Stopped at once\. Run the same command again to resume/);
  } finally {
    await slow.close();
  }
});

test('bullet 3: a flag of another verb is refused with the list of what the verb takes; --help describes each flag', async () => {
  const ws = await approvedWorkspace('flags');
  const before = sandbox.requests().length;
  const size = await runCli(
    ['migrate', ...src(), '--workspace', ws, '--intercom-url', sandbox.url, '--size', '5'],
    sandbox.token,
  );
  assert.equal(size.code, 2);
  assert.equal(
    lastLine(size.stderr),
    `st2ic: migrate does not take --size. It takes: ${VERBS.migrate.flags.map((f) => `--${f}`).join(', ')} (st2ic migrate --help describes them)`,
  );
  const both = await runCli(
    ['validate', ...src(), '--workspace', ws, '--intercom-url', sandbox.url, '--sample', '5', '--all'],
    sandbox.token,
  );
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--sample N and --all both say how many records to read back: give one/);
  assert.equal(sandbox.requests().length, before);
  assert.deepEqual(runIds(ws), []);

  for (const spec of Object.values(VERBS)) {
    const help = await runCli([...spec.verb.split(' '), '--help'], sandbox.token);
    assert.equal(help.code, 0);
    for (const flag of spec.flags) {
      assert.ok(help.stdout.includes(FLAGS[flag].description), `${spec.verb} --help describes --${flag}`);
      assert.match(
        help.stdout,
        new RegExp(`--${flag}\\b.*\\((default: .+|required)\\)\\n`),
        `${spec.verb} --help gives the default of --${flag}`,
      );
    }
  }
});

test('bullet 4: progress names what it counts; a run with failed records says so last; rollback says undone', async () => {
  const { ws, run } = await migratedWorkspace();
  assert.equal(run.code, 3, run.stderr);
  const organizations = ds.manifest.counts.organizations;
  const companyLines = run.stderr.split('\n').filter((l) => l.startsWith('  [companies]'));
  assert.ok(companyLines.length > 0, run.stderr);
  for (const line of companyLines) {
    const m = /^ {2}\[companies\] organizations: (\d+) migrated( · [\d.]+ req\/s)?$/.exec(line);
    assert.ok(m, `a companies line counts organizations only: ${line}`);
    assert.ok(Number(m[1]) <= organizations, `${line}: at most ${organizations} organizations`);
  }
  assert.match(
    lastLine(run.stdout),
    /^Run \S+ completed with \d+ record\(s\) failed \(named above and in the ledger\): fix the cause/,
  );

  // Newest first (the delta of an earlier test, then the full run): rollback counts what it undid.
  const runs = runIds(ws)
    .filter((id) => /-(full|delta)-/.test(id))
    .sort()
    .reverse();
  let undo: CliResult | undefined;
  for (const runId of runs) {
    undo = await runCli(['rollback', runId, '--workspace', ws, '--intercom-url', sandbox.url, '--yes'], sandbox.token);
    assert.equal(undo.code, 0, undo.stderr);
  }
  assert.ok(undo && runs.at(-1)!.includes('-full-'));
  const rollbackLines = undo.stderr.split('\n').filter((l) => l.startsWith('  [rollback]'));
  assert.ok(
    rollbackLines.length > 0 && rollbackLines.every((l) => /undone/.test(l) && !/migrated/.test(l)),
    rollbackLines.join('\n'),
  );
  assert.match(lastLine(undo.stdout), /^Rollback \S+ completed: \d+ undone/);
});
