import { existsSync } from 'node:fs';
import path from 'node:path';

/** The run's report, if the reports layer wrote one. */
export function runReport(dir: string, runId: string): string | undefined {
  const candidates = [path.join(dir, 'migration', 'reports', `reconciliation-${runId}.md`), path.join(dir, 'migration', 'runs', runId, 'report.md')];
  return candidates.find((f) => existsSync(f));
}
