import * as vscode from 'vscode';

import { migrationPaths } from '../model/workspace-paths';
import type { Ctx } from './context';
import { workspaceDir } from './engine-access';
import { countsText, listRunEntries, type RunEntry } from './ledger-runs';
import { rolledBackBy } from './rolled-back';
import { runReport } from './run-report';
import { undoText } from './run-rows';
import { runIdOf } from './views/runs-view';
import { showMarkdown } from './workflow';

// Commands on one run of the ledger: from a Runs-view item, or a quick pick of runs.

/** standing: only runs no completed rollback has undone (to validate or roll back). */
export async function pickRun(
  ctx: Ctx,
  arg: unknown,
  title: string,
  filter: (entry: RunEntry) => boolean = () => true,
  options: { standing?: boolean } = {},
): Promise<RunEntry | undefined> {
  const all = await listRunEntries(workspaceDir(ctx), (m) => ctx.log.warn(m));
  const undoneBy = rolledBackBy(all.map((e) => e.summary.meta));
  const entries = all.filter((e) => filter(e) && !(options.standing && undoneBy.has(e.summary.meta.id))).reverse();
  const wanted = runIdOf(arg);
  const undone = wanted && options.standing ? undoneBy.get(wanted) : undefined;
  if (undone) throw new Error(`Run ${wanted} was rolled back by ${undone}: there is nothing of it left in Intercom.`);
  if (wanted) {
    const entry = entries.find((e) => e.summary.meta.id === wanted);
    if (!entry) throw new Error(`Run ${wanted} is not in the ledger, or cannot be used here.`);
    return entry;
  }
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('No run in the ledger fits.');
    return undefined;
  }
  const picked = await ctx.prompts.pick(
    entries.map((entry) => ({
      label: `${entry.summary.meta.kind} · ${entry.summary.meta.status}`,
      description: entry.summary.meta.id,
      detail: entry.undo ? undoText(entry.undo) : countsText(entry.counts),
      entry,
    })),
    { title, placeHolder: 'Which run?' },
  );
  return picked?.entry;
}

export async function openRunReport(ctx: Ctx, arg: unknown): Promise<void> {
  const entry = await pickRun(ctx, arg, 'Open a run report');
  if (!entry) return;
  const report = runReport(workspaceDir(ctx), entry.summary.meta.id);
  if (!report) {
    void vscode.window.showInformationMessage(
      `Run ${entry.summary.meta.id} has no report yet: validate it to write its reconciliation.`,
    );
    return;
  }
  await showMarkdown(report);
}

export async function openRunJournal(ctx: Ctx, arg: unknown): Promise<void> {
  const entry = await pickRun(ctx, arg, 'Open a run journal');
  if (!entry) return;
  await vscode.window.showTextDocument(
    vscode.Uri.file(migrationPaths(workspaceDir(ctx)).journal(entry.summary.meta.id)),
  );
}
