import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import Database from 'better-sqlite3';
import type { Browser, Frame, Locator, Page } from 'playwright-core';

import { parseMappingText } from '../../src/mapping/mapping-file';
import { contentHash } from '../../src/mapping/review';
import type { MappingFile } from '../../src/model/mapping';
import { type AiStub, startAiStub } from '../fixtures/ai-stub/server';
import { type E2eEnv, e2eEnv, openWorkbench, runCommand, screenshot, webviewFrame } from './workbench';

const env = e2eEnv();
const CONTAINER = 'SmarterTrack → Intercom';
const UI_WAIT_MS = 30_000;

// Needs a running code-server with the extension installed: `npm run test:e2e` provides it.
describe(
  'the extension in a code-server workbench, as a user sees it',
  { skip: env ? false : 'run through npm run test:e2e' },
  () => {
    const e = env as E2eEnv;
    let browser: Browser;
    let page: Page;
    let aiStub: AiStub | undefined;

    before(async () => {
      ({ browser, page } = await openWorkbench(e));
      await screenshot(page, e, 'workbench');
    });

    after(async () => {
      if (page) await screenshot(page, e, 'last').catch(() => undefined);
      await browser?.close();
      await aiStub?.close();
    });

    it('opens the SmarterTrack → Intercom container from the activity bar, with three views', async () => {
      await page.locator(`.activitybar a.action-label[aria-label^="${CONTAINER}"]`).first().click();
      const sidebar = page.locator('.part.sidebar');
      for (const name of ['Connections', 'Migration', 'Runs']) {
        await sidebar.locator('.pane-header', { hasText: name }).first().waitFor();
      }
      await screenshot(page, e, 'views');
    });

    it('offers one button per welcome view while nothing is connected; the other actions are links', async () => {
      const sidebar = page.locator('.part.sidebar');
      for (const label of ['Connect SmarterTrack', 'Initialize Migration Folder']) {
        await sidebar.locator('.welcome-view-content .monaco-button', { hasText: label }).first().waitFor();
      }
      await sidebar.locator('.welcome-view-content a', { hasText: 'Connect Intercom' }).first().waitFor();
      assert.equal(
        await sidebar.locator('.welcome-view-content .monaco-button').count(),
        2,
        'Connections and Migration: one button each; Runs: none',
      );
      await screenshot(page, e, 'welcome-buttons');
    });

    it('runs "ST→Intercom: Show Output" from the command palette and shows the log', async () => {
      await runCommand(page, 'ST→Intercom: Show Output');
      await page.locator('.part.panel .view-lines', { hasText: 'Activated in' }).first().waitFor();
      await screenshot(page, e, 'output');
    });

    it('initializes the migration folder from the welcome button; the Migration view lists the phases', async () => {
      const sidebar = page.locator('.part.sidebar');
      await sidebar
        .locator('.welcome-view-content .monaco-button', { hasText: 'Initialize Migration Folder' })
        .first()
        .click();
      await sidebar.locator('.monaco-list-row', { hasText: 'not scoped yet' }).first().waitFor();
      await sidebar.locator('.monaco-list-row', { hasText: 'not proposed yet' }).first().waitFor();
      await page.locator('.part.panel .view-lines', { hasText: 'Created migration/config.json' }).first().waitFor();
      await screenshot(page, e, 'migration-folder');
    });

    it('connects Intercom through the welcome button: region in config.json, token only in secret storage', async () => {
      const token = 'e2e-token-7d3a91';
      const sidebar = page.locator('.part.sidebar');
      await sidebar.locator('.welcome-view-content a', { hasText: 'Connect Intercom' }).first().click();
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

    it('starts the local sandbox and connects Intercom to it: the tree names the workspace', async () => {
      await runCommand(page, 'ST→Intercom: Start Local Intercom Sandbox');
      const item = page.locator('.statusbar-item', { hasText: 'Sandbox' }).first();
      await item.waitFor();
      await screenshot(page, e, 'sandbox-running');
      // A running sandbox is the normal state of a rehearsal: no warning colours in the status bar.
      const look = await item.evaluate((el) => ({
        classes: el.className,
        background: getComputedStyle(el).backgroundColor,
        inline: (el as HTMLElement).style.backgroundColor,
      }));
      assert.doesNotMatch(look.classes, /warning-kind|error-kind|has-background-color/, look.classes);
      assert.equal(look.inline, '', 'no background colour set on the item');
      await runCommand(page, 'ST→Intercom: Connect Intercom');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Local sandbox' }).first().click();
      const sidebar = page.locator('.part.sidebar');
      await sidebar.locator('.monaco-list-row', { hasText: 'Sandbox · US' }).first().waitFor();
      await screenshot(page, e, 'intercom-sandbox-verified');
    });

    it('connects the demo SQLite database through the file dialog', async () => {
      await runCommand(page, 'ST→Intercom: Connect SmarterTrack');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'SQLite' }).first().click();
      // code-server's simple file dialog: a quick input holding a path.
      const input = page.locator('.quick-input-widget input.input');
      await page.locator('.quick-input-widget', { hasText: 'SmarterTrack SQLite database' }).waitFor();
      // The dialog fills in the folder once it has listed it; type the path only after that.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'demo' }).first().waitFor();
      const file = path.join(e.workspace, 'demo', 'smartertrack.db');
      await input.fill(file);
      await page.waitForFunction(
        (value) =>
          (document.querySelector('.quick-input-widget input.input') as HTMLInputElement | null)?.value === value,
        file,
      );
      await screenshot(page, e, 'source-file-dialog');
      await page.keyboard.press('Enter');
      const sidebar = page.locator('.part.sidebar');
      await sidebar.locator('.monaco-list-row', { hasText: 'sqlite · smartertrack.db' }).first().waitFor();
      await screenshot(page, e, 'source-connected');
      const config = JSON.parse(readFileSync(path.join(e.workspace, 'migration', 'config.json'), 'utf8'));
      assert.equal(config.source.file, 'demo/smartertrack.db');
    });

    it('scopes the source: scope.md opens in the Markdown preview and the Migration view counts tickets', async () => {
      await runCommand(page, 'ST→Intercom: Scope the Source');
      await page.locator('.tabs-container .tab', { hasText: 'scope.md' }).first().waitFor();
      const manifest = JSON.parse(readFileSync(path.join(e.workspace, 'demo', 'manifest.json'), 'utf8'));
      await page
        .locator('.part.sidebar .monaco-list-row', { hasText: `${manifest.counts.tickets} tickets` })
        .first()
        .waitFor();
      await screenshot(page, e, 'scope');
    });

    // The mapping editor, with an OpenAI-compatible stub as the AI and hostile text in the source.
    const HOSTILE_LABEL = 'Notes <img src=x onerror=alert(1)></script>';
    const HOSTILE_SUBJECT = '</script><img src=x onerror=alert(2)> printer on fire';
    const dialogs: string[] = [];
    let editor: Frame;
    /** The hostile ticket's number, as the preview captions it. */
    let hostileNumber = '';

    it('opens the field map: the AI proposals appear with confidence and reason; hostile source text shows as text', async () => {
      aiStub = await startAiStub('good');
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const manifest = JSON.parse(readFileSync(path.join(e.workspace, 'demo', 'manifest.json'), 'utf8')) as {
        tablePrefix: string;
      };
      const db = new Database(path.join(e.workspace, 'demo', 'smartertrack.db'));
      const p = manifest.tablePrefix;
      db.prepare(`UPDATE "${p}CustomDataFields" SET DisplayName = ? WHERE DisplayName = 'Account Notes'`).run(
        HOSTILE_LABEL,
      );
      const hostile = `(SELECT MIN(TicketID) FROM "${p}Tickets" WHERE IsDeleted = 0 AND IsSpam = 0 AND UserID_Customer IS NOT NULL)`;
      db.prepare(`UPDATE "${p}Tickets" SET Subject = ? WHERE TicketID = ${hostile}`).run(HOSTILE_SUBJECT);
      hostileNumber = (
        db.prepare(`SELECT TicketNumber FROM "${p}Tickets" WHERE TicketID = ${hostile}`).get() as {
          TicketNumber: string;
        }
      ).TicketNumber;
      db.close();
      assert.ok(hostileNumber, 'the ticket has a number');
      const configFile = path.join(e.workspace, 'migration', 'config.json');
      const config = JSON.parse(readFileSync(configFile, 'utf8'));
      writeFileSync(
        configFile,
        `${JSON.stringify({ ...config, ai: { ...config.ai, enabled: true, baseUrl: aiStub.url, model: 'stub-model' } }, null, 2)}\n`,
      );

      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'ST→Intercom: Open the Field Map');
      editor = await webviewFrame(page, 'table.fields');
      await editor.locator('.by-ai').first().waitFor();
      assert.ok(aiStub.requests.length > 0, 'the AI stub was asked');
      assert.ok((await editor.locator('td.reason', { hasText: 'stub:' }).count()) > 0, 'reasons from the AI');
      assert.ok((await editor.locator('td.confidence', { hasText: '97%' }).count()) > 0, 'confidence shown');
      await screenshot(page, e, 'mapping-editor-proposals');

      await editor.locator('vscode-tab-header', { hasText: 'Contacts' }).click();
      await reveal(editor, editor.locator('.field-label', { hasText: HOSTILE_LABEL }).first());
      assert.equal(await editor.locator('img').count(), 0, 'no element made from source text');
      assert.deepEqual(dialogs, [], 'no script ran');
      const csp = await editor.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp ?? '', /script-src 'nonce-[^']+'/);
      assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval/);
      await screenshot(page, e, 'mapping-editor-hostile-label');
    });

    it('the field table is one keyboard grid: one tab stop, arrow keys, Enter accepts, buttons named with their field, focus clear of the toolbar', async () => {
      await editor.locator('vscode-tab-header', { hasText: 'Tickets' }).click();
      await editor.locator('.busy').waitFor({ state: 'detached' });
      const rows = editor.locator('table.fields tbody tr[data-row]');
      const rowCount = await rows.count();
      assert.ok(rowCount >= 12, `enough fields to tell one tab stop from one per button (${rowCount})`);

      // A screen reader's list of buttons says which field each one acts on; each row is announced by its field.
      const unnamed = await rows.evaluateAll((trs) =>
        trs.flatMap((tr) => {
          const field = tr.querySelector('.field-label')?.textContent ?? '';
          return Array.from(tr.querySelectorAll('vscode-button'))
            .map((b) => b.getAttribute('aria-label') ?? '')
            .filter((name) => !field || !name.includes(field));
        }),
      );
      assert.deepEqual(unnamed, [], 'every row action names its field');
      const firstLabel = (await rows.first().locator('.field-label').innerText()).trim();
      assert.equal(
        await editor.getByRole('button', { name: `More actions for ${firstLabel}`, exact: true }).count(),
        1,
      );
      assert.ok(
        (await editor.getByRole('rowheader', { name: firstLabel }).count()) >= 1,
        'the field is the row header',
      );

      // Tab from the top of the page to the preview: the table is a single stop, whatever its length.
      await editor.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const stops: string[] = [];
      for (let i = 0; i < 60 && stops.at(-1) !== 'preview'; i++) {
        await page.keyboard.press('Tab');
        stops.push(
          await editor.evaluate(() => {
            const a = document.activeElement;
            if (!a || a === document.body) return 'body';
            if (a.closest('section.preview')) return 'preview';
            if (a.closest('table.fields')) return 'grid';
            return (
              a.closest('[data-role]')?.getAttribute('data-role') ??
              a.getAttribute('aria-label') ??
              a.tagName.toLowerCase()
            );
          }),
        );
      }
      assert.equal(stops.at(-1), 'preview', stops.join(' → '));
      assert.equal(stops.filter((s) => s === 'grid').length, 1, stops.join(' → '));
      const fromTable = stops.length - stops.indexOf('object-enabled') - 1;
      assert.ok(
        stops.includes('object-enabled') && fromTable <= 6,
        `from "Migrate this object" to the preview in ${fromTable} presses: ${stops.join(' → ')}`,
      );
      assert.ok(stops.length <= 30, `${stops.length} presses from the top: ${stops.join(' → ')}`);

      // Back into the grid with one Shift+Tab, down to a field waiting for review, Accept with Enter.
      const target = rows.filter({ has: editor.locator('[data-role="accept"]') }).nth(3);
      const source = await target.getAttribute('data-source');
      const label = (await target.locator('.field-label').innerText()).trim();
      const at = await rows.evaluateAll(
        (trs, src) => trs.findIndex((tr) => tr.getAttribute('data-source') === src),
        source,
      );
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Home');
      for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      const focused = () => editor.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
      assert.ok((await focused()).startsWith(`Accept ${label} → `), `"${await focused()}" is Accept on ${label}`);
      await page.keyboard.press('Enter');
      await editor.locator(`table.fields tr.reviewed[data-source="${source}"]`).waitFor();
      // The redraw that shows it accepted keeps the keyboard on the row: its Accept is gone, its menu button has the focus.
      const end = Date.now() + 10_000;
      while ((await focused()) !== `More actions for ${label}` && Date.now() < end) await page.waitForTimeout(100);
      const where = await editor.evaluate(() => {
        const a = document.activeElement;
        return `${a?.tagName} ${a?.getAttribute('data-role')} "${a?.getAttribute('aria-label')}" row ${a?.closest('tr')?.getAttribute('data-source')}, document focused: ${document.hasFocus()}`;
      });
      assert.equal(await focused(), `More actions for ${label}`, where);

      // Moving through every row, up from the bottom too, the focused button is never under the sticky toolbar.
      const hidden: string[] = [];
      const check = async (key: string) => {
        await page.keyboard.press(key);
        const box = await editor.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const r = el.getBoundingClientRect();
          return {
            name: el.getAttribute('aria-label'),
            top: r.top,
            bottom: r.bottom,
            bar: document.querySelector('header.toolbar')!.getBoundingClientRect().bottom,
            height: innerHeight,
            scrolled: scrollY,
          };
        });
        if (!box.name || box.top < box.bar || box.bottom > box.height) hidden.push(`${key}: ${JSON.stringify(box)}`);
        return box;
      };
      await check('End');
      assert.ok((await editor.evaluate(() => scrollY)) > 0, 'the last row needed a scroll');
      for (let i = 1; i < rowCount; i++) await check('ArrowUp');
      for (let i = 1; i < rowCount; i++) await check('ArrowDown');
      assert.deepEqual(hidden, []);
      await screenshot(page, e, 'mapping-editor-keyboard');
    });

    it('each row shows one button at most, none of them primary, and a ⋯ menu that offers the others by keyboard', async () => {
      await editor.locator('vscode-tab-header', { hasText: 'Tickets' }).click();
      await editor.locator('.busy').waitFor({ state: 'detached' });
      const rows = editor.locator('table.fields tbody tr[data-row]');
      const look = await rows.evaluateAll((trs) =>
        trs.map((tr) => {
          const buttons = Array.from(tr.querySelectorAll('.row-actions vscode-button'));
          return {
            pending: tr.classList.contains('pending'),
            shown: buttons
              .filter((b) => b.getAttribute('data-role') !== 'row-menu')
              .map((b) => b.getAttribute('data-role')),
            menus: buttons.filter((b) => b.getAttribute('data-role') === 'row-menu').length,
            primary: buttons.filter((b) => !b.hasAttribute('secondary')).length,
          };
        }),
      );
      assert.ok(look.some((r) => r.pending) && look.some((r) => !r.pending), 'rows of both kinds are checked');
      for (const [i, row] of look.entries()) {
        assert.deepEqual(
          row.shown,
          row.pending ? ['accept'] : [],
          `row ${i}: Accept while it waits for review, nothing once accepted`,
        );
        assert.equal(row.menus, 1, `row ${i}: one menu`);
        assert.equal(row.primary, 0, `row ${i}: no primary-blue button`);
      }

      // By keyboard: Right from Accept to the row's ⋯, Enter opens its menu on Edit, Down goes to Drop, Escape closes it back.
      const target = rows.filter({ has: editor.locator('[data-role="accept"]') }).first();
      const label = (await target.locator('.field-label').innerText()).trim();
      await target.locator('[data-role="accept"]').focus();
      await page.keyboard.press('ArrowRight');
      const focused = () =>
        editor.evaluate(
          () =>
            `${document.activeElement?.getAttribute('role')}: ${document.activeElement?.getAttribute('aria-label')}`,
        );
      assert.equal(await focused(), `button: More actions for ${label}`);
      await page.keyboard.press('Enter');
      const menu = editor.getByRole('menu', { name: `More actions for ${label}` });
      await menu.waitFor();
      assert.equal(await focused(), `menuitem: Edit ${label}`);
      assert.equal(await target.locator('[data-role="row-menu"]').getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('ArrowDown');
      assert.equal(await focused(), `menuitem: Drop ${label}`);
      await screenshot(page, e, 'mapping-editor-row-menu');
      const box = await menu.evaluate((el) => ({
        right: el.getBoundingClientRect().right,
        width: document.documentElement.clientWidth,
      }));
      assert.ok(box.right <= box.width, `the menu is on the page: ${JSON.stringify(box)}`);
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      assert.equal(await focused(), `button: More actions for ${label}`, 'Escape goes back to the menu button');
      assert.equal(await target.locator('[data-role="row-menu"]').getAttribute('aria-expanded'), 'false');
      // Edit from the menu opens the row's form; Escape in the form cancels it.
      await page.keyboard.press('Enter');
      await menu.waitFor();
      await page.keyboard.press('Enter');
      await editor.getByRole('group', { name: `Edit ${label}` }).waitFor();
      await screenshot(page, e, 'mapping-editor-row-menu-edit');
      await editor
        .getByRole('group', { name: `Edit ${label}` })
        .locator('vscode-button', { hasText: 'Cancel' })
        .click();
      await editor.getByRole('group', { name: `Edit ${label}` }).waitFor({ state: 'detached' });
    });

    it('accepts every proposal at or above 80%, and edits one field', async () => {
      await editor.locator('vscode-tab-header', { hasText: 'Tickets' }).click();
      const pending = await editor.locator('tr.pending').count();
      await editor.locator('[data-role="accept-above"]').click();
      await editor.locator('.notice', { hasText: /\d+ field\(s\) at or above 80% confidence accepted/ }).waitFor();
      assert.ok((await editor.locator('tr.pending').count()) < pending, 'fewer fields wait for review');
      const row = editor.locator('table.fields tbody tr', { hasText: 'attribute "' }).first();
      const source = await row.getAttribute('data-source');
      await row.locator('[data-role="row-menu"]').click();
      await row.getByRole('menuitem', { name: /^Edit / }).click();
      await editor.locator('[data-role="attribute-name"] input').fill('Product line');
      await screenshot(page, e, 'mapping-editor-edit');
      // The host's answers redraw the page while the form is open (here: a preview); the edit in progress survives them.
      await editor.locator('[data-role="preview"]').click();
      await editor.locator('table.preview-record').first().waitFor();
      assert.equal(
        await editor.locator('[data-role="attribute-name"] input').inputValue(),
        'Product line',
        'the typed name survives a redraw',
      );
      await editor.locator('[data-role="save-edit"]').click();
      const edited = editor.locator(`table.fields tbody tr[data-source="${source}"]`);
      await edited.filter({ hasText: 'attribute "Product line"' }).waitFor();
      await edited.filter({ hasText: 'person' }).waitFor();
      await screenshot(page, e, 'mapping-editor-edited');
    });

    it('previews ticket records side by side; the hostile subject shows as text', async () => {
      await editor.locator('[data-role="preview"]').click();
      await editor.locator('table.preview-record').first().waitFor();
      await reveal(editor, editor.locator('td.value', { hasText: HOSTILE_SUBJECT }).first());
      assert.equal(await editor.locator('img').count(), 0);
      assert.deepEqual(dialogs, []);
      await screenshot(page, e, 'mapping-editor-preview');
      // Each record is captioned as the help desk knows it: the ticket's number and subject, not a row id.
      const caption = `Ticket ${hostileNumber} · ${HOSTILE_SUBJECT}`;
      const table = editor.getByRole('table', { name: caption, exact: true });
      await reveal(editor, table);
      assert.equal((await table.locator('caption').innerText()).trim(), caption);
      const captions = await editor.locator('table.preview-record caption').allInnerTexts();
      assert.ok(captions.length > 1 && captions.every((c) => /^Ticket \S/.test(c)), captions.join(' | '));
      // Source fields read in words, over the property mapping.json names.
      assert.ok((await table.locator('td', { hasText: /^Subject\s*subject$/ }).count()) > 0, 'Subject over subject');
      await screenshot(page, e, 'mapping-editor-preview-caption');
    });

    it('at 640 px the field map keeps every column and the row actions on screen, its header in sight while the rows scroll, and long preview values cut', async () => {
      await editor.locator('vscode-tab-header', { hasText: 'Tickets' }).click();
      const wide = page.viewportSize() ?? { width: 1280, height: 800 };
      const webviewWidth = await editor.evaluate(() => innerWidth);
      await page.setViewportSize({ width: wide.width - (webviewWidth - 640), height: wide.height });
      try {
        const end = Date.now() + 10_000;
        while ((await editor.evaluate(() => innerWidth)) !== 640 && Date.now() < end) await page.waitForTimeout(100);
        assert.equal(await editor.evaluate(() => innerWidth), 640, 'the webview is 640 px wide');
        await editor.evaluate(() => scrollTo(0, 0));
        await page.waitForTimeout(300);
        await screenshot(page, e, 'mapping-editor-640');
        const layout = await editor.evaluate(() => {
          const width = document.documentElement.clientWidth;
          // No named function in here: the test's compiler would wrap it in a helper the page does not have.
          const headers = Array.from(document.querySelectorAll('table.fields thead th')).filter(
            (th) => th.getBoundingClientRect().width > 0,
          );
          const rows = Array.from(document.querySelectorAll('table.fields tbody tr[data-row]')).slice(0, 5);
          return {
            shown: headers.map((th) => th.textContent),
            outside: [...headers, ...rows.flatMap((r) => Array.from(r.querySelectorAll('.row-actions vscode-button')))]
              .map((el) => {
                const r = el.getBoundingClientRect();
                return r.width > 0 && (r.left < 0 || r.right > width)
                  ? `${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}: ${Math.round(r.left)}–${Math.round(r.right)} of ${width}`
                  : null;
              })
              .filter(Boolean),
            actions: rows.map((r) => r.querySelectorAll('.row-actions vscode-button').length),
            folded: rows.map((r) => r.querySelector<HTMLElement>('.folded')?.offsetHeight ?? 0),
            scrollWidth: document.documentElement.scrollWidth,
            width,
            tooWide: Array.from(document.querySelectorAll('body *'))
              .filter((el) => el.getBoundingClientRect().right > width + 1)
              .slice(0, 4)
              .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
          };
        });
        assert.deepEqual(
          layout.shown,
          ['Source field', 'Target', 'Confidence', 'Status', 'Actions'],
          'Transform and Reason fold into the row',
        );
        assert.deepEqual(layout.outside, []);
        assert.ok(
          layout.actions.length === 5 && layout.actions.every((n) => n >= 1),
          `row actions: ${layout.actions.join(', ')}`,
        );
        assert.ok(
          layout.folded.every((height) => height > 0),
          'each row shows its transform and reason',
        );
        assert.ok(
          layout.scrollWidth <= layout.width,
          `no sideways scroll: ${layout.scrollWidth} > ${layout.width} (${layout.tooWide.join(', ')})`,
        );
        // A row's menu opens inside the page too.
        await editor.locator('table.fields [data-role="row-menu"]').first().click();
        const menu = editor.getByRole('menu').first();
        await menu.waitFor();
        const menuBox = await menu.evaluate((el) => ({
          left: el.getBoundingClientRect().left,
          right: el.getBoundingClientRect().right,
          width: document.documentElement.clientWidth,
        }));
        assert.ok(
          menuBox.left >= 0 && menuBox.right <= menuBox.width,
          `the menu is on the page: ${JSON.stringify(menuBox)}`,
        );
        await screenshot(page, e, 'mapping-editor-640-row-menu');
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });

        // Scrolled into the middle of the table, its header sits right under the toolbar, on top of the rows.
        const sticky = await editor.evaluate(() => {
          const table = document.querySelector('table.fields')!;
          scrollTo(0, table.getBoundingClientRect().top + scrollY + table.getBoundingClientRect().height / 2);
          const th = document.querySelector('table.fields thead th')!.getBoundingClientRect();
          const bar = document.querySelector('header.toolbar')!.getBoundingClientRect().bottom;
          const hit = document.elementFromPoint(th.left + 4, th.top + th.height / 2);
          return {
            scrolled: scrollY,
            top: th.top,
            bar,
            onTop: Boolean(hit?.closest('table.fields thead')),
            tableTop: table.getBoundingClientRect().top,
          };
        });
        assert.ok(
          sticky.scrolled > 0 && sticky.tableTop < sticky.bar,
          `the table scrolled under the toolbar: ${JSON.stringify(sticky)}`,
        );
        assert.ok(Math.abs(sticky.top - sticky.bar) <= 2, `the header is under the toolbar: ${JSON.stringify(sticky)}`);
        assert.ok(sticky.onTop, 'the header is not covered by the rows');
        await screenshot(page, e, 'mapping-editor-640-scrolled');

        // The preview (which reads the records with the longest values too) shows the start of a long
        // value and the whole of it on demand, as text.
        await editor.locator('[data-role="preview"]').click();
        const cell = editor
          .locator('table.preview-record td.value', { has: editor.locator('[data-role="show-all"]') })
          .first();
        await reveal(editor, cell);
        const toggle = cell.locator('[data-role="show-all"]');
        const total = Number(/^Show all (\d+) characters$/.exec(await toggle.innerText())?.[1]);
        const cut = await cell.locator('[data-role="value-text"]').innerText();
        assert.ok(total > 300 && cut.length < 300, `${cut.length} of ${total} characters shown`);
        await toggle.click();
        const whole = (await cell.locator('[data-role="value-text"]').textContent()) ?? '';
        assert.equal(Array.from(whole).length, total);
        assert.ok(whole.startsWith(cut.replace(/…$/, '')), 'the cut is the start of the value');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        const box = await cell.evaluate((el) => ({
          right: el.getBoundingClientRect().right,
          width: document.documentElement.clientWidth,
        }));
        assert.ok(box.right <= box.width, `the whole value wraps inside the page: ${JSON.stringify(box)}`);
        await screenshot(page, e, 'mapping-editor-640-long-value');
        await toggle.click();
        assert.equal(await cell.locator('[data-role="value-text"]').innerText(), cut);
      } finally {
        await page.setViewportSize(wide);
      }
    });

    it('the field map and its preview are readable in light, dark and both high-contrast themes (text ≥ 4.5:1)', async () => {
      await reveal(editor, editor.locator('table.preview-record').first());
      const failures = await inEachTheme(page, e, editor, 'preview', () =>
        contrastFailures(editor, 'td, th, caption, span, li, strong, p, dt, dd, label, a'),
      );
      assert.deepEqual(failures, []);
      // Near the limit is a warning, never the diff editor's "inserted" background.
      const nearLimit = await editor
        .locator('tr.near-limit td')
        .evaluateAll((cells) => cells.map((c) => getComputedStyle(c).backgroundColor));
      for (const background of nearLimit) assert.equal(background, 'rgba(0, 0, 0, 0)');
    });

    it('approves the map by name after a modal confirmation: mapping.json carries the stamp and the hash', async () => {
      // Every field is accepted by now (the host suite covers an approval with fields not accepted).
      const map = await approveInEditor(page, e, editor, 'mapping-editor-approve-dialog');
      assert.equal(map.review.approved?.by, 'Playwright Reviewer');
      assert.equal(map.review.approved?.hash, contentHash(map));
      const fields = Object.values(map.objects).flatMap((o) => o.fields);
      assert.ok(
        fields.some((f) => f.proposal?.by === 'ai'),
        'AI proposals kept',
      );
      assert.ok(
        fields.some(
          (f) => f.target.kind === 'attribute' && f.target.name === 'Product line' && f.proposal?.by === 'person',
        ),
        'the edit is saved',
      );
      await page
        .locator('.part.sidebar .monaco-list-row', { hasText: 'approved by Playwright Reviewer' })
        .first()
        .waitFor();
      await screenshot(page, e, 'mapping-editor-approved');
      assert.deepEqual(
        await inEachTheme(page, e, editor, 'approved', () => contrastFailures(editor, '[data-role="status"]')),
        [],
        'the approved badge is readable',
      );
    });

    it('edits a ticket type attribute in the Tickets section: mapping.json has it as the reviewer set it, and the approval no longer covers the map', async () => {
      await editor.locator('vscode-tab-header', { hasText: 'Value maps' }).click();
      // The attributes of a type show once a department is sent to it.
      const lands = editor.locator('vscode-single-select[aria-label^="Tickets of "]').first();
      const choice = (await lands.locator('vscode-option').nth(1).getAttribute('value')) ?? '';
      const type = choice.replace(/^type:/, '');
      assert.ok(type, 'the map proposes a ticket type');
      await choose(lands, choice);
      const details = editor.locator('details.ticket-type', { hasText: `Ticket type "${type}"` });
      await details.locator('summary').click();
      const name = (await details.locator('tr[data-attribute]').first().getAttribute('data-attribute')) ?? '';
      const of = `attribute ${name} of ticket type ${type}`;
      await editor.getByRole('button', { name: `Edit ${of}`, exact: true }).click();
      const form = editor.getByRole('group', { name: `Edit ${of}`, exact: true });
      await form.waitFor();
      await form.locator('[data-role="attribute-name"] input').fill('Urgency');
      await choose(form.locator('[data-role="attribute-type"]'), 'list');
      await form.locator('[data-role="attribute-options"] input').fill('Low, Normal, Urgent');
      await choose(form.locator('[data-role="attribute-source"]'), 'priorityName');
      await screenshot(page, e, 'mapping-editor-attribute-edit');
      await form.locator('[data-role="save-attribute"]').click();
      await details.locator('tr[data-attribute="Urgency"]', { hasText: 'Low, Normal, Urgent' }).waitFor();
      await screenshot(page, e, 'mapping-editor-attribute-edited');
      // The department goes back to conversations: what remains of the change is the attribute's, and it is content.
      await choose(lands, 'conversation');
      await details.waitFor({ state: 'detached' });
      await editor.locator('[data-role="status"]', { hasText: 'draft' }).waitFor();
      await editor.locator('header.toolbar .warning', { hasText: 'changed since it was approved' }).waitFor();

      const map = await approveInEditor(page, e, editor, 'mapping-editor-attribute-approve-dialog');
      const attributes = map.ticketDestinations?.ticketTypes.find((t) => t.name === type)?.attributes ?? [];
      const urgency = attributes.find((a) => a.name === 'Urgency');
      assert.deepEqual(
        [urgency?.dataType, urgency?.options, urgency?.source, urgency?.proposal?.by],
        ['list', ['Low', 'Normal', 'Urgent'], 'priorityName', 'person'],
        JSON.stringify(urgency),
      );
      assert.ok(
        urgency?.proposal?.reason.startsWith(`set by the reviewer (proposed: ${name}: `),
        urgency?.proposal?.reason,
      );
      assert.ok(name === 'Urgency' || !attributes.some((a) => a.name === name), 'renamed, not added');
      assert.ok(
        Object.values(map.ticketDestinations?.departments ?? {}).every((d) => d.destination === 'conversation'),
        'every department is a conversation again',
      );
    });

    it('runs the sample from the editor and shows the Intercom results beside the source records', async () => {
      await editor.locator('[data-role="run-sample"]').click();
      // The editor's button asks first too, naming the target.
      const confirm = page.locator('.monaco-dialog-box', { hasText: /Start a sample run into Intercom \(http/ });
      await confirm.waitFor();
      await confirm.locator('.monaco-button', { hasText: 'Start' }).first().click();
      await editor.locator('[data-role="sample-summary"]').waitFor({ timeout: 180_000 });
      const summary = await editor.locator('[data-role="sample-summary"]').innerText();
      const headline = /^Run \S+ \(\w+\): (.+? migrated(?:, \d+ skipped)?(?:, \d+ failed)?)[;( ]/.exec(summary)?.[1];
      assert.ok(headline && /^[1-9]\d* conversations?\b/.test(headline), summary);
      // The run's notification counts the same records in the same words (it adds every record, labelled).
      await runCommand(page, 'Notifications: Show Notifications');
      const notice = page
        .locator('.notifications-center .notification-list-item-message', { hasText: /^Sample run completed/ })
        .first();
      await notice.waitFor();
      assert.ok(
        (await notice.innerText()).includes(`${headline}; all records: `),
        `"${await notice.innerText()}" says "${headline}"`,
      );
      await screenshot(page, e, 'sample-notification-figures');
      await runCommand(page, 'Notifications: Hide Notifications');
      assert.ok((await editor.locator('[data-role="intercom-link"]').count()) > 0, 'links to the conversations');
      await reveal(editor, editor.locator('table.sample td', { hasText: HOSTILE_SUBJECT }).first());
      assert.equal(await editor.locator('img').count(), 0);
      assert.deepEqual(dialogs, []);
      await screenshot(page, e, 'mapping-editor-sample-results');
    });

    it('sample results come a page at a time, conversations first, and filter by object type and to the records that differ', async () => {
      const range = editor.locator('[data-role="sample-range"]');
      const rows = editor.locator('table.sample tbody tr');
      const total = Number(/ of (\d+)$/.exec(await range.innerText())?.[1]);
      assert.ok(total > 0, await range.innerText());
      assert.equal(await rows.count(), Math.min(25, total), 'one page');
      assert.match((await rows.first().getAttribute('data-source-id')) ?? '', /^tickets:/, 'conversations first');
      const figures = await editor.evaluate(
        () => document.querySelector('table.sample')!.getBoundingClientRect().height,
      );
      assert.ok(figures < 25 * 600, `a page is ${figures} px high`);
      if (total > 25) {
        await editor.locator('[data-role="sample-next"]').first().click();
        await range.filter({ hasText: /^records 26–/ }).waitFor();
      }

      // The object filter: only end users (contacts) are listed, from the first page.
      const select = editor.locator('[data-role="sample-object"]');
      const endUsers = Number(
        /End users \((\d+)\)/.exec(await select.evaluate((el) => el.textContent ?? ''))?.[1] ?? 0,
      );
      assert.ok(endUsers > 0 && endUsers < total, `${endUsers} end users of ${total}`);
      await choose(select, 'endUsers');
      await range.filter({ hasText: new RegExp(`^records 1–\\d+ of ${endUsers}$`) }).waitFor();
      const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-source-id') ?? ''));
      assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('endUsers:')), ids.join(', '));

      // Differences only: fewer records, each of them one that differs.
      await choose(select, 'all');
      await range.filter({ hasText: new RegExp(` of ${total}$`) }).waitFor();
      const differences = editor.locator('[data-role="sample-differences"]');
      const differing = Number(/\((\d+)\)/.exec(await differences.evaluate((el) => el.textContent ?? ''))?.[1]);
      assert.ok(differing < total, `${differing} of ${total} records differ`);
      await differences.click();
      await range
        .filter({ hasText: differing === 0 ? /^no record matches$/ : new RegExp(`^records 1–\\d+ of ${differing}$`) })
        .waitFor();
      assert.equal(await rows.count(), Math.min(25, differing), 'only records that differ');
      assert.equal(await editor.locator('table.sample tbody tr:not(.mismatch)').count(), 0);
      await screenshot(page, e, 'mapping-editor-sample-filtered');
      await runCommand(page, 'View: Close All Editors');
    });

    it('rolls the sample back after a modal confirmation that counts what goes, and the run id typed', async () => {
      await runCommand(page, 'ST→Intercom: Roll Back a Run');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'sample · completed' }).first().click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor();
      await page.locator('.monaco-dialog-box', { hasText: /Delete \d+ conversation\(s\), \d+ contact\(s\)/ }).waitFor();
      await screenshot(page, e, 'rollback-dialog');
      // Enter, Enter (the dialog's default, then the empty box) must not delete anything.
      await page.keyboard.press('Enter');
      // The box's title names the run; its message asks for the id until it is typed.
      const box = page.locator('.quick-input-widget', { hasText: /Roll back run \S+/ });
      await box.waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: /Type .+ exactly, or press Escape/ }).waitFor();
      await screenshot(page, e, 'rollback-type-run-id');
      assert.ok(await box.isVisible(), 'the empty box is not accepted');
      const runId = /Roll back run (\S+)/.exec(await box.innerText())?.[1];
      assert.ok(runId);
      await page.locator('.quick-input-widget input.input').fill(runId);
      await page.keyboard.press('Enter');
      await page
        .locator('.part.sidebar .monaco-list-row', { hasText: /rollback of .* · completed/ })
        .first()
        .waitFor({ timeout: 180_000 });
      await screenshot(page, e, 'rolled-back');
    });

    it('runs a sample: progress, record outcomes in the output, and a completed entry in Runs', async () => {
      const completed = page.locator('.part.sidebar .monaco-list-row', { hasText: 'sample · completed' });
      const before = await completed.count();
      await runCommand(page, 'ST→Intercom: Run a Sample');
      // Nothing is written before a modal confirmation that names the target.
      const dialog = page.locator('.monaco-dialog-box', { hasText: /Start a sample run into Intercom \(http/ });
      await dialog.waitFor();
      await screenshot(page, e, 'sample-confirmation');
      await dialog.locator('.monaco-button', { hasText: 'Start' }).first().click();
      // The status bar shows live counts while the run lasts (a fast run may be over before we look).
      const done = page.waitForFunction(
        (n) =>
          Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row')).filter((r) =>
            r.textContent?.includes('sample · completed'),
          ).length > n,
        before,
        { timeout: 180_000 },
      );
      await Promise.race([
        page
          .locator('.statusbar-item', { hasText: /Sample: \d+ migrated/ })
          .first()
          .waitFor({ timeout: 180_000 }),
        done,
      ]);
      await screenshot(page, e, 'sample-running');
      const runs = page.locator('.part.sidebar .pane', { hasText: 'Runs' }).last();
      await done;
      await page.locator('.part.panel .view-lines', { hasText: 'migrated' }).first().waitFor();
      await screenshot(page, e, 'sample-completed');
      assert.ok((await runs.count()) > 0);
      const files = listFiles(path.join(e.workspace, 'migration'));
      assert.ok(
        files.some((f) => f.endsWith('journal.jsonl')),
        'the run has a journal',
      );
      for (const file of files)
        assert.ok(
          !readFileSync(file, 'latin1').includes('e2e-token-7d3a91'),
          `the first Intercom token is not in ${file}`,
        );
    });

    it('a window reload mid-run: the views read, the stopped sandbox is not green, the run is named with Resume, and resuming completes it once', async () => {
      const fullRuns = () =>
        readdirSync(path.join(e.workspace, 'migration', 'runs')).filter((id) => id.includes('-full'));
      assert.deepEqual(fullRuns(), [], 'no full run before this test');
      await runCommand(page, 'ST→Intercom: Run the Full Migration');
      const confirm = page.locator('.monaco-dialog-box', { hasText: /Start a full migration into Intercom \(http/ });
      await confirm.waitFor();
      await confirm.locator('.monaco-button', { hasText: 'Start' }).first().click();
      // Reloaded once records are being written: the run is cut off mid-way, as by a closed window.
      await page
        .locator('.statusbar-item', { hasText: /Full migration: [1-9]\d* migrated/ })
        .first()
        .waitFor({ timeout: 180_000 });
      await screenshot(page, e, 'full-running-before-reload');
      const reloaded = page.waitForEvent('load');
      await runCommand(page, 'Developer: Reload Window');
      await reloaded;
      await page.locator('.monaco-workbench .activitybar').waitFor();
      const sidebar = page.locator('.part.sidebar');
      // The window that ran it may hold its lock a moment longer: then the run reads as interrupted.
      await sidebar
        .locator('.monaco-list-row', { hasText: /full · interrupted/ })
        .first()
        .waitFor({ timeout: 90_000 });
      // The run is named once, with the command that resumes it.
      await inNotificationCentre(page, /Full migration \S+ was interrupted/, 60_000);
      await screenshot(page, e, 'reload-interrupted-run');
      // The sandbox ran in the window that reloaded: it is shown stopped, not green on a dead port.
      await sidebar
        .locator('.monaco-list-row', { hasText: /not running/ })
        .first()
        .waitFor();
      assert.equal(await sidebar.getByText('Nothing is connected yet').count(), 0);
      await screenshot(page, e, 'reload-sandbox-not-running');
      await clickNotificationAction(page, /Full migration \S+ was interrupted/, 'Resume');
      await page.locator('.monaco-dialog-box', { hasText: /Start a full migration/ }).waitFor();
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Start' }).first().click();
      // Intercom (the sandbox) cannot be reached: the refusal offers to start it again, on its kept state.
      await inNotificationCentre(page, /local sandbox this folder points at is not running/, 60_000);
      await screenshot(page, e, 'reload-resume-refused-start-sandbox');
      await clickNotificationAction(page, /local sandbox this folder points at is not running/, 'Start Sandbox');
      await page.locator('.statusbar-item', { hasText: 'Sandbox' }).first().waitFor();
      await runCommand(page, 'ST→Intercom: Run the Full Migration');
      await page.locator('.monaco-dialog-box', { hasText: /Start a full migration/ }).waitFor();
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Start' }).first().click();
      await sidebar
        .locator('.monaco-list-row', { hasText: /full · completed/ })
        .first()
        .waitFor({ timeout: 300_000 });
      await screenshot(page, e, 'reload-resumed-completed');
      // Resumed, not started over: one full run in the ledger, and it completed.
      const [runId, ...more] = fullRuns();
      assert.ok(runId && more.length === 0, `one full run, not ${fullRuns().join(', ')}`);
      const statuses = readFileSync(path.join(e.workspace, 'migration', 'runs', runId, 'journal.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"run-status"'))
        .map((line) => JSON.parse(line) as { status: string; attempt: number });
      assert.equal(statuses.at(-1)?.status, 'completed', JSON.stringify(statuses));
      assert.ok((statuses.at(-1)?.attempt ?? 0) >= 2, `resumed in a later attempt: ${JSON.stringify(statuses)}`);
    });
  },
);

/** Approves the map from the editor by name, through the modal; returns the map once the stamp is on disk. */
async function approveInEditor(page: Page, e: E2eEnv, editor: Frame, shot: string): Promise<MappingFile> {
  await editor.locator('[data-role="approve"]').click();
  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget', { hasText: 'Approve the Field Map' }).waitFor();
  assert.match((await input.getAttribute('placeholder')) ?? '', /^Your name/);
  await input.fill('Playwright Reviewer');
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  await screenshot(page, e, shot);
  await dialog.locator('.monaco-button', { hasText: 'Approved' }).first().click();
  await editor.locator('[data-role="status"]', { hasText: 'approved' }).waitFor();
  // The editor shows the stamp as soon as the document has it; the save reaches the disk just after.
  const file = path.join(e.workspace, 'migration', 'mapping.json');
  const end = Date.now() + 10_000;
  while (parseMappingText(readFileSync(file, 'utf8')).review.status !== 'approved' && Date.now() < end)
    await page.waitForTimeout(100);
  const map = parseMappingText(readFileSync(file, 'utf8'));
  assert.equal(map.review.status, 'approved');
  return map;
}

/** Picks a value of a vscode-single-select as a change by the user does. */
async function choose(select: Locator, value: string): Promise<void> {
  await select.evaluate((el, v) => {
    (el as HTMLElement & { value: string }).value = v;
    el.dispatchEvent(new Event('change'));
  }, value);
}

/**
 * A notification, found in the notification centre: a toast hides after a while, the centre keeps it.
 * The centre is opened before waiting, so one that comes later shows there too.
 */
async function inNotificationCentre(page: Page, text: RegExp, timeout = UI_WAIT_MS): Promise<Locator> {
  if (!(await page.locator('.notifications-center.visible').count()))
    await runCommand(page, 'Notifications: Show Notifications');
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await item.waitFor({ timeout });
  return item;
}

/** Clicks a button of a notification from the notification centre (a modal may follow the click). */
async function clickNotificationAction(page: Page, text: RegExp, button: string): Promise<void> {
  const item = await inNotificationCentre(page, text);
  await item.locator('.monaco-button', { hasText: button }).first().click();
}

/** The themes a reviewer may use, each with the foreground its webview receives (to know it arrived). */
const THEMES: [id: string, foreground: string][] = [
  ['Light Modern', '#3b3b3b'],
  ['Light 2026', '#202020'],
  ['Dark Modern', '#cccccc'],
  ['Dark 2026', '#bfbfbf'],
  ['Default High Contrast', '#ffffff'],
  ['Default High Contrast Light', '#292929'],
];

/** Runs `measure` in each theme (set in the workspace settings), then goes back to the default theme. */
async function inEachTheme(
  page: Page,
  e: E2eEnv,
  editor: Frame,
  step: string,
  measure: () => Promise<string[]>,
): Promise<string[]> {
  const settings = path.join(e.workspace, '.vscode', 'settings.json');
  mkdirSync(path.dirname(settings), { recursive: true });
  const failures: string[] = [];
  try {
    for (const [theme, foreground] of THEMES) {
      writeFileSync(settings, `${JSON.stringify({ 'workbench.colorTheme': theme }, null, 2)}\n`);
      await editor.waitForFunction(
        (fg) =>
          getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim().toLowerCase() ===
          fg,
        foreground,
      );
      await editor.locator('.busy').waitFor({ state: 'detached' });
      await screenshot(page, e, `${step}-${theme.toLowerCase().replace(/\W+/g, '-')}`);
      failures.push(...(await measure()).map((f) => `${theme}: ${f}`));
    }
  } finally {
    rmSync(settings, { force: true });
  }
  await editor.waitForFunction(
    (fg) =>
      getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim().toLowerCase() !== fg,
    THEMES.at(-1)![1],
  );
  return failures;
}

/**
 * Every visible element matching `selector` that holds text of its own, whose colour over its
 * effective background (alpha composed down the ancestors) is under 4.5:1 (WCAG AA for text). A
 * vscode-badge is measured on its shadow root's box, where its colours are drawn.
 */
async function contrastFailures(editor: Frame, selector: string): Promise<string[]> {
  // tsx compiles the helpers below with esbuild's name-keeping wrapper, which the page lacks.
  await editor.evaluate('globalThis.__name = globalThis.__name || ((fn) => fn)');
  return editor.evaluate((sel) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba | undefined => {
      const m = /rgba?\(([^)]+)\)/.exec(css);
      if (!m) return undefined;
      const [r, g, b, a] = m[1]!
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [r!, g!, b!, a ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba =>
      [0, 1, 2].map((i) => top[i]! * top[3] + bottom[i]! * (1 - top[3])).concat(1) as Rgba;
    const backgroundOf = (start: Element): Rgba => {
      const layers: Rgba[] = [];
      for (
        let node: Element | null = start;
        node;
        node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null
      ) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color && color[3] > 0) layers.push(color);
        if (color && color[3] >= 1) break;
      }
      return layers.reverse().reduce<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const luminance = ([r, g, b]: Rgba) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const failures: string[] = [];
    for (const host of Array.from(document.querySelectorAll(sel))) {
      const el = host.shadowRoot?.querySelector('.root') ?? host;
      const ownText = host.shadowRoot
        ? (host.textContent ?? '').trim()
        : Array.from(el.childNodes)
            .filter((n) => n.nodeType === Node.TEXT_NODE)
            .map((n) => n.textContent)
            .join('')
            .trim();
      if (!ownText || el.getClientRects().length === 0) continue;
      const text = parse(getComputedStyle(el).color);
      if (!text) {
        failures.push(
          `${el.tagName.toLowerCase()} "${ownText.slice(0, 30)}": colour ${getComputedStyle(el).color} not measured`,
        );
        continue;
      }
      const background = backgroundOf(el);
      const value = ratio(over(text, background), background);
      if (value < 4.5)
        failures.push(
          `${host.tagName.toLowerCase()}.${host.getAttribute('class') ?? ''} "${ownText.slice(0, 30)}" ${value.toFixed(2)}:1`,
        );
    }
    return [...new Set(failures)];
  }, selector);
}

/**
 * Scrolls to an element once the editor has settled. The webview renders afresh on every host
 * message (the busy line going, a late state), which can detach the element mid-scroll: look again.
 */
async function reveal(editor: Frame, target: Locator): Promise<void> {
  await editor.locator('.busy').waitFor({ state: 'detached' });
  for (let attempt = 1; ; attempt++) {
    try {
      await target.scrollIntoViewIfNeeded({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt >= 5 || !/not attached/i.test(String(error))) throw error;
    }
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}
