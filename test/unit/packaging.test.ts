import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

/** Issue 18, bullet 5: the extension and the CLI package the way their ecosystems expect. */

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  license: string;
  repository?: unknown;
  icon?: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

test('the manifest has what vsce asks for, so npm run package never stops at a prompt', () => {
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
  // The project has no public repository: none is invented, and vsce is told so instead of asking.
  assert.equal(pkg.repository, undefined);
  assert.match(pkg.scripts.package ?? '', / --allow-missing-repository /);
  assert.match(
    readFileSync('scripts/e2e/run.ts', 'utf8'),
    /'vsce', 'package', '--no-dependencies', '--allow-missing-repository'/,
    'the e2e packs the .vsix the same way',
  );
  // An icon vsce accepts: a PNG (SVG is refused) of at least 128×128.
  const icon = readFileSync(pkg.icon ?? 'missing');
  assert.equal(icon.subarray(1, 4).toString(), 'PNG');
  assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'icon is at least 128×128');
  assert.match(
    pkg.scripts.package ?? '',
    /^node scripts\/build\.mjs --production && vsce package /,
    'the .vsix is built minified',
  );
  assert.match(readFileSync('scripts/build.mjs', 'utf8'), /minify: production/);
  assert.match(readFileSync('.vscodeignore', 'utf8'), /^!dist\/cli\.js$/m, 'the .vsix carries the CLI too');
});

test('nothing is a runtime dependency: the bundles carry every library they use', () => {
  // esbuild bundles every import into dist/cli.js and dist/extension.js (only `vscode` is external,
  // and the SQLite WebAssembly is copied beside them), so an installed st2ic needs no node_modules;
  // test/integration/packaging-install.test.ts installs the packed tarball offline to prove it.
  assert.equal(pkg.dependencies, undefined);
  assert.ok(
    pkg.devDependencies['@types/html-to-text'] && pkg.devDependencies['node-sqlite3-wasm'] && pkg.devDependencies.mssql,
  );
  const build = readFileSync('scripts/build.mjs', 'utf8');
  assert.deepEqual(
    [...build.matchAll(/external: \[([^\]]*)\]/g)].map((m) => m[1]),
    [`'vscode'`],
    'the only external module is vscode, in the extension',
  );
});

test('npm pack gives the CLI alone: the bundled st2ic and the SQLite WebAssembly beside it', () => {
  assert.ok(existsSync('dist/cli.js'), 'npm run build first');
  assert.equal(pkg.bin.st2ic, './dist/cli.js');
  assert.match(readFileSync('dist/cli.js', 'utf8').slice(0, 30), /^#!\/usr\/bin\/env node/);
  assert.match(pkg.scripts.prepack ?? '', /build\.mjs --production/, 'a packed CLI is the minified build');
  // --ignore-scripts: list the files without rebuilding dist under the other tests.
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const [result] = JSON.parse(packed.stdout) as { files: { path: string }[] }[];
  assert.deepEqual(result!.files.map((f) => f.path).sort(), [
    'LICENSE',
    'README.md',
    'dist/cli.js',
    'dist/node-sqlite3-wasm.wasm',
    'package.json',
  ]);
});
