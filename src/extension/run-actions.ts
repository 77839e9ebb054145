import path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { workspaceDir } from './engine-access';
import { countsText, listRunEntries, type RunEntry } from './ledger-runs';
import { runIdOf } from './views/runs-view';
import { runReport } from './run-report';
import { showMarkdown } from './workflow';

// Commands on one run of the ledger: from a Runs-view item, or a quick pick of runs.

export async function pickRun(ctx: Ctx, arg: unknown, title: string, filter: (entry: RunEntry) => boolean = () => true): Promise<RunEntry | undefined> {
  const entries = (await listRunEntries(workspaceDir(ctx), (m) => ctx.log.warn(m))).filter(filter).reverse();
  const wanted = runIdOf(arg);
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
    entries.map((entry) => ({ label: `${entry.summary.meta.kind} · ${entry.summary.meta.status}`, description: entry.summary.meta.id, detail: countsText(entry.counts), entry })),
    { title, placeHolder: 'Which run?' },
  );
  return picked?.entry;
}

export async function openRunReport(ctx: Ctx, arg: unknown): Promise<void> {
  const entry = await pickRun(ctx, arg, 'Open a run report');
  if (!entry) return;
  const report = runReport(workspaceDir(ctx), entry.summary.meta.id);
  if (!report) {
    void vscode.window.showInformationMessage(`Run ${entry.summary.meta.id} has no report yet: validate it to write its reconciliation.`);
    return;
  }
  await showMarkdown(report);
}

export async function openRunJournal(ctx: Ctx, arg: unknown): Promise<void> {
  const entry = await pickRun(ctx, arg, 'Open a run journal');
  if (!entry) return;
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceDir(ctx), 'migration', 'runs', entry.summary.meta.id, 'journal.jsonl')));
}
