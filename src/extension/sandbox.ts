import { randomBytes } from 'node:crypto';
import path from 'node:path';

import * as vscode from 'vscode';

import type { RunningSandbox } from '../sandbox/index';
import type { Ctx } from './context';

// The local Intercom-compatible server for a rehearsal, run inside the extension host. One at a
// time; its state is kept in the workspace's extension storage so a rehearsal survives a reload.

let running: { sandbox: RunningSandbox; status: vscode.StatusBarItem } | undefined;

export function runningSandbox(): { url: string; token: string; statusBackground: boolean } | undefined {
  return running
    ? {
        url: running.sandbox.url,
        token: running.sandbox.token,
        statusBackground: running.status.backgroundColor !== undefined,
      }
    : undefined;
}

/** Where the window's last sandbox listened (workspace state), and whether it still does. */
const LAST_URL_KEY = 'st2ic.sandboxUrl';

export function localSandbox(state: vscode.Memento): { url: string; running: boolean } | undefined {
  const url = state.get<unknown>(LAST_URL_KEY);
  if (typeof url !== 'string') return undefined;
  return { url, running: running?.sandbox.url === url };
}

export async function startLocalSandbox(ctx: Ctx): Promise<{ url: string }> {
  if (running) {
    void vscode.window.showInformationMessage(`The sandbox is already running at ${running.sandbox.url}.`);
    return { url: running.sandbox.url };
  }
  const storage = ctx.extension.storageUri ?? ctx.extension.globalStorageUri;
  await vscode.workspace.fs.createDirectory(storage);
  // A fresh random token per start: nothing guessable, and the secret scan in the tests has a needle.
  const { startSandbox } = await import('../sandbox/index');
  const sandbox = await startSandbox({
    port: 0,
    stateFile: path.join(storage.fsPath, 'sandbox-state.json'),
    token: `sbx-${randomBytes(18).toString('base64url')}`,
  });
  const status = vscode.window.createStatusBarItem('st2ic.sandbox', vscode.StatusBarAlignment.Left, 90);
  status.name = 'Intercom sandbox';
  status.text = `$(beaker) Sandbox ${sandbox.port}`;
  status.tooltip = `Local Intercom sandbox at ${sandbox.url}. Click to stop.`;
  status.command = 'st2ic.stopSandbox';
  // No warning background: a running sandbox is the normal state of a rehearsal, not a problem.
  status.show();
  running = { sandbox, status };
  await ctx.extension.workspaceState.update(LAST_URL_KEY, sandbox.url);
  ctx.log.info(`Sandbox listening on ${sandbox.url} (state in ${vscode.workspace.asRelativePath(storage)})`);
  // Remember it as the Intercom connection: the URL in config.json, the token in secret storage.
  await ctx.secrets.store('intercomToken', sandbox.token);
  if (ctx.folder.workspaceFolder()) {
    await ctx.folder.updateConfig(
      () => ctx.defaultConfig(),
      (c) => ({ ...c, intercom: { ...c.intercom, baseUrl: sandbox.url } }),
    );
  }
  await ctx.refreshViews();
  return { url: sandbox.url };
}

export async function stopLocalSandbox(ctx: Ctx): Promise<void> {
  if (!running) {
    void vscode.window.showInformationMessage('No sandbox is running.');
    return;
  }
  const { sandbox, status } = running;
  running = undefined;
  status.dispose();
  await sandbox.close();
  ctx.log.info('Sandbox stopped; its state is saved for the next start');
  await ctx.refreshViews();
}

/** On deactivate: the server must not outlive the extension host's wish to stop. */
export async function disposeSandbox(): Promise<void> {
  const current = running;
  running = undefined;
  current?.status.dispose();
  await current?.sandbox.close();
}
