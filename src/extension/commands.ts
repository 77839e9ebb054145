import * as vscode from 'vscode';

import { CONFIG_FILE } from '../model/workspace-paths';
import type { CommandId } from './command-ids';
import {
  connectIntercom,
  connectSource,
  disconnectAi,
  disconnectIntercom,
  disconnectSource,
  forgetSecrets,
  setAiKey,
  testAi,
  testIntercom,
  testSource,
} from './connect';
import { startLocalSandbox, stopLocalSandbox } from './sandbox';

// The engine, reports and source readers are loaded on a command's first use, not at activation.
const workflow = () => import('./workflow');
const runActions = () => import('./run-actions');
const runReview = () => import('./run-review');
import type { Ctx } from './context';

type Command = (...args: unknown[]) => unknown;

async function initMigrationFolder(ctx: Ctx): Promise<vscode.Uri> {
  const { uri, created } = await ctx.folder.initialize(() => ctx.defaultConfig());
  ctx.log.info(
    created
      ? `Created ${vscode.workspace.asRelativePath(uri)}`
      : `${vscode.workspace.asRelativePath(uri)} already exists; left unchanged`,
  );
  await ctx.refreshViews();
  return uri;
}

async function openMigrationFolder(ctx: Ctx): Promise<void> {
  if (!(await ctx.folder.exists(CONFIG_FILE))) {
    const answer = await vscode.window.showInformationMessage(
      'This workspace has no migration folder yet.',
      'Initialize Migration Folder',
    );
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
  'st2ic.scope': (ctx) => async () => (await workflow()).scope(ctx),
  'st2ic.configureWorkspace': (ctx) => async () => (await workflow()).configureWorkspace(ctx),
  'st2ic.proposeMap': (ctx) => async () => (await workflow()).proposeAndOpenMap(ctx),
  'st2ic.openMapping': (ctx) => async () => (await workflow()).openMapping(ctx),
  'st2ic.confirmMap': (ctx) => async () => (await workflow()).confirmMapping(ctx),
  'st2ic.runSample': (ctx) => async () => (await workflow()).runKind(ctx, 'sample'),
  'st2ic.runFull': (ctx) => async () => (await workflow()).runKind(ctx, 'full'),
  'st2ic.runDelta': (ctx) => async () => (await workflow()).runKind(ctx, 'delta'),
  'st2ic.runDryRun': (ctx) => async () => (await workflow()).runKind(ctx, 'dry-run'),
  'st2ic.openRunReport': (ctx) => async (arg) => (await runActions()).openRunReport(ctx, arg),
  'st2ic.openRunJournal': (ctx) => async (arg) => (await runActions()).openRunJournal(ctx, arg),
  'st2ic.validateRun': (ctx) => async (arg) => (await runReview()).validateRun(ctx, arg),
  'st2ic.rollbackRun': (ctx) => async (arg) => (await runReview()).rollBack(ctx, arg),
  'st2ic.rebuildInventory': (ctx) => async () => (await runReview()).rebuildInventory(ctx),
  'st2ic.startSandbox': (ctx) => () => startLocalSandbox(ctx),
  'st2ic.stopSandbox': (ctx) => () => stopLocalSandbox(ctx),
};
