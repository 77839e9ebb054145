// Helpers for driving a code-server workbench with playwright-core (started by scripts/e2e/run.mjs,
// which passes the server and paths in ST2IC_E2E_* variables).
import path from 'node:path';

import { type Browser, chromium, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Generous: a cold workbench on a busy 2-core machine; a step that misses it is broken, not slow. */
export const UI_TIMEOUT_MS = 60_000;

export interface E2eEnv {
  url: string;
  workspace: string;
  results: string;
  chromium: string;
}

/** The environment from run.mjs, or undefined when the file is run some other way. */
export function e2eEnv(): E2eEnv | undefined {
  const {
    ST2IC_E2E_URL: url,
    ST2IC_E2E_WORKSPACE: workspace,
    ST2IC_E2E_RESULTS: results,
    ST2IC_E2E_CHROMIUM: chromiumPath,
  } = process.env;
  if (!url || !workspace || !results) return undefined;
  return { url, workspace, results, chromium: chromiumPath ?? '/usr/bin/chromium' };
}

export async function openWorkbench(env: E2eEnv): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: env.chromium, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(`${env.url}/?folder=${encodeURIComponent(env.workspace)}`);
  await page.locator('.monaco-workbench .activitybar').waitFor();
  return { browser, page };
}

let shot = 0;
export async function screenshot(page: Page, env: E2eEnv, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: path.join(env.results, `ui-${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** Runs a command from the palette (F1) by its full "Category: Title". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The webview frame (code-server nests each webview in two iframes) whose page has `selector`. */
export async function webviewFrame(page: Page, selector: string, timeoutMs = UI_TIMEOUT_MS): Promise<Frame> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    if (Date.now() > end) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(250);
  }
}
