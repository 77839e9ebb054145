import type { RunCounts } from '../model/journal';
import { runFigures } from '../model/run-figures';

// A run's counts in words, for labels (kept apart from the ledger so views load it cheaply).

/** The run's figures as every view and notification words them (src/model/run-figures.ts). */
export function countsText(counts: RunCounts): string {
  return runFigures(counts);
}
