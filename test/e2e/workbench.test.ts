import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { e2eEnv, openWorkbench, runCommand, screenshot, type E2eEnv } from './workbench';

const env = e2eEnv();
const CONTAINER = 'SmarterTrack → Intercom';

// Needs a running code-server with the extension installed: `npm run test:e2e` provides it.
describe('the extension in a code-server workbench, as a user sees it', { skip: env ? false : 'run through npm run test:e2e' }, () => {
  const e = env as E2eEnv;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ browser, page } = await openWorkbench(e));
    await screenshot(page, e, 'workbench');
  });

  after(async () => {
    if (page) await screenshot(page, e, 'last').catch(() => undefined);
    await browser?.close();
  });

  it('opens the SmarterTrack → Intercom container from the activity bar, with three views', async () => {
    await page.locator(`.activitybar a.action-label[aria-label^="${CONTAINER}"]`).first().click();
    const sidebar = page.locator('.part.sidebar');
    for (const name of ['Connections', 'Migration', 'Runs']) {
      await sidebar.locator('.pane-header', { hasText: name }).first().waitFor();
    }
    await screenshot(page, e, 'views');
  });

  it('offers Connect and Initialize buttons while nothing is connected', async () => {
    const sidebar = page.locator('.part.sidebar');
    for (const label of ['Connect SmarterTrack', 'Connect Intercom', 'Initialize Migration Folder']) {
      await sidebar.locator('.welcome-view-content .monaco-button', { hasText: label }).first().waitFor();
    }
    await screenshot(page, e, 'welcome-buttons');
  });

  it('runs "ST→Intercom: Show Output" from the command palette and shows the log', async () => {
    await runCommand(page, 'ST→Intercom: Show Output');
    await page.locator('.part.panel .view-lines', { hasText: 'Activated in' }).first().waitFor();
    await screenshot(page, e, 'output');
  });

  it('initializes the migration folder from the welcome button; the Migration view lists its files', async () => {
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Initialize Migration Folder' }).first().click();
    await sidebar.locator('.monaco-list-row', { hasText: 'config.json' }).first().waitFor();
    await sidebar.locator('.monaco-list-row', { hasText: 'mapping.json' }).first().waitFor();
    await page.locator('.part.panel .view-lines', { hasText: 'Created migration/config.json' }).first().waitFor();
    await screenshot(page, e, 'migration-folder');
  });

  it('connects Intercom through the welcome button: region in config.json, token only in secret storage', async () => {
    const token = 'e2e-token-7d3a91';
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Connect Intercom' }).first().click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill('EU');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'EU' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Intercom access token' }).waitFor();
    await input.fill(token);
    await screenshot(page, e, 'intercom-token');
    await page.keyboard.press('Enter');
    await sidebar.locator('.monaco-list-row', { hasText: 'api.eu.intercom.io' }).first().waitFor();
    await sidebar.locator('.monaco-list-row', { hasText: 'SmarterTrack' }).first().waitFor();
    await screenshot(page, e, 'intercom-connected');
    const text = readFileSync(path.join(e.workspace, 'migration', 'config.json'), 'utf8');
    assert.equal(JSON.parse(text).intercom.region, 'eu');
    assert.ok(!text.includes(token), 'the token is not in config.json');
  });
});
