import type { RecordCounts, RunCounts } from '../model/journal';

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

export function countsText(counts: RunCounts): string {
  const t = totals(counts);
  return `${t.migrated} migrated · ${t.skipped} skipped · ${t.failed} failed`;
}
