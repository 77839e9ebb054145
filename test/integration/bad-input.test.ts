import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { IntercomClient } from '../../src/intercom';
import { openLedger } from '../../src/ledger';
import { mappingPath, readMappingFile } from '../../src/mapping/mapping-file';
import { parseMigrationConfig } from '../../src/model/migration-config';
import { CONFIG_FILE, MIGRATION_DIR } from '../../src/model/workspace-paths';
import { buildReconciliation } from '../../src/reports/reconciliation';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index';
import { openSource } from '../../src/source/open-source';
import { BAD_DATASETS, type CaseOutcome, type Corruption, type Evidence } from '../fixtures/bad-input/datasets';
import { generateDataset } from '../fixtures/dataset/generate';
import { type CliRun, describeRun, st2ic } from './cli-run';

/**
 * Bad input never crashes a run: each corrupted dataset goes through scope, map propose, map confirm
 * and migrate (the CLI, into one sandbox reset between datasets); the run ends with exit code 0 or 3,
 * every source record is accounted for in the reconciliation, and each bad value is named (record
 * and field) in a reconciliation row or the CLI output. Malformed mapping.json and config.json are
 * refused with a message naming the file and the field.
 */

let dir: string;
let base: string;
let sandbox: RunningSandbox;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-bad-input-'));
  base = path.join(dir, 'base');
  await generateDataset({ outDir: base, seed: 21, scale: 0.05 });
  // The generator's own ticket over the part cap costs ~500 requests per dataset: one corruption makes its own.
  const db = new Database(path.join(base, 'smartertrack.db'));
  db.exec(`DELETE FROM st_TicketMessages WHERE TicketID IN (SELECT TicketID FROM st_TicketMessages GROUP BY TicketID HAVING COUNT(*) > 100)
    AND TicketMessageID NOT IN (SELECT MIN(TicketMessageID) FROM st_TicketMessages GROUP BY TicketID)`);
  db.close();
  sandbox = await startSandbox({ openapiPath: '', rateLimitPer10s: 1_000_000 });
});

after(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Prepared {
  dataDir: string;
  workspace: string;
  source: string[];
}

function copyBase(name: string): Prepared {
  const dataDir = path.join(dir, name.replace(/\W+/g, '-'));
  cpSync(base, dataDir, { recursive: true });
  const workspace = path.join(dataDir, 'workspace');
  mkdirSync(workspace);
  return {
    dataDir,
    workspace,
    source: [
      '--source',
      `sqlite:${path.join(dataDir, 'smartertrack.db')}`,
      '--attachments',
      path.join(dataDir, 'App_Data'),
      '--workspace',
      workspace,
    ],
  };
}

/** map propose reads fields, not files: it takes no --attachments. */
const mapSource = (p: Prepared): string[] => ['--source', p.source[1]!, '--workspace', p.workspace];

async function runSteps(p: Prepared): Promise<CliRun[]> {
  assert.equal(
    (
      await fetch(`${sandbox.url}/__sandbox/reset`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandbox.token}` },
      })
    ).status,
    200,
  );
  const env = { INTERCOM_TOKEN: sandbox.token };
  const runs: CliRun[] = [];
  for (const args of [
    ['scope', ...p.source],
    ['map', 'propose', ...mapSource(p)],
    ['map', 'confirm', '--reviewer', 'Bad Input', '--approve', '--yes', '--workspace', p.workspace],
    ['migrate', ...p.source, '--intercom-url', sandbox.url],
  ]) {
    const run = await st2ic(args, env);
    runs.push(run);
    if (run.code !== 0 && run.code !== 3) break;
  }
  return runs;
}

function judge(evidence: Evidence, outcome: CaseOutcome): string | undefined {
  const complaint = evidence.check?.(outcome);
  if (complaint) return complaint;
  if (!evidence.anyOf?.length) return undefined;
  const haystack = [...outcome.rows, ...outcome.output.split('\n'), ...outcome.reports.split('\n')];
  const found = evidence.anyOf.some((re) => haystack.some((line) => re.test(line)));
  return found ? undefined : `no message matches ${evidence.anyOf.map(String).join(' or ')}`;
}

for (const dataset of BAD_DATASETS) {
  test(`bad input: ${dataset.name}`, async (t) => {
    const p = copyBase(dataset.name);
    const db = new Database(path.join(p.dataDir, 'smartertrack.db'));
    const evidence = new Map<Corruption, Evidence>();
    try {
      for (const c of dataset.corruptions)
        evidence.set(c, c.apply({ db, attachmentsRoot: path.join(p.dataDir, 'App_Data'), workspace: p.workspace }));
    } finally {
      db.close();
    }

    const runs = await runSteps(p);
    const log = runs.map(describeRun).join('\n');
    for (const r of runs) assert.ok(r.code === 0 || r.code === 3, log);
    assert.equal(runs.length, 4, log);
    assert.doesNotMatch(log, /\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace in the output');

    const reader = await openSource(
      { kind: 'sqlite', path: path.join(p.dataDir, 'smartertrack.db') },
      { attachmentsRoot: path.join(p.dataDir, 'App_Data') },
    );
    const ledger = await openLedger(p.workspace, { warn: () => undefined });
    let outcome: CaseOutcome;
    let unaccounted: string[];
    try {
      const reconciliation = await buildReconciliation({
        ledger,
        reader,
        client: new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url }),
        map: await readMappingFile(p.workspace),
        sample: 0,
      });
      unaccounted = reconciliation.report.types
        .filter((ty) => ty.unaccounted > 0)
        .map((ty) => `${ty.objectType}: ${ty.unaccountedIds.slice(0, 10).join(', ')}`);
      outcome = {
        exitCodes: Object.fromEntries(
          runs.map((r) => [r.args.slice(0, r.args[0] === 'map' ? 2 : 1).join(' '), r.code]),
        ),
        output: runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n'),
        rows: reconciliation.rows.map((r) =>
          `${r.objectType} ${r.sourceId} ${r.state} ${r.reason} ${r.field} ${r.message}`.replace(/\s+/g, ' '),
        ),
        sandboxText: JSON.stringify(sandbox.state()),
        reports: ['reports/scope.json', 'mapping.json']
          .map((f) => readFileSync(path.join(p.workspace, 'migration', f), 'utf8'))
          .join('\n'),
      };
    } finally {
      await ledger.close();
      await reader.close();
    }
    if (process.env.BAD_INPUT_DEBUG)
      writeFileSync(
        path.join(process.env.BAD_INPUT_DEBUG, `${dataset.name.replace(/\W+/g, '-')}.json`),
        JSON.stringify({ log, ...outcome }, null, 1),
      );
    assert.deepEqual(unaccounted, [], 'every source record is migrated, skipped or failed');
    for (const [c, e] of evidence) {
      await t.test(c.name, () => {
        const complaint = judge(e, outcome);
        assert.equal(
          complaint,
          undefined,
          `${c.name}: ${complaint}\n${outcome.rows
            .filter((r) => !/^\w+ \S+ skipped (deleted|draft|no email)/.test(r))
            .slice(0, 60)
            .join('\n')}`,
        );
      });
    }
  });
}

test('bad input: malformed mapping.json (not JSON, wrong field) is refused with exit 2 naming the file and the field', async () => {
  const p = copyBase('malformed mapping');
  assert.equal(
    (
      await fetch(`${sandbox.url}/__sandbox/reset`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandbox.token}` },
      })
    ).status,
    200,
  );
  const env = { INTERCOM_TOKEN: sandbox.token };
  for (const args of [
    ['map', 'propose', ...mapSource(p)],
    ['map', 'confirm', '--reviewer', 'Bad Input', '--approve', '--yes', '--workspace', p.workspace],
  ]) {
    const r = await st2ic(args, env);
    assert.equal(r.code, 0, describeRun(r));
  }
  const file = mappingPath(p.workspace);
  const good = readFileSync(file, 'utf8');
  const migrate = () => st2ic(['migrate', ...p.source, '--intercom-url', sandbox.url], env);

  writeFileSync(file, good.slice(0, Math.floor(good.length / 2)));
  let r = await migrate();
  assert.equal(r.code, 2, describeRun(r));
  assert.match(r.stderr, /mapping\.json is not valid JSON/);

  const broken = JSON.parse(good) as { objects: { tickets: { fields: { target: unknown }[] } } };
  broken.objects.tickets.fields[0]!.target = 12345;
  writeFileSync(file, JSON.stringify(broken, null, 2));
  r = await migrate();
  assert.equal(r.code, 2, describeRun(r));
  assert.match(r.stderr, /mapping\.json does not match the mapping schema/);
  assert.match(r.stderr, /objects\.tickets\.fields\.0\.target/);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/);
  assert.equal(Object.keys(sandbox.state().conversations).length, 0, 'nothing was written');
});

test('bad input: malformed config.json (not JSON, wrong field, a secret pasted in) is refused naming the file and the field', async () => {
  const p = copyBase('malformed config');
  const configFile = path.join(p.workspace, MIGRATION_DIR, CONFIG_FILE);
  mkdirSync(path.dirname(configFile), { recursive: true });
  const cases: [string, RegExp][] = [
    ['{"version": 1, "run": {"concurrency": ', /migration\/config\.json is not valid JSON/],
    ['{"version": 1, "run": {"concurrency": "fast"}}', /migration\/config\.json is invalid:[\s\S]*run\.concurrency/],
    [
      '{"version": 1, "intercom": {"region": "us", "token": "abc"}}',
      /migration\/config\.json is invalid:[\s\S]*(intercom|token)/,
    ],
    ['{"version": 2}', /migration\/config\.json is invalid:[\s\S]*version/],
  ];
  for (const [text, message] of cases) {
    writeFileSync(configFile, text);
    assert.throws(() => parseMigrationConfig(readFileSync(configFile, 'utf8')), message);
  }
  // The CLI takes its settings from flags and the environment: a broken config.json does not stop it.
  const r = await st2ic(['scope', ...p.source]);
  assert.equal(r.code, 0, describeRun(r));
});
