import type { RecordCounts, RunCounts } from '../model/journal';
import { runFigures } from '../reports/run-figures';

// Totals of a run's counts, for labels (kept apart from the ledger so views load it cheaply).

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

/** The run's figures as every view and notification words them (src/reports/run-figures.ts). */
export function countsText(counts: RunCounts): string {
  return runFigures(counts);
}
