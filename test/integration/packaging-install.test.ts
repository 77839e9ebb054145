import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { buildMiniDb, type MiniDb } from '../fixtures/mini/build-mini-db';

/**
 * Issue 18, bullet 5, as a user installs the two packages: the CLI from the packed tarball into an
 * empty global prefix (offline: it has no runtime dependencies, so npm fetches nothing), run from
 * there on a SQLite source; the .vsix built without any prompt (stdin closed), holding the CLI.
 * Packs what `npm run build` left in dist/ (--ignore-scripts: no rebuild under the other tests).
 */

const root = process.cwd();
let dir: string;
let db: MiniDb;
const quiet: SpawnSyncOptions = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 };

before(() => {
  assert.ok(existsSync('dist/cli.js') && existsSync('dist/extension.js'), 'npm run build first');
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-packaging-'));
  db = buildMiniDb({ dir: path.join(dir, 'source'), bigTicketMessages: 10 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(
  command: string,
  args: string[],
  options: SpawnSyncOptions = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { ...quiet, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Names of the entries of a zip file, from its central directory. */
function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, `${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

test('npm install -g of the packed tarball gives a working st2ic, with no node_modules of its own', () => {
  const packDir = path.join(dir, 'pack');
  mkdirSync(packDir);
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir]);
  assert.equal(packed.status, 0, packed.stderr);
  const [result] = JSON.parse(packed.stdout) as { filename: string }[];
  const tarball = path.join(packDir, result!.filename);

  const prefix = path.join(dir, 'prefix');
  const installed = run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
    { cwd: dir },
  );
  assert.equal(installed.status, 0, installed.stderr);
  const packageDir = path.join(prefix, 'lib', 'node_modules', 'smartertrack-to-intercom');
  assert.deepEqual(
    readdirSync(packageDir).sort(),
    ['LICENSE', 'README.md', 'dist', 'package.json'],
    'nothing but the CLI was installed',
  );

  // Run from the prefix, outside the project: nothing of its node_modules can be resolved.
  const st2ic = path.join(prefix, 'bin', 'st2ic');
  const cwd = path.join(dir, 'elsewhere');
  mkdirSync(cwd);
  const help = run(st2ic, ['--help'], { cwd });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: st2ic <command>/m);
  assert.match(help.stdout, /^ {2}scope {2}/m);

  const scope = run(st2ic, ['scope', '--source', `sqlite:${db.file}`, '--attachments', db.attachmentsRoot, '--json'], {
    cwd,
  });
  assert.equal(scope.status, 0, scope.stderr);
  const summary = JSON.parse(scope.stdout) as { counts: Record<string, number> };
  assert.equal(summary.counts.tickets, 7);
  assert.ok(existsSync(path.join(cwd, 'migration', 'reports', 'scope.md')));
  assert.ok(!cwd.startsWith(root) && !prefix.startsWith(root));
});

test('the .vsix is packaged without a prompt and carries the extension, the CLI, LICENSE and the icon', () => {
  const vsix = path.join(dir, 'st2ic.vsix');
  // The packaging command of `npm run package`, on the build already in dist/ (stdin closed: a
  // prompt would fail it).
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { package: string }; icon: string };
  const vsceArgs = pkg.scripts.package
    .replace(/^.*&& vsce /, '')
    .replace(/--out \S+/, '')
    .trim()
    .split(/\s+/);
  assert.equal(vsceArgs[0], 'package');
  const packed = run('npx', ['--no-install', 'vsce', ...vsceArgs, '--out', vsix]);
  assert.equal(packed.status, 0, `${packed.stdout}\n${packed.stderr}`);
  const entries = zipEntries(vsix);
  for (const file of [
    'extension/package.json',
    'extension/LICENSE.txt',
    `extension/${pkg.icon}`,
    'extension/dist/extension.js',
    'extension/dist/cli.js',
    'extension/dist/node-sqlite3-wasm.wasm',
    'extension/dist/webview.js',
    'extension/dist/mapping.schema.json',
  ]) {
    assert.ok(entries.includes(file), `${file} in the .vsix (it holds: ${entries.join(', ')})`);
  }
  assert.deepEqual(
    entries.filter((e) => e.endsWith('.map') || e.includes('node_modules/') || e.startsWith('extension/src/')),
    [],
  );
});
