import * as vscode from 'vscode';
import { CONFIG_FILE } from '../model/migration-config';
import type { CommandId } from './command-ids';
import { connectIntercom, connectSource, forgetSecrets, setAiKey } from './connect';
import type { Ctx } from './context';

type Command = (...args: unknown[]) => unknown;

async function initMigrationFolder(ctx: Ctx): Promise<vscode.Uri> {
  const { uri, created } = await ctx.folder.initialize(() => ctx.defaultConfig());
  ctx.log.info(created ? `Created ${vscode.workspace.asRelativePath(uri)}` : `${vscode.workspace.asRelativePath(uri)} already exists; left unchanged`);
  await ctx.refreshViews();
  return uri;
}

async function openMigrationFolder(ctx: Ctx): Promise<void> {
  if (!(await ctx.folder.exists(CONFIG_FILE))) {
    const answer = await vscode.window.showInformationMessage('This workspace has no migration folder yet.', 'Initialize Migration Folder');
    if (answer) await initMigrationFolder(ctx);
    else return;
  }
  const config = ctx.folder.requireUri(CONFIG_FILE);
  await vscode.window.showTextDocument(config);
  await vscode.commands.executeCommand('revealInExplorer', config);
}

/**
 * The command table: every command the manifest contributes, and nothing else. Each entry builds the
 * handler from the shared context; activate() registers them all with the same error handling.
 */
export const commands: Record<CommandId, (ctx: Ctx) => Command> = {
  'st2ic.showOutput': (ctx) => () => ctx.log.show(),
  'st2ic.initMigrationFolder': (ctx) => () => initMigrationFolder(ctx),
  'st2ic.openMigrationFolder': (ctx) => () => openMigrationFolder(ctx),
  'st2ic.connectSource': (ctx) => () => connectSource(ctx),
  'st2ic.connectIntercom': (ctx) => () => connectIntercom(ctx),
  'st2ic.setAiKey': (ctx) => () => setAiKey(ctx),
  'st2ic.forgetSecrets': (ctx) => () => forgetSecrets(ctx),
  'st2ic.refreshViews': (ctx) => () => ctx.refreshViews(),
};
