import { existsSync } from 'node:fs';
import path from 'node:path';
import { openLedger, type RunSummary } from '../ledger';
import type { RecordCounts, RunCounts } from '../model/journal';

// Read-only views of the ledger for the Migration and Runs views and the run pickers.

export interface RunEntry {
  summary: RunSummary;
  counts: RunCounts;
}

/** Runs oldest first, with counts (run.json's, or the journal's for a run without them). */
export async function listRunEntries(workspaceDir: string, warn: (message: string) => void): Promise<RunEntry[]> {
  if (!existsSync(path.join(workspaceDir, 'migration', 'runs'))) return [];
  const ledger = await openLedger(workspaceDir, { warn });
  try {
    const runs = await ledger.listRuns();
    return await Promise.all(runs.map(async (summary) => ({ summary, counts: summary.meta.counts ?? (await ledger.countRun(summary.meta.id)) })));
  } finally {
    await ledger.close();
  }
}

export function totals(counts: RunCounts): Pick<RecordCounts, 'migrated' | 'skipped' | 'failed'> {
  const sum = { migrated: 0, skipped: 0, failed: 0 };
  for (const c of Object.values(counts)) {
    if (!c) continue;
    sum.migrated += c.migrated;
    sum.skipped += c.skipped;
    sum.failed += c.failed;
  }
  return sum;
}

export function countsText(counts: RunCounts): string {
  const t = totals(counts);
  return `${t.migrated} migrated · ${t.skipped} skipped · ${t.failed} failed`;
}
