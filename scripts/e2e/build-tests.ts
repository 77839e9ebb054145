// Compiles test/vscode/*.ts to out/test/vscode/*.js for the extension host (Node 24 in code-server,
// Electron's Node on desktop). vscode is provided by the host; mocha is loaded from node_modules.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';

export const TEST_OUT_DIR = 'out/test/vscode';

export async function buildVscodeTests(): Promise<string> {
  const entryPoints = readdirSync('test/vscode')
    .filter((n) => n.endsWith('.ts'))
    .map((n) => path.join('test/vscode', n));
  rmSync(TEST_OUT_DIR, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: TEST_OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.resolve(TEST_OUT_DIR, 'index.js');
}
