import type { IntercomClient } from '../intercom';
import type { Ledger } from '../ledger';
import type { Clock } from '../model/clock';
import type { MappingFile } from '../model/mapping';
import type { SourceReader } from '../source';
import { buildReconciliation, type Reconciliation, writeReconciliation } from './reconciliation';
import { fetchServedFile } from './verify/fetch-file';
import type { FetchFile, SampleSize } from './verify/types';

/** Validation was asked of something that is not a migration (a dry run, a rollback, a workspace with no run that wrote). */
export class NotAMigrationError extends Error {
  override readonly name = 'NotAMigrationError';
}

export interface ValidateRequest {
  workspaceDir: string;
  ledger: Ledger;
  reader: SourceReader;
  client: IntercomClient;
  map: MappingFile;
  /** Omitted: the workspace's state across its runs (a sample before a full run is not a gap). */
  runId?: string;
  /** Default: every migrated record; a number reads that many per object type. */
  sample?: SampleSize;
  clock?: Clock;
  fetchFile?: FetchFile;
}

export interface Validation {
  reconciliation: Reconciliation;
  files: { markdown: string; json: string; csv: string };
  /** Nothing failed, nothing unaccounted, and Intercom holds every record read back as the source does. */
  clean: boolean;
}

/**
 * `st2ic validate` and the extension's "Validate a Run": reconciles the ledger with the source, reads
 * the migrated records back from Intercom and compares them with the source, and writes the report.
 * A dry run wrote nothing to Intercom, so it cannot be validated as a migration: refused, saying so.
 */
export async function validateMigration(req: ValidateRequest): Promise<Validation> {
  const runs = await req.ledger.listRuns();
  if (req.runId !== undefined) {
    const run = runs.find((r) => r.meta.id === req.runId);
    if (!run) throw new NotAMigrationError(`no run ${req.runId} in ${req.workspaceDir}`);
    if (run.meta.kind === 'dry-run') {
      throw new NotAMigrationError(
        `run ${req.runId} is a dry run: it wrote nothing to Intercom, so it cannot be validated as a migration (its journal shows what a real run would do). Validate a sample, full or delta run, or the workspace (no run id).`,
      );
    }
    if (run.meta.kind === 'rollback')
      throw new NotAMigrationError(
        `run ${req.runId} is a rollback: it undid a run, there is no migration in it to validate`,
      );
  } else if (!runs.some((r) => r.meta.kind !== 'dry-run' && r.meta.kind !== 'rollback')) {
    const dry = runs.filter((r) => r.meta.kind === 'dry-run').map((r) => r.meta.id);
    throw new NotAMigrationError(
      dry.length
        ? `this workspace has only dry runs (${dry.join(', ')}): they wrote nothing to Intercom, so there is no migration to validate`
        : 'this workspace has no migration run to validate',
    );
  }
  const reconciliation = await buildReconciliation({
    ledger: req.ledger,
    reader: req.reader,
    client: req.client,
    map: req.map,
    ...(req.runId !== undefined ? { runId: req.runId } : {}),
    ...(req.sample !== undefined ? { sample: req.sample } : {}),
    ...(req.clock ? { clock: req.clock } : {}),
    fetchFile: req.fetchFile ?? fetchServedFile,
  });
  const files = await writeReconciliation(req.workspaceDir, reconciliation);
  const { totals, fieldCheck } = reconciliation.report;
  return {
    reconciliation,
    files,
    clean: totals.failed === 0 && totals.unaccounted === 0 && fieldCheck.mismatches.length === 0,
  };
}
