// npm run test:e2e: the extension in a real VS Code (code-server 4.139.1 = VS Code 1.139.1 on
// Node 24) driven by Chromium. (a) the mocha suite in test/vscode runs inside the extension host;
// (b) the Playwright tests in test/e2e click through the workbench as a user. Screenshots and logs go
// to test-results/. Exit code 0 only if both pass; code-server is always stopped.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

import { type Browser, chromium } from 'playwright-core';

import { generateDataset } from '../../test/fixtures/dataset/generate';
import { buildVscodeTests } from './build-tests';
import { type CodeServer, startCodeServer } from './code-server';
import { runHostSuite } from './host-suite';
import { ensureToolchain } from './toolchain';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OVERALL_TIMEOUT_MS = Number(process.env.ST2IC_E2E_TIMEOUT_MS ?? 30 * 60_000); // includes a first install
const HOST_SUITE_TIMEOUT_MS = 180_000;
const UI_TESTS_TIMEOUT_MS = 300_000;

const root = process.cwd();
const resultsDir = path.join(root, 'test-results');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message: string) => console.log(`[e2e ${elapsed()}] ${message}`);

let server: CodeServer | undefined;
let browser: Browser | undefined;
let tmp: string | undefined;
const cleanup = async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  server = undefined;
  if (tmp && !process.env.ST2IC_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
};

// A hard stop for anything that hangs (a stuck install, a browser that never answers).
let timedOut = false;
const watchdog = setTimeout(async () => {
  timedOut = true;
  console.error(`[e2e] overall timeout of ${OVERALL_TIMEOUT_MS / 1000} s reached; stopping`);
  await cleanup();
  process.exit(124);
}, OVERALL_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanup();
    process.exit(130);
  });
}

function runStep(
  title: string,
  command: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): void {
  log(title);
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: timeoutMs, env });
  if (result.status !== 0)
    throw new Error(`${title} failed (${result.error?.message ?? result.status ?? result.signal})`);
}

/** Like runStep but asynchronous, so the watchdog and signal handlers stay live. */
function runChild(
  title: string,
  command: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  log(title);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const timer = setTimeout(() => {
      console.error(`[e2e] ${title}: timed out after ${timeoutMs / 1000} s`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const tools = ensureToolchain();
  log(`toolchain ready in ${tools.root}`);
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  runStep('building the extension', 'npm', ['run', '--silent', 'build'], 120_000);
  runStep(
    'packaging the extension',
    'npx',
    ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--out', 'dist/st2ic.vsix'],
    120_000,
  );
  const testsPath = await buildVscodeTests();

  tmp = mkdtempSync(path.join(os.tmpdir(), 'st2ic-e2e-'));
  const hostWorkspace = path.join(tmp, 'workspace-host');
  const uiWorkspace = path.join(tmp, 'workspace-ui');
  mkdirSync(hostWorkspace);
  mkdirSync(uiWorkspace);
  writeFileSync(path.join(uiWorkspace, 'README.md'), '# A help desk to migrate\n');
  // SmarterTrack databases the tests connect to: small for the host suite, the demo size for the UI.
  log('generating SmarterTrack datasets');
  const hostDataset = path.join(tmp, 'dataset-host');
  await generateDataset({ outDir: hostDataset, scale: 0.1, seed: 1 });
  await generateDataset({ outDir: path.join(uiWorkspace, 'demo'), scale: 1, seed: 1 });

  // The UI tests use the packaged .vsix, as a user installs it; the host suite loads the
  // development folder (its test API exists only in ExtensionMode.Test).
  const serverDir = path.join(tmp, 'server');
  runStep(
    'installing the .vsix into a fresh extensions dir',
    tools.nodeBin,
    [
      tools.codeServerEntry,
      '--extensions-dir',
      path.join(serverDir, 'extensions'),
      '--user-data-dir',
      path.join(serverDir, 'user-data'),
      '--install-extension',
      path.resolve('dist/st2ic.vsix'),
    ],
    120_000,
  );

  // The chat side bar of recent VS Code builds would take a third of the width in every screenshot.
  mkdirSync(path.join(serverDir, 'user-data', 'User'), { recursive: true });
  writeFileSync(
    path.join(serverDir, 'user-data', 'User', 'settings.json'),
    `${JSON.stringify({ 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true }, null, 2)}\n`,
  );
  log('starting code-server');
  server = await startCodeServer({
    nodeBin: tools.nodeBin,
    entry: tools.codeServerEntry,
    dir: serverDir,
    logFile: path.join(resultsDir, 'code-server.log'),
  });
  log(`code-server on ${server.url}`);
  browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS });

  log('(a) mocha suite inside the extension host');
  const hostCode = await runHostSuite({
    browser,
    server,
    extensionPath: root,
    testsPath,
    workspace: hostWorkspace,
    resultsDir,
    timeoutMs: HOST_SUITE_TIMEOUT_MS,
    environment: { ST2IC_TEST_DATASET: hostDataset },
  });
  log(`(a) finished with exit code ${hostCode}`);

  await browser.close();
  browser = undefined;
  const uiCode = await runChild(
    '(b) Playwright tests in test/e2e',
    process.execPath,
    ['scripts/run-tests.mjs', 'e2e'],
    UI_TESTS_TIMEOUT_MS,
    {
      ...process.env,
      ST2IC_E2E_URL: server.url,
      ST2IC_E2E_WORKSPACE: uiWorkspace,
      ST2IC_E2E_RESULTS: resultsDir,
      ST2IC_E2E_CHROMIUM: tools.chromium,
    },
  );
  log(`(b) finished with exit code ${uiCode}`);
  return hostCode === 0 && uiCode === 0 ? 0 : 1;
}

async function entry(): Promise<number> {
  if (process.argv.includes('--install-only')) {
    console.log(JSON.stringify(ensureToolchain(), null, 2));
    return 0;
  }
  let code = 1;
  try {
    code = await main();
  } catch (error) {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await cleanup();
  }
  log(
    code === 0 ? 'all end-to-end tests passed' : `FAILED (screenshots and logs in ${path.relative(root, resultsDir)}/)`,
  );
  return code;
}

void entry().then((code) => {
  clearTimeout(watchdog);
  process.exit(timedOut ? 124 : code);
});
