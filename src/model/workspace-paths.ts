import path from 'node:path';

/**
 * Where a migration's files live in the workspace (DESIGN.md: "Where the user's files live"): the
 * one place that names them, so the adapters, the engine, the ledger and the reports cannot drift apart.
 */
export const MIGRATION_DIR = 'migration';
export const CONFIG_FILE = 'config.json';
const MAPPING_FILE = 'mapping.json';
const TARGET_FILE = 'target.json';
export const RUNS_DIR = 'runs';
const REPORTS_DIR = 'reports';
const WORKSPACE_PLAN_FILE = 'workspace-plan.md';

/** The absolute paths under `<workspaceDir>/migration/`. */
export function migrationPaths(workspaceDir: string) {
  const dir = path.join(workspaceDir, MIGRATION_DIR);
  const reports = path.join(dir, REPORTS_DIR);
  const runs = path.join(dir, RUNS_DIR);
  return {
    dir,
    config: path.join(dir, CONFIG_FILE),
    mapping: path.join(dir, MAPPING_FILE),
    /** The Intercom workspace the folder is bound to. */
    target: path.join(dir, TARGET_FILE),
    /** Derived cache of the ledger's cross-run index; safe to delete, rebuilt from the journals. */
    indexCache: path.join(dir, 'ledger-index.json'),
    /** One writer per workspace: held by the process that writes to Intercom through it. */
    writerLock: path.join(dir, 'writer.lock'),
    reports,
    workspacePlan: path.join(reports, WORKSPACE_PLAN_FILE),
    /** The reconciliation of one run for people (its .json and .csv sit beside it). */
    reconciliation: (runId: string) => path.join(reports, `reconciliation-${runId}.md`),
    runs,
    run: (runId: string) => path.join(runs, runId),
    journal: (runId: string) => path.join(runs, runId, 'journal.jsonl'),
    runMeta: (runId: string) => path.join(runs, runId, 'run.json'),
    runLock: (runId: string) => path.join(runs, runId, 'lock'),
    runReport: (runId: string) => path.join(runs, runId, 'report.md'),
  };
}

export type MigrationPaths = ReturnType<typeof migrationPaths>;
