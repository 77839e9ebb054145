import { existsSync } from 'node:fs';

import { openLedger, type RunSummary, type UndoCounts } from '../ledger';
import type { RunCounts } from '../model/journal';
import { migrationPaths } from '../model/workspace-paths';

// Read-only views of the ledger for the Migration and Runs views and the run pickers.

export interface RunEntry {
  summary: RunSummary;
  counts: RunCounts;
  /** A rollback run's undo calls: it journals no records, so its counts are empty. */
  undo?: UndoCounts;
}

/** Runs oldest first, with counts (run.json's, or the journal's for a run without them; a rollback's undo calls). */
export async function listRunEntries(workspaceDir: string, warn: (message: string) => void): Promise<RunEntry[]> {
  if (!existsSync(migrationPaths(workspaceDir).runs)) return [];
  const ledger = await openLedger(workspaceDir, { warn });
  try {
    const runs = await ledger.listRuns();
    return await Promise.all(
      runs.map(async (summary) => ({
        summary,
        counts: summary.meta.counts ?? (await ledger.countRun(summary.meta.id)),
        ...(summary.meta.kind === 'rollback' ? { undo: await ledger.undoCounts(summary.meta.id) } : {}),
      })),
    );
  } finally {
    await ledger.close();
  }
}

export { countsText } from './run-counts';
