import * as vscode from 'vscode';

import { type Clock, clockFromEnvironment, systemClock } from '../model/clock';
import { messageOf } from '../model/error-message';
import { MIGRATION_DIR } from '../model/workspace-paths';
import { commands } from './commands';
import { parseConnectionChecks, verifiedConnections } from './connection-state';
import type { Ctx } from './context';
import { CONTEXT_KEYS, type ContextValues, contextValuesOf } from './context-keys';
import { MappingEditorProvider } from './mapping-editor/mapping-editor';
import { MigrationFolder } from './migration-folder';
import type { PhaseInputs } from './phase-state';
import { vscodePrompts } from './prompts';
import { disposeSandbox, localSandbox, runningSandbox } from './sandbox';
import { SecretStore } from './secrets';
import { configFromSettings } from './settings';
import { type TestApi, testApiOf } from './test-api';
import { ConnectionsView } from './views/connections-view';
import { MigrationView, readPhaseInputs } from './views/migration-view';
import { RunsView } from './views/runs-view';

export type { TestApi } from './test-api';

const CHECKS_KEY = 'st2ic.connectionChecks';

export function activate(extension: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('SmarterTrack → Intercom', { log: true });
  const folder = new MigrationFolder();
  const secrets = new SecretStore(extension.secrets);
  const warn = (message: string) => log.warn(message);
  const migration = new MigrationView(folder, warn);
  const runs = new RunsView(folder, warn);

  const ctx: Ctx = {
    extension,
    log,
    clock: extensionClock(log),
    secrets,
    folder,
    prompts: vscodePrompts,
    checks: () => parseConnectionChecks(extension.workspaceState.get(CHECKS_KEY)),
    async recordCheck(id, result) {
      const checks = { ...ctx.checks() };
      if (result) checks[id] = result;
      else delete checks[id];
      await extension.workspaceState.update(CHECKS_KEY, checks);
    },
    defaultConfig: () => configFromSettings(vscode.workspace.getConfiguration('st2ic')),
    runActive: false,
    notices: [],
    async refreshViews() {
      await setContextKeys(await readContextValues());
      connections.refresh();
      migration.refresh();
      runs.refresh();
    },
  };

  let contextKeys: Partial<ContextValues> = {};
  // The runs the last refresh read: the interrupted-run notice at start uses them, not a second read.
  let lastRuns: PhaseInputs['runs'] = [];
  const readContextValues = async (): Promise<ContextValues> => {
    const exists = await folder.exists();
    const root = folder.workspaceFolder()?.uri;
    const window = { runActive: ctx.runActive, sandboxRunning: runningSandbox() !== undefined };
    // The stored Test results count only while they match the configuration: the same rule as the Connections view.
    const verified = await connections.states().then(verifiedConnections, () => ({ source: false, intercom: false }));
    if (!exists || root?.scheme !== 'file') return contextValuesOf({ exists }, window, verified);
    try {
      const inputs = await readPhaseInputs(root.fsPath, warn);
      lastRuns = inputs.runs;
      return contextValuesOf({ exists, inputs }, window, verified);
    } catch (error) {
      // An unreadable mapping.json or ledger: the Migration view names it; the keys fall back to "nothing yet".
      warn(`Context keys: ${messageOf(error)}`);
      return contextValuesOf({ exists }, window, verified);
    }
  };
  const setContextKeys = async (values: ContextValues) => {
    await Promise.all(
      CONTEXT_KEYS.map((key) =>
        contextKeys[key] === values[key] ? undefined : vscode.commands.executeCommand('setContext', key, values[key]),
      ),
    );
    contextKeys = values;
  };

  const connections = new ConnectionsView(
    folder,
    secrets,
    () => ctx.checks(),
    () => localSandbox(extension.workspaceState),
  );
  const mappingEditor = MappingEditorProvider.register(ctx);
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${MIGRATION_DIR}/**`);
  const refreshSoon = debounce(() => void ctx.refreshViews(), 200);
  // A run appends to its journal all the time; the run command refreshes the views when it ends.
  const onFileEvent = (uri: vscode.Uri) => {
    if (!/[\\/]runs[\\/]|ledger-index/.test(uri.path)) refreshSoon();
  };
  extension.subscriptions.push(
    log,
    watcher,
    watcher.onDidCreate(onFileEvent),
    watcher.onDidDelete(onFileEvent),
    watcher.onDidChange(onFileEvent),
    secrets.onDidChange(refreshSoon),
    vscode.workspace.onDidChangeWorkspaceFolders(refreshSoon),
    vscode.window.registerTreeDataProvider('st2ic.connections', connections),
    vscode.window.registerTreeDataProvider('st2ic.migration', migration),
    vscode.window.registerTreeDataProvider('st2ic.runs', runs),
    mappingEditor.registration,
    ...Object.entries(commands).map(([id, build]) => vscode.commands.registerCommand(id, guarded(id, build(ctx), log))),
  );
  void ctx.refreshViews().then(() => tellInterruptedRun(ctx, () => lastRuns, warn));

  const activationMs = performance.now() - started;
  log.info(
    `Activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`,
  );
  if (extension.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return testApiOf({
    ctx,
    secrets,
    activationMs,
    editors: mappingEditor.provider,
    views: { connections, migration, runs },
    contextKeys: () => contextKeys,
  });
}

export async function deactivate(): Promise<void> {
  await disposeSandbox();
}

/** Errors of a command go to the log and one notification instead of an unhandled rejection. */
function guarded(id: string, handler: (...args: unknown[]) => unknown, log: vscode.LogOutputChannel) {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = messageOf(error);
      log.error(`${id}: ${message}`);
      // The engine words its errors for the CLI; the notification names the editor's commands instead.
      const { inEditorTerms } = await import('./editor-wording');
      void vscode.window.showErrorMessage(inEditorTerms(message));
      return undefined;
    }
  };
}

/** Once per window: a run the ledger shows as interrupted (a reload or a crash mid-run), and how to resume it. */
async function tellInterruptedRun(
  ctx: Ctx,
  runs: () => PhaseInputs['runs'],
  warn: (message: string) => void,
): Promise<void> {
  try {
    // Loaded here, not at activation: the wording pulls in the mapping rules.
    const [{ interruptedRunNotice }, { showNotice }, { interruptedRunToTell }] = await Promise.all([
      import('./editor-wording'),
      import('./notify'),
      import('./interrupted-run-watch'),
    ]);
    const notice = await interruptedRunToTell({
      runs,
      noticeOf: interruptedRunNotice,
      refresh: () => ctx.refreshViews(),
      runActive: () => ctx.runActive,
    });
    if (notice) showNotice(ctx, notice);
  } catch (error) {
    warn(`Interrupted runs: ${messageOf(error)}`);
  }
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** ST2IC_NOW pins the clock (tests, reproducible reports); a bad value is named and the system clock used. */
function extensionClock(log: vscode.LogOutputChannel): Clock {
  try {
    return clockFromEnvironment();
  } catch (error) {
    log.warn(`${messageOf(error)}; the system clock is used`);
    return systemClock;
  }
}
