import * as vscode from 'vscode';

import { planRollback, type RollbackResult, rollbackRun } from '../engine/rollback';
import { rollbackPlanSentences } from '../engine/rollback-plan-text';
import { openLedger } from '../ledger';
import { readMappingFile } from '../mapping/mapping-file';
import { buildRebuildInventory, writeRebuildInventory } from '../reports/rebuild-inventory';
import { NotAMigrationError, validateMigration } from '../reports/validate-migration';
import type { Ctx } from './context';
import { validationNotice } from './editor-wording';
import { openClient, openReader, requireConfig, workspaceDir } from './engine-access';
import { countsText } from './ledger-runs';
import { showNotice } from './notify';
import { pickRun } from './run-actions';
import { RunProgress } from './run-progress';
import { showMarkdown } from './workflow';

// After a run: reconcile it (validate), undo it (roll back), and list what must be rebuilt by hand.
// Each calls the engine or the reports layer, as the CLI's validate, rollback and inventory verbs do.

const LOADS = new Set(['sample', 'full', 'delta']);

export async function validateRun(ctx: Ctx, arg: unknown): Promise<string | undefined> {
  const entry = await pickRun(ctx, arg, 'Validate a run', (e) => LOADS.has(e.summary.meta.kind), { standing: true });
  if (!entry) return undefined;
  const runId = entry.summary.meta.id;
  const config = await requireConfig(ctx);
  const dir = workspaceDir(ctx);
  const client = await openClient(ctx, config);
  let files;
  try {
    files = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Validating ${runId}…` },
      async () => {
        const reader = await openReader(ctx, config);
        const ledger = await openLedger(dir, { warn: (m) => ctx.log.warn(m) });
        try {
          const validation = await validateMigration({
            workspaceDir: dir,
            ledger,
            reader,
            client,
            map: await readMappingFile(dir),
            runId,
            clock: ctx.clock,
          });
          const { totals, fieldCheck } = validation.reconciliation.report;
          const fidelity = fieldCheck.types
            .filter((t) => t.checked > 0)
            .map((t) => `${t.objectType} ${t.fidelity}%`)
            .join(', ');
          ctx.log.info(
            `Reconciliation of ${runId}: source ${totals.source}, migrated ${totals.migrated}, skipped ${totals.skipped}, failed ${totals.failed}, unaccounted ${totals.unaccounted}; read back and compared with the source: ${fidelity}; ${fieldCheck.mismatches.length} difference(s)`,
          );
          return {
            ...validation.files,
            summary: {
              runId,
              kind: entry.summary.meta.kind,
              failed: totals.failed,
              unaccounted: totals.unaccounted,
              differences: fieldCheck.mismatches.length,
            },
          };
        } finally {
          await ledger.close();
          await reader.close();
        }
      },
    );
  } catch (error) {
    if (!(error instanceof NotAMigrationError)) throw error;
    void vscode.window.showWarningMessage(error.message);
    return undefined;
  }
  ctx.log.info(`Wrote ${vscode.workspace.asRelativePath(files.markdown)} (+ .json, .csv)`);
  await ctx.refreshViews();
  await showMarkdown(files.markdown);
  // A gap is said in a warning, not left to the report to be noticed.
  const notice = validationNotice(files.summary, files.csv);
  if (notice) showNotice(ctx, notice);
  return files.markdown;
}

/**
 * The rollback's last gate: the run id, typed, as the CLI asks. VS Code's modal dialog always focuses
 * its first action and puts Cancel last, so an extension cannot make Cancel the default there; with
 * the id to type, Enter alone never deletes anything in Intercom.
 */
async function typedRunId(ctx: Ctx, runId: string): Promise<boolean> {
  const typed = await ctx.prompts.input({
    title: `Roll back run ${runId}`,
    prompt: `Type the run id (${runId}) to roll it back in Intercom`,
    placeHolder: runId,
    validateInput: (v) => (v.trim() === runId ? undefined : `Type ${runId} exactly, or press Escape to keep the run`),
  });
  return typed === runId;
}

export async function rollBack(ctx: Ctx, arg: unknown): Promise<RollbackResult | undefined> {
  const entry = await pickRun(
    ctx,
    arg,
    'Roll back a run',
    (e) => e.summary.meta.kind !== 'rollback' && e.summary.meta.kind !== 'dry-run',
    { standing: true },
  );
  if (!entry) return undefined;
  const runId = entry.summary.meta.id;
  const config = await requireConfig(ctx);
  const dir = workspaceDir(ctx);
  const client = await openClient(ctx, config);
  const plan = await planRollback(dir, runId, client);
  const ok = await ctx.prompts.confirm(
    `Roll back ${entry.summary.meta.kind} run ${runId} in Intercom?`,
    `The run recorded ${countsText(entry.counts)}.\n\n${rollbackPlanSentences(plan).join('\n')}\n\nThe rollback is journaled and can be resumed if it stops. Next, type the run id to confirm.`,
    'Roll Back…',
  );
  if (!ok || !(await typedRunId(ctx, runId))) return undefined;
  let sink: RunProgress | undefined;
  const abort = new AbortController();
  ctx.runActive = true;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Rolling back ${runId}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        sink = new RunProgress('Rollback', ctx.log, client, (message) => progress.report({ message }), 'undone');
        return rollbackRun({ workspaceDir: dir, runId, client, progress: sink, signal: abort.signal });
      },
    );
    ctx.log.info(
      `Rollback ${result.runId} ${result.status}: ${result.undone} undone, ${result.alreadyGone} already gone, ${result.failed.length} failed, ${result.plan.impossible.length} left`,
    );
    for (const f of result.failed) ctx.log.error(`rollback failed: ${f.description}: ${f.message}`);
    const text = `Rollback of ${runId} ${result.status}: ${result.undone} write(s) undone${result.alreadyGone ? `, ${result.alreadyGone} already gone` : ''}${result.failed.length ? `, ${result.failed.length} failed` : ''}${result.stillArchiving.length ? `; Intercom has not yet archived ${result.stillArchiving.length} company(ies): wait before migrating again` : ''}.`;
    showNotice(ctx, {
      level:
        result.status === 'completed' && result.failed.length === 0 && result.stillArchiving.length === 0
          ? 'info'
          : 'warning',
      text,
      actions: [],
    });
    return result;
  } finally {
    ctx.runActive = false;
    sink?.dispose();
    await ctx.refreshViews();
  }
}

export async function rebuildInventory(ctx: Ctx): Promise<string> {
  const config = await requireConfig(ctx);
  const dir = workspaceDir(ctx);
  const reader = await openReader(ctx, config);
  const ledger = await openLedger(dir, { warn: (m) => ctx.log.warn(m) });
  let files;
  try {
    const inventory = await buildRebuildInventory({
      reader,
      ledger,
      map: await readMappingFile(dir),
      clock: ctx.clock,
    });
    files = await writeRebuildInventory(dir, inventory);
  } finally {
    await ledger.close();
    await reader.close();
  }
  ctx.log.info(`Wrote ${vscode.workspace.asRelativePath(files.markdown)}`);
  await showMarkdown(files.markdown);
  return files.markdown;
}
