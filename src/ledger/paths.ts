import { type MigrationPaths, migrationPaths } from '../model/workspace-paths';

/** The ledger's files under `<workspace>/migration/` (named in src/model/workspace-paths.ts). */
export class LedgerPaths {
  readonly migrationDir: string;
  readonly runsDir: string;
  /** Derived cache of the cross-run index; safe to delete, rebuilt from the journals. */
  readonly indexCache: string;
  /** One writer per workspace: held by the process that writes to Intercom through it. */
  readonly writerLock: string;
  private readonly paths: MigrationPaths;

  constructor(workspaceDir: string) {
    this.paths = migrationPaths(workspaceDir);
    this.migrationDir = this.paths.dir;
    this.runsDir = this.paths.runs;
    this.indexCache = this.paths.indexCache;
    this.writerLock = this.paths.writerLock;
  }

  runDir(runId: string): string {
    return this.paths.run(runId);
  }

  journal(runId: string): string {
    return this.paths.journal(runId);
  }

  runMeta(runId: string): string {
    return this.paths.runMeta(runId);
  }

  lock(runId: string): string {
    return this.paths.runLock(runId);
  }
}
