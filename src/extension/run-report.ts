import { existsSync } from 'node:fs';

import { migrationPaths } from '../model/workspace-paths';

/** The run's report, if the reports layer wrote one. */
export function runReport(dir: string, runId: string): string | undefined {
  const paths = migrationPaths(dir);
  return [paths.reconciliation(runId), paths.runReport(runId)].find((f) => existsSync(f));
}
