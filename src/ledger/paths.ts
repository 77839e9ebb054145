import path from 'node:path';

/** The ledger's files under `<workspace>/migration/`. */
export class LedgerPaths {
  readonly migrationDir: string;
  readonly runsDir: string;
  /** Derived cache of the cross-run index; safe to delete, rebuilt from the journals. */
  readonly indexCache: string;
  /** One writer per workspace: held by the process that writes to Intercom through it. */
  readonly writerLock: string;

  constructor(workspaceDir: string) {
    this.migrationDir = path.join(workspaceDir, 'migration');
    this.runsDir = path.join(this.migrationDir, 'runs');
    this.indexCache = path.join(this.migrationDir, 'ledger-index.json');
    this.writerLock = path.join(this.migrationDir, 'writer.lock');
  }

  runDir(runId: string): string {
    return path.join(this.runsDir, runId);
  }

  journal(runId: string): string {
    return path.join(this.runDir(runId), 'journal.jsonl');
  }

  runMeta(runId: string): string {
    return path.join(this.runDir(runId), 'run.json');
  }

  lock(runId: string): string {
    return path.join(this.runDir(runId), 'lock');
  }
}
