import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import * as vscode from 'vscode';

import type { MigrationResult } from '../../src/engine/run-migration';
import { openLedger } from '../../src/ledger';
import type { RunCounts } from '../../src/model/journal';
import { parseMigrationConfig } from '../../src/model/migration-config';
import { api, ScriptedPrompts } from './host-support';

// The workflow commands against a generated SmarterTrack SQLite database (ST2IC_TEST_DATASET, made by
// scripts/e2e/run.ts) and the sandbox started in-process by the extension's own command.

const dataset = process.env.ST2IC_TEST_DATASET;
const AI_KEY = 'sk-test-ai-key-5b7e20d1c9';
const PASSWORD = 'st-password-a83f17c2e6';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const config = () => parseMigrationConfig(readFileSync(path.join(root(), 'migration', 'config.json'), 'utf8'));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the migration workflow through its commands', function () {
  if (!dataset) {
    it.skip('needs ST2IC_TEST_DATASET (npm run test:e2e generates it)');
    return;
  }
  this.timeout(120_000);
  const prompts = new ScriptedPrompts();
  let sampleRunId = '';

  before(async () => {
    await vscode.commands.executeCommand('st2ic.showOutput');
    api().usePrompts(prompts);
  });

  after(async () => {
    api().usePrompts(undefined);
    await vscode.commands.executeCommand('st2ic.stopSandbox');
    assert.equal(api().contextKeys()['st2ic.sandboxRunning'], false, 'Start shows again');
    // The folder still points at it (as after a reload): not green, and a click starts it again.
    const intercom = (await api().tree('connections')).find((row) => row.label === 'Intercom');
    assert.equal(intercom?.description, 'local sandbox · not running');
    assert.equal(intercom?.command, 'st2ic.startSandbox');
  });

  it('starts the local sandbox and remembers it as the Intercom connection', async () => {
    await vscode.commands.executeCommand('st2ic.startSandbox');
    const sandbox = api().sandbox();
    assert.ok(sandbox, 'the sandbox runs');
    assert.equal(config().intercom.baseUrl, sandbox.url);
    assert.equal(await api().secrets.get('intercomToken'), sandbox.token);
    assert.equal(api().contextKeys()['st2ic.sandboxRunning'], true, 'Stop shows, Start hides');
    assert.equal(sandbox.statusBackground, false, 'the status bar item has no warning background');
    assert.equal(api().contextKeys()['st2ic.hasMigrationFolder'], true);
  });

  it('connects the SQLite database through the file picker and tests it', async () => {
    assert.equal(api().contextKeys()['st2ic.sourceConnected'], false, 'the walkthrough step waits');
    prompts.script({ pick: 'SQLite' }, { file: path.join(dataset, 'smartertrack.db') });
    await vscode.commands.executeCommand('st2ic.connectSource');
    assert.equal(api().contextKeys()['st2ic.sourceConnected'], true, 'the passed Test completes the walkthrough step');
    const source = config().source;
    assert.equal(source?.kind, 'sqlite');
    assert.ok(
      source?.kind === 'sqlite' && source.attachments?.endsWith('App_Data'),
      'the App_Data next to the database is found',
    );
    const [row] = await api().tree('connections');
    assert.equal(row?.label, 'SmarterTrack');
    assert.match(row?.description ?? '', /sqlite · smartertrack\.db/);
  });

  it('tests Intercom with /me: the tree names the workspace and region', async () => {
    assert.equal(await vscode.commands.executeCommand('st2ic.testIntercom'), true);
    const intercom = (await api().tree('connections')).find((r) => r.label === 'Intercom');
    assert.ok(
      intercom && / · (US|EU|AU)$/.test(intercom.description),
      `workspace and region shown: ${intercom?.description}`,
    );
  });

  it('a failing Intercom test says so in the tree', async () => {
    const token = await api().secrets.get('intercomToken');
    await api().secrets.store('intercomToken', 'not-the-sandbox-token');
    assert.equal(await vscode.commands.executeCommand('st2ic.testIntercom'), false);
    assert.match(
      (await api().tree('connections')).find((r) => r.label === 'Intercom')?.description ?? '',
      /test failed/,
    );
    assert.equal(api().contextKeys()['st2ic.intercomConnected'], false, 'the key follows the last Test');
    await api().secrets.store('intercomToken', token!);
    assert.equal(await vscode.commands.executeCommand('st2ic.testIntercom'), true);
    assert.equal(api().contextKeys()['st2ic.intercomConnected'], true);
  });

  it('several tokens: the tree shows each one, and which Intercom refused', async () => {
    const token = await api().secrets.get('intercomToken');
    await api().secrets.store('intercomToken', `${token},not-the-sandbox-token`);
    assert.equal(await vscode.commands.executeCommand('st2ic.testIntercom'), false);
    const intercom = (await api().tree('connections')).find((r) => r.label === 'Intercom');
    assert.deepEqual(
      intercom?.children?.map((c) => c.label),
      ['Token 1 of 2', 'Token 2 of 2'],
    );
    assert.match(intercom?.children?.[0]?.description ?? '', / as /, 'the first token passed: workspace and admin');
    assert.equal(intercom?.children?.[1]?.description, 'refused by Intercom (401)');
    assert.doesNotMatch(JSON.stringify(intercom), /not-the-sandbox-token/);
    await api().secrets.store('intercomToken', token!);
    assert.equal(await vscode.commands.executeCommand('st2ic.testIntercom'), true);
    assert.equal(
      (await api().tree('connections')).find((r) => r.label === 'Intercom')?.children,
      undefined,
      'one token again: no rows',
    );
  });

  it('stores an AI key and checks the AI settings without a request', async () => {
    await api().secrets.store('smartertrackPassword', PASSWORD); // unused by SQLite; must never leak either
    prompts.script({ input: AI_KEY });
    await vscode.commands.executeCommand('st2ic.setAiKey');
    assert.equal(await vscode.commands.executeCommand('st2ic.testAi'), false, 'ai.enabled is false in config.json');
  });

  it('scopes the source into migration/reports/scope.md and scope.json; the Migration view shows counts', async () => {
    const markdown = await vscode.commands.executeCommand<string>('st2ic.scope');
    assert.ok(existsSync(markdown) && existsSync(markdown.replace(/\.md$/, '.json')));
    const manifest = JSON.parse(readFileSync(path.join(dataset, 'manifest.json'), 'utf8')) as {
      counts: { tickets: number };
    };
    const phase = (await api().tree('migration')).find((r) => r.label === 'Scope');
    assert.ok(phase?.description.startsWith(`${manifest.counts.tickets} tickets`), phase?.description);
  });

  it('a click on a phase of the Migration view never starts it: it opens what the phase produced, or nothing', async () => {
    const rows = await api().tree('migration');
    assert.ok(
      rows.some((r) => r.label === 'Sample') &&
        rows.some((r) => r.label === 'Full migration' || r.label.startsWith('Full')),
      rows.map((r) => r.label).join(', '),
    );
    for (const row of rows) {
      assert.ok(
        row.command === undefined || ['vscode.open', 'markdown.showPreview', 'st2ic.openMapping'].includes(row.command),
        `${row.label}: a click runs ${row.command}`,
      );
    }
  });

  it('refuses a sample before the map is confirmed, without first asking to start it', async () => {
    prompts.script();
    const questions = prompts.asked.length;
    const result = await vscode.commands.executeCommand<MigrationResult | undefined>('st2ic.runSample');
    assert.deepEqual(prompts.asked.slice(questions), [], 'a run the map does not allow is not offered');
    assert.equal(result, undefined);
    assert.ok(
      !existsSync(path.join(root(), 'migration', 'runs')) ||
        readdirSync(path.join(root(), 'migration', 'runs')).length === 0,
      'no run started',
    );
  });

  it('proposing the field map writes it and opens it in the Field Map editor', async () => {
    const file = path.join(root(), 'migration', 'mapping.json');
    assert.ok(!existsSync(file), 'no map before the proposal');
    prompts.script();
    await vscode.commands.executeCommand('st2ic.proposeMap');
    assert.ok(existsSync(file), 'mapping.json written');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(
      input instanceof vscode.TabInputCustom && input.viewType === 'st2ic.mappingEditor' && input.uri.fsPath === file,
      'the proposal is open for review',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declining the confirmation leaves the map a draft', async () => {
    prompts.script({ pick: 'Reviewed' }, { input: 'Dana Reviewer' }, { confirm: false });
    assert.equal(await vscode.commands.executeCommand('st2ic.confirmMap'), undefined);
    assert.equal((await api().tree('migration')).find((r) => r.label === 'Mapping')?.description, 'draft');
  });

  it('confirms the default map as reviewed by a named person, in a name box with a title', async () => {
    prompts.script({ pick: 'Reviewed' }, { input: 'Dana Reviewer' }, { confirm: true });
    assert.equal(await vscode.commands.executeCommand('st2ic.confirmMap'), 'reviewed');
    assert.equal(prompts.inputs.at(-1)?.title, 'Mark the Field Map Reviewed');
    assert.match(prompts.inputs.at(-1)?.placeHolder ?? '', /^Your name/);
    assert.equal(
      (await api().tree('migration')).find((r) => r.label === 'Mapping')?.description,
      'reviewed by Dana Reviewer',
    );
  });

  async function sandboxContacts(): Promise<number> {
    const sandbox = api().sandbox()!;
    const state = (await (
      await fetch(`${sandbox.url}/__sandbox/state`, { headers: { Authorization: `Bearer ${sandbox.token}` } })
    ).json()) as { contacts: Record<string, unknown> };
    return Object.keys(state.contacts).length;
  }

  it('a full migration on a reviewed map is refused before its question: the map must be approved first', async () => {
    prompts.script();
    const questions = prompts.asked.length;
    assert.equal(await vscode.commands.executeCommand<MigrationResult | undefined>('st2ic.runFull'), undefined);
    assert.deepEqual(prompts.asked.slice(questions), [], 'no "Start a full migration?" before a refusal');
  });

  it('a dry run goes through every step but writes nothing to Intercom, and offers nothing to validate', async () => {
    const result = await vscode.commands.executeCommand<MigrationResult>('st2ic.runDryRun');
    assert.equal(result?.status, 'completed', result?.message);
    assert.equal(await sandboxContacts(), 0);
    assert.equal((await api().tree('runs'))[0]?.label, 'dry-run · completed');
    const keys = api().contextKeys();
    assert.equal(keys['st2ic.hasRuns'], true);
    assert.equal(keys['st2ic.hasLoadRuns'], false, 'Validate stays hidden after a dry run');
    assert.equal(keys['st2ic.hasUndoableRuns'], false);
    assert.equal(keys['st2ic.runActive'], false);
  });

  it('declining the confirmation of a sample starts nothing', async () => {
    const runs = path.join(root(), 'migration', 'runs');
    const before = existsSync(runs) ? readdirSync(runs).length : 0;
    prompts.script({ confirm: false });
    assert.equal(await vscode.commands.executeCommand<MigrationResult | undefined>('st2ic.runSample'), undefined);
    assert.equal(existsSync(runs) ? readdirSync(runs).length : 0, before, 'no run started');
  });

  it('runs a sample into the sandbox: the ledger holds a completed run, the Runs view lists it', async () => {
    prompts.script({ confirm: true });
    const result = await vscode.commands.executeCommand<MigrationResult>('st2ic.runSample');
    assert.equal(result?.status, 'completed', result?.message);
    sampleRunId = result.runId;
    let counts: RunCounts = {};
    const ledger = await openLedger(root());
    try {
      const runs = await ledger.listRuns();
      const run = runs.find((r) => r.meta.id === sampleRunId);
      assert.equal(run?.meta.kind, 'sample');
      assert.equal(run?.meta.status, 'completed');
      counts = await ledger.countRun(sampleRunId);
      assert.ok((counts.tickets?.migrated ?? 0) > 0, 'tickets migrated');
      assert.ok((counts.endUsers?.migrated ?? 0) > 0, 'contacts migrated');
    } finally {
      await ledger.close();
    }
    const [top] = await api().tree('runs');
    assert.equal(top?.label, 'sample · completed');
    assert.match(top?.description ?? '', /\d+ migrated · \d+ skipped · \d+ failed/);
    assert.match((await api().tree('migration')).find((r) => r.label === 'Sample')?.description ?? '', /migrated/);
    assert.equal(api().contextKeys()['st2ic.hasLoadRuns'], true, 'Validate shows once a sample ran');

    // The dataset's agents have no teammate in the sandbox (other emails): the run completed, but not green.
    const unmatched = counts.agents?.skipped ?? 0;
    assert.ok(unmatched > 0, 'the case this checks: agents no sandbox admin matches');
    const migration = await api().tree('migration');
    const configure = migration.find((r) => r.label === 'Configure workspace');
    assert.equal(configure?.icon, 'warning', `Configure workspace: ${configure?.description}`);
    assert.match(configure?.description ?? '', new RegExp(`^applied · ${unmatched} of \\d+ agents unmatched`));
    assert.equal(migration.find((r) => r.label === 'Sample')?.icon, 'warning');
    assert.equal(top?.icon, 'warning', 'the Runs view too');
    const notice = api().notices().at(-1);
    assert.equal(notice?.level, 'warning', notice?.text);
    assert.match(
      notice?.text ?? '',
      new RegExp(`^Sample run completed with something to act on: ${unmatched} of \\d+ agents match no Intercom admin`),
    );
    assert.ok(
      notice?.actions.some((a) => a.title === 'Open Workspace Plan' || a.title === 'Show What to Rebuild'),
      notice?.actions.map((a) => a.title).join(', '),
    );
  });

  it('validates the sample: the reconciliation report is written and the Runs entry offers it', async () => {
    const report = await vscode.commands.executeCommand<string>('st2ic.validateRun', sampleRunId);
    assert.equal(path.basename(report), `reconciliation-${sampleRunId}.md`);
    assert.match(readFileSync(report, 'utf8'), /migrated/i);
    assert.match(
      (await api().tree('migration')).find((r) => r.label === 'Validate')?.description ?? '',
      new RegExp(`reconciled ${sampleRunId}`),
    );
  });

  it('writes the rebuild inventory', async () => {
    const file = await vscode.commands.executeCommand<string>('st2ic.rebuildInventory');
    assert.ok(file && existsSync(file), 'rebuild-inventory.md exists');
  });

  it('rolling back asks first, with counts; declining changes nothing', async () => {
    const before = await sandboxContacts();
    assert.ok(before > 0, 'the sample created contacts');
    prompts.script({ pick: `sample · completed` }, { confirm: false });
    const questions = prompts.asked.length;
    assert.equal(await vscode.commands.executeCommand('st2ic.rollbackRun'), undefined);
    assert.match(prompts.asked[questions + 1] ?? '', new RegExp(`Roll back sample run ${sampleRunId}`));
    assert.equal(await sandboxContacts(), before);
  });

  it('a rollback needs the run id typed: Enter on the empty box, or another id, rolls back nothing', async () => {
    const before = await sandboxContacts();
    for (const typed of ['', 'yes']) {
      prompts.script({ confirm: true }, { input: typed });
      assert.equal(await vscode.commands.executeCommand('st2ic.rollbackRun', sampleRunId), undefined);
      assert.equal(prompts.refused.at(-1), typed, `"${typed}" is refused by the box`);
    }
    const box = prompts.inputs.at(-1);
    assert.equal(box?.title, `Roll back run ${sampleRunId}`);
    assert.match(box?.prompt ?? '', new RegExp(`Type the run id \\(${sampleRunId}\\)`));
    assert.equal(await sandboxContacts(), before, 'nothing deleted');
  });

  it('rolls back the sample: contacts deleted in the sandbox, a completed rollback run in the ledger', async () => {
    prompts.script({ confirm: true }, { input: sampleRunId });
    const result = await vscode.commands.executeCommand<{ runId: string; status: string; undone: number }>(
      'st2ic.rollbackRun',
      sampleRunId,
    );
    assert.equal(result?.status, 'completed');
    assert.ok((result?.undone ?? 0) > 0);
    assert.equal(await sandboxContacts(), 0);
    const [top, ...older] = await api().tree('runs');
    assert.equal(top?.label, `rollback of ${sampleRunId} · completed`);
    assert.match(
      top?.description ?? '',
      new RegExp(` · ${result!.undone} undone`),
      'the rollback counts what it undid, not "0 migrated"',
    );
    const sample = older.find((r) => r.label === 'sample · completed');
    assert.ok(sample?.description.startsWith(`rolled back by ${result!.runId} · `), sample?.description);
    assert.match(sample?.contextValue ?? '', /^run\.sample\.rolledBack/, 'Validate and Roll Back leave its menu');
    assert.equal(sample?.icon, 'discard');
    assert.match((await api().tree('migration')).find((r) => r.label === 'Sample')?.description ?? '', /^rolled back/);
    const keys = api().contextKeys();
    assert.equal(keys['st2ic.hasLoadRuns'], false, 'nothing left to validate');
    assert.equal(keys['st2ic.hasUndoableRuns'], false, 'nor to roll back');
    assert.equal(
      await vscode.commands.executeCommand('st2ic.validateRun', sampleRunId),
      undefined,
      'a rolled-back run is not validated',
    );
  });

  it('keeps the token, the password and the AI key out of settings, migration/ and the output log', async () => {
    const token = await api().secrets.get('intercomToken');
    assert.ok(token && token.length > 10);
    const secrets = [token, PASSWORD, AI_KEY];
    const places: [string, string][] = [['st2ic settings', JSON.stringify(vscode.workspace.getConfiguration('st2ic'))]];
    for (const file of filesUnder(path.join(root(), 'migration'))) places.push([file, readFileSync(file, 'latin1')]);
    for (const file of filesUnder(path.join(root(), '.vscode'))) places.push([file, readFileSync(file, 'utf8')]);
    const logs = filesUnder(api().logUri.fsPath);
    assert.ok(logs.length > 0, `the output channel writes its log under ${api().logUri.fsPath}`);
    for (const file of logs) places.push([file, readFileSync(file, 'utf8')]);
    assert.ok(
      places.some(([, text]) => text.includes(sampleRunId)),
      'the scan covers the run',
    );
    assert.ok(
      places.some(([file, text]) => logs.includes(file) && /migrated +tickets/.test(text)),
      'the log holds record outcomes',
    );
    for (const [where, text] of places)
      for (const secret of secrets) assert.ok(!text.includes(secret!), `a secret appears in ${where}`);
  });
});
