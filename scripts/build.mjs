// Bundles the extension, the CLI and the webview with esbuild.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  }),
]);
// node-sqlite3-wasm loads its .wasm next to the bundle.
const wasm = path.join(path.dirname(require.resolve('node-sqlite3-wasm')), 'node-sqlite3-wasm.wasm');
cpSync(wasm, 'dist/node-sqlite3-wasm.wasm');

// The mapping file's JSON Schema comes from its zod schema (src/model/mapping.ts).
// A production build has no source maps: remove those of an earlier development build.
if (production) for (const f of readdirSync('dist')) if (f.endsWith('.map')) rmSync(path.join('dist', f));

const schema = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/write-mapping-schema.ts'], {
  stdio: 'inherit',
});
if (schema.status !== 0) process.exit(schema.status ?? 1);
