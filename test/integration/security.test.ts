import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { webviewHtml } from '../../src/extension/mapping-editor/webview-html';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index';
import { generateDataset } from '../fixtures/dataset/generate';
import { startTdsFixture, type TdsFixture } from '../fixtures/tds/server';
import { type CliRun, describeRun, st2ic } from './cli-run';

/**
 * Secrets stay out of everything a run leaves behind. A small dataset goes through the CLI from
 * SQL Server (mssql and the TDS fixture) with distinctive secrets in the environment; then the workspace files, the CLI output and the sandbox's request log are searched
 * for them. The SQL traffic of the whole migration is SELECT only.
 */

const SECRETS = {
  INTERCOM_TOKEN: 'itk_Sec7Zq4mW9xRt2Lp8Vb3Nc6Hd1Jf5Kg',
  SMARTERTRACK_PASSWORD: 'St-Pw!9vQ2xK7mR4tL8zB3',
  OPENAI_API_KEY: 'sk-proj-Xy8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0Gf9Ed',
};
const DB_USER = 'st_reader';

let dir: string;
let sandbox: RunningSandbox;
let fixture: TdsFixture;
const runs: CliRun[] = [];
const workspaces: string[] = [];

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Where a secret shows up: raw, or in the encodings a careless log would use. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(SECRETS)) {
    for (const form of [
      value,
      Buffer.from(value).toString('base64'),
      encodeURIComponent(value),
      JSON.stringify(value).slice(1, -1),
    ]) {
      if (text.includes(form)) found.push(name);
    }
  }
  return [...new Set(found)];
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-security-'));
  const manifest = await generateDataset({ outDir: path.join(dir, 'source'), seed: 5, scale: 0.05 });
  const database = path.join(dir, 'source', manifest.database);
  const attachments = path.join(dir, 'source', manifest.attachmentsRoot);
  sandbox = await startSandbox({ openapiPath: '', token: SECRETS.INTERCOM_TOKEN, rateLimitPer10s: 1_000_000 });
  fixture = await startTdsFixture({ database, user: DB_USER, password: SECRETS.SMARTERTRACK_PASSWORD, port: 0 });

  // SQL Server through mssql: the one source that needs SMARTERTRACK_PASSWORD.
  const sources = {
    mssql: `mssql://${DB_USER}@127.0.0.1:${fixture.port}/SmarterTrack?encrypt=true&trustServerCertificate=false`,
  };
  for (const [kind, source] of Object.entries(sources)) {
    const ws = path.join(dir, `workspace-${kind}`);
    workspaces.push(ws);
    const src = ['--source', source, '--attachments', attachments, '--workspace', ws];
    const intercom = ['--intercom-url', sandbox.url];
    for (const args of [
      ['scope', ...src],
      ['map', 'propose', '--source', source, '--workspace', ws],
      ['map', 'confirm', '--reviewer', 'Security Test', '--approve', '--yes', '--workspace', ws],
      ['sample', ...src, ...intercom, '--size', '3'],
      ['migrate', ...src, ...intercom],
      ['validate', ...src, ...intercom, '--sample', '5'],
      ['inventory', ...src],
    ]) {
      runs.push(await st2ic(args, SECRETS));
    }
  }
});

after(async () => {
  await sandbox?.close();
  await fixture?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the runs completed (the secrets were used, not just set)', () => {
  for (const r of runs) assert.ok([0, 3].includes(r.code), describeRun(r));
  assert.ok(runs.some((r) => r.args[0] === 'migrate' && /migrated/.test(r.stdout)));
  assert.ok(Object.keys(sandbox.state().conversations).length > 0);
  assert.ok(fixture.logins().length > 0, 'the SQL Server source was logged in to with SMARTERTRACK_PASSWORD');
});

test('no secret in any file under the workspaces (migration/, runs, journals, reports, config)', () => {
  let scanned = 0;
  for (const ws of workspaces) {
    const files = filesUnder(ws);
    assert.ok(
      files.some((f) => f.endsWith('journal.jsonl')),
      `${ws} has journals`,
    );
    assert.ok(
      files.some((f) => f.includes(`${path.sep}reports${path.sep}`)),
      `${ws} has reports`,
    );
    for (const file of files) {
      if (statSync(file).size > 50 * 1024 * 1024) continue;
      const found = leaks(readFileSync(file).toString('latin1'));
      assert.deepEqual(found, [], `${file} contains ${found.join(', ')}`);
      scanned++;
    }
  }
  assert.ok(scanned > 5);
});

test('no secret in the CLI output', () => {
  for (const r of runs) {
    assert.deepEqual(leaks(r.stdout), [], `stdout of st2ic ${r.args[0]}`);
    assert.deepEqual(leaks(r.stderr), [], `stderr of st2ic ${r.args[0]}`);
  }
});

test('no secret in the sandbox request log (bodies, paths) nor in its state', () => {
  const log = sandbox.requests();
  assert.ok(log.length > 50);
  for (const entry of log) assert.deepEqual(leaks(JSON.stringify(entry)), [], `${entry.method} ${entry.path}`);
  assert.deepEqual(leaks(JSON.stringify(sandbox.state())), []);
});

test('the SQL Server reader sent only SELECT statements during the whole migration', () => {
  const statements = fixture.statements();
  assert.ok(statements.length > 100, `${statements.length} statements`);
  for (const s of statements) {
    if (s.kind === 'batch')
      assert.match(
        s.sql,
        /^set ansi_nulls on\b/i,
        `only the driver's session set-up arrives as a batch: ${s.sql.slice(0, 200)}`,
      );
    else assert.match(s.sql.trimStart(), /^(WITH\s[\s\S]*?\)\s*)?SELECT\s/i, s.sql.slice(0, 200));
    assert.doesNotMatch(
      s.sql,
      /\b(INSERT|UPDATE|DELETE|MERGE|DROP|ALTER|CREATE|TRUNCATE|EXEC(UTE)?|GRANT)\b\s/i,
      s.sql.slice(0, 200),
    );
  }
});

test('webview HTML carries a CSP with a nonce and no unsafe-inline / unsafe-eval', () => {
  const root = path.resolve('src/extension');
  const sources = filesUnder(root)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ f, text: readFileSync(f, 'utf8') }));
  const hosts = sources.filter((s) =>
    /createWebviewPanel|registerWebviewViewProvider|registerCustomEditorProvider|\.webview\.html\s*=/.test(s.text),
  );
  assert.ok(hosts.length > 0, 'the mapping editor hosts a webview');
  // Every page a host sets is built by webviewHtml, whose policy is checked here as the browser reads it.
  for (const s of hosts.filter((h) => /\.webview\.html\s*=/.test(h.text)))
    assert.match(s.text, /\.webview\.html\s*=\s*webviewHtml\(/, `${s.f} builds its page with webviewHtml`);
  const html = webviewHtml({
    cspSource: 'https://res.example',
    scriptUri: 'https://res.example/webview.js',
    styleUri: 'https://res.example/e.css',
    title: 't',
  });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  const nonce = /nonce="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.ok(nonce.length >= 16, 'a nonce of at least 16 characters');
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'(;|$)`));
  assert.match(csp, /default-src 'none'/);
  for (const s of sources) assert.doesNotMatch(s.text, /unsafe-inline|unsafe-eval/, s.f);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
});
