import * as vscode from 'vscode';
import { MIGRATION_DIR } from '../model/migration-config';
import { commands } from './commands';
import type { Ctx } from './context';
import { MigrationFolder } from './migration-folder';
import { SecretStore } from './secrets';
import { configFromSettings } from './settings';
import { ConnectionsView } from './views/connections-view';
import { MigrationView } from './views/migration-view';
import { RunsView } from './views/runs-view';

/** Returned by activate() only when VS Code runs the extension's own tests (ExtensionMode.Test). */
export interface TestApi {
  readonly secrets: SecretStore;
  readonly activationMs: number;
}

export function activate(extension: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('SmarterTrack → Intercom', { log: true });
  const folder = new MigrationFolder();
  const secrets = new SecretStore(extension.secrets);
  const connections = new ConnectionsView(folder, secrets);
  const migration = new MigrationView(folder);
  const runs = new RunsView(folder);

  const ctx: Ctx = {
    extension,
    log,
    secrets,
    folder,
    defaultConfig: () => configFromSettings(vscode.workspace.getConfiguration('st2ic')),
    async refreshViews() {
      await vscode.commands.executeCommand('setContext', 'st2ic.hasMigrationFolder', await folder.exists());
      connections.refresh();
      migration.refresh();
      runs.refresh();
    },
  };

  const watcher = vscode.workspace.createFileSystemWatcher(`**/${MIGRATION_DIR}/**`);
  const refreshSoon = debounce(() => void ctx.refreshViews(), 200);
  extension.subscriptions.push(
    log,
    watcher,
    watcher.onDidCreate(refreshSoon),
    watcher.onDidDelete(refreshSoon),
    watcher.onDidChange(refreshSoon),
    secrets.onDidChange(refreshSoon),
    vscode.workspace.onDidChangeWorkspaceFolders(refreshSoon),
    vscode.window.registerTreeDataProvider('st2ic.connections', connections),
    vscode.window.registerTreeDataProvider('st2ic.migration', migration),
    vscode.window.registerTreeDataProvider('st2ic.runs', runs),
    ...Object.entries(commands).map(([id, build]) => vscode.commands.registerCommand(id, guarded(id, build(ctx), log))),
  );
  void ctx.refreshViews();

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return extension.extensionMode === vscode.ExtensionMode.Test ? { secrets, activationMs } : undefined;
}

export function deactivate(): void {}

/** Errors of a command go to the log and one notification instead of an unhandled rejection. */
function guarded(id: string, handler: (...args: unknown[]) => unknown, log: vscode.LogOutputChannel) {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
