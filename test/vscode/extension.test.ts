import assert from 'node:assert/strict';

import * as vscode from 'vscode';

import type { TestApi } from '../../src/extension/extension';
import { SECRET_NAMES } from '../../src/extension/secrets';
import { parseMigrationConfig } from '../../src/model/migration-config';
import { CONFIG_FILE, MIGRATION_DIR } from '../../src/model/workspace-paths';

const EXTENSION_ID = 'st2ic.smartertrack-to-intercom';
const VIEW_IDS = ['st2ic.connections', 'st2ic.migration', 'st2ic.runs'];
const SENTINEL = 'sentinel-secret-4f1c9b';

function extension(): vscode.Extension<TestApi | undefined> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this host`);
  return ext;
}

function api(): TestApi {
  const exports = extension().exports;
  assert.ok(exports, 'the extension returns its test API in ExtensionMode.Test');
  return exports;
}

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with a workspace folder open');
  return folder;
}

describe('extension in the VS Code extension host', () => {
  // Must run first: anything below activates the extension.
  it('is not active before one of its views or commands is used', async () => {
    const folder = workspaceFolder();
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, MIGRATION_DIR))),
      'the test workspace starts without migration/',
    );
    assert.equal(extension().isActive, false);
  });

  it('activates on its first command', async () => {
    const started = performance.now();
    await vscode.commands.executeCommand('st2ic.showOutput');
    const elapsed = performance.now() - started;
    assert.equal(extension().isActive, true);
    console.log(
      `    activation: first command answered after ${elapsed.toFixed(0)} ms; activate() took ${api().activationMs.toFixed(1)} ms (VS Code ${vscode.version}, Node ${process.versions.node})`,
    );
  });

  it('registers exactly the commands it contributes', async () => {
    const contributed = (extension().packageJSON.contributes.commands as { command: string }[])
      .map((c) => c.command)
      .sort();
    // View containers and views add their own st2ic.<view>.<action> commands; ours have one dot.
    const registered = (await vscode.commands.getCommands(true)).filter((id) => /^st2ic\.[^.]+$/.test(id)).sort();
    assert.ok(contributed.length > 0);
    assert.deepEqual(registered, contributed);
  });

  it('has the activity-bar container with the Connections, Migration and Runs views', async () => {
    const views = extension().packageJSON.contributes.views as Record<string, { id: string }[]>;
    assert.deepEqual(
      views.st2ic?.map((v) => v.id),
      VIEW_IDS,
    );
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('workbench.view.extension.st2ic'), 'the view container is registered');
    for (const id of VIEW_IDS) {
      assert.ok(all.includes(`${id}.focus`), `view ${id} is registered`);
      await vscode.commands.executeCommand(`${id}.focus`);
    }
  });

  it('keeps secrets in SecretStorage: store, read back, delete', async () => {
    const { secrets } = api();
    for (const name of SECRET_NAMES) {
      await secrets.store(name, `${SENTINEL}-${name}`);
      assert.equal(await secrets.get(name), `${SENTINEL}-${name}`);
    }
    assert.deepEqual(await secrets.presence(), { intercomToken: true, smartertrackPassword: true, aiKey: true });
    await secrets.delete('aiKey');
    assert.equal(await secrets.get('aiKey'), undefined);
    assert.equal((await secrets.presence()).aiKey, false);
    await assert.rejects(secrets.store('intercomToken', ''), /empty/);
  });

  it('Initialize Migration Folder writes a valid config.json that holds no secret', async () => {
    const { secrets } = api();
    await secrets.store('intercomToken', `${SENTINEL}-intercomToken`);
    await secrets.store('smartertrackPassword', `${SENTINEL}-smartertrackPassword`);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('st2ic.initMigrationFolder');
    assert.equal(uri.toString(), vscode.Uri.joinPath(workspaceFolder().uri, MIGRATION_DIR, CONFIG_FILE).toString());
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const config = parseMigrationConfig(text);
    assert.equal(config.version, 1);
    assert.equal(config.intercom.apiVersion, '2.16');
    assert.equal(config.source, undefined);
    assert.ok(!text.includes(SENTINEL), 'no stored secret value appears in config.json');
    assert.doesNotMatch(text, /password|token|secret|apikey/i, 'no secret-shaped key in config.json');
  });

  it('Initialize Migration Folder never overwrites an existing config.json', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, MIGRATION_DIR, CONFIG_FILE);
    const edited = JSON.stringify({ version: 1, intercom: { region: 'eu' } }, null, 2) + '\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(edited));
    await vscode.commands.executeCommand('st2ic.initMigrationFolder');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), edited);
  });

  after(async () => {
    if (extension().isActive) await api().secrets.forgetAll();
  });
});
