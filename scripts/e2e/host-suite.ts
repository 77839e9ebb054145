// Runs the mocha suite (out/test/vscode) inside the real extension host of a code-server window:
// the workbench reads the test payload from the URL and reports back through two functions the
// page exposes, codeAutomationLog (output) and codeAutomationExit (exit code).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { format } from 'node:util';

import type { Browser } from 'playwright-core';

import type { CodeServer } from './code-server';

const NOISE =
  /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)|^(Resolving|Resolved|Creating a socket|Updating additional)|\/static\/out\/vs\/code\/browser\/workbench\//;

export interface HostSuiteOptions {
  browser: Browser;
  server: CodeServer;
  /** Absolute paths on the server's machine. */
  extensionPath: string;
  testsPath: string;
  workspace: string;
  resultsDir: string;
  timeoutMs: number;
  /** Extra environment of the extension host (paths of test fixtures). */
  environment?: Record<string, string>;
}

/** Returns the suite's exit code (0: all passed). */
export async function runHostSuite({
  browser,
  server,
  extensionPath,
  testsPath,
  workspace,
  resultsDir,
  timeoutMs,
  environment = {},
}: HostSuiteOptions): Promise<number> {
  const authority = `vscode-remote://127.0.0.1:${server.port}`;
  const payload = [
    ['extensionDevelopmentPath', `${authority}${extensionPath}`],
    ['extensionTestsPath', `${authority}${testsPath}`],
    ['extensionEnvironment', JSON.stringify({ ST2IC_TEST: '1', ...environment })],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const lines: string[] = [];
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    lines.push(text);
    // The workbench's own chatter (agent host, chat model) stays in the log file only.
    if (!NOISE.test(text)) process.stdout.write(`${type === 'error' ? '[host:error] ' : ''}${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => resolveExit(Number(code)));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    await page.goto(url);
    const outcome = await Promise.race([exited, timedOut]);
    await page.screenshot({ path: path.join(resultsDir, 'host-suite.png') }).catch(() => undefined);
    if (outcome === 'timeout') {
      lines.push(`timed out after ${timeoutMs / 1000} s without codeAutomationExit`);
      console.error(`[e2e] host suite timed out after ${timeoutMs / 1000} s`);
      return 1;
    }
    return outcome;
  } finally {
    clearTimeout(timer);
    writeFileSync(path.join(resultsDir, 'host-suite.log'), lines.join('\n') + '\n');
    await context.close().catch(() => undefined);
  }
}
