import * as vscode from 'vscode';
import { CONFIG_FILE } from '../model/migration-config';
import type { CommandId } from './command-ids';
import { connectIntercom, connectSource, disconnectAi, disconnectIntercom, disconnectSource, forgetSecrets, setAiKey, testAi, testIntercom, testSource } from './connect';
import { openRunJournal, openRunReport } from './run-actions';
import { rebuildInventory, rollBack, validateRun } from './run-review';
import { startLocalSandbox, stopLocalSandbox } from './sandbox';
import { configureWorkspace, confirmMapping, openMapping, proposeMapFile, runKind, scope } from './workflow';
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
  'st2ic.testSource': (ctx) => () => testSource(ctx),
  'st2ic.disconnectSource': (ctx) => () => disconnectSource(ctx),
  'st2ic.connectIntercom': (ctx) => () => connectIntercom(ctx),
  'st2ic.testIntercom': (ctx) => () => testIntercom(ctx),
  'st2ic.disconnectIntercom': (ctx) => () => disconnectIntercom(ctx),
  'st2ic.setAiKey': (ctx) => () => setAiKey(ctx),
  'st2ic.testAi': (ctx) => () => testAi(ctx),
  'st2ic.disconnectAi': (ctx) => () => disconnectAi(ctx),
  'st2ic.forgetSecrets': (ctx) => () => forgetSecrets(ctx),
  'st2ic.refreshViews': (ctx) => () => ctx.refreshViews(),
  'st2ic.scope': (ctx) => () => scope(ctx),
  'st2ic.configureWorkspace': (ctx) => () => configureWorkspace(ctx),
  'st2ic.proposeMap': (ctx) => () => proposeMapFile(ctx),
  'st2ic.openMapping': (ctx) => () => openMapping(ctx),
  'st2ic.confirmMap': (ctx) => () => confirmMapping(ctx),
  'st2ic.runSample': (ctx) => () => runKind(ctx, 'sample'),
  'st2ic.runFull': (ctx) => () => runKind(ctx, 'full'),
  'st2ic.runDelta': (ctx) => () => runKind(ctx, 'delta'),
  'st2ic.openRunReport': (ctx) => (arg) => openRunReport(ctx, arg),
  'st2ic.openRunJournal': (ctx) => (arg) => openRunJournal(ctx, arg),
  'st2ic.validateRun': (ctx) => (arg) => validateRun(ctx, arg),
  'st2ic.rollbackRun': (ctx) => (arg) => rollBack(ctx, arg),
  'st2ic.rebuildInventory': (ctx) => () => rebuildInventory(ctx),
  'st2ic.startSandbox': (ctx) => () => startLocalSandbox(ctx),
  'st2ic.stopSandbox': (ctx) => () => stopLocalSandbox(ctx),
};
