import { openLedger } from '../../ledger';
import { readMappingFile } from '../../mapping/mapping-file';
import { buildRebuildInventory, writeRebuildInventory } from '../../reports/rebuild-inventory';
import type { FieldCheck } from '../../model/reports';
import { NotAMigrationError, validateMigration } from '../../reports/validate-migration';
import type { CliCommand } from '../command';
import { clientFrom, parseCommand, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';

const VALIDATE_USAGE = 'st2ic validate [<run-id>] --source <source> [--workspace <dir>] (--intercom-url <url> | --region us|eu|au) [--sample N] [--json]';
const INVENTORY_USAGE = 'st2ic inventory --source <source> [--workspace <dir>] [<run-id>] [--json]';

/** `validate`: reconciliation of the workspace (or of a run) and an independent read-back of every migrated record. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Reconcile the workspace (or a run) with the source and compare every migrated record in Intercom with the source; writes migration/reports/reconciliation-*.{md,json,csv}',
  usage: VALIDATE_USAGE,
  async run(argv, env) {
    const { values, positionals } = parseCommand(argv, VALIDATE_USAGE, { sample: { type: 'string' }, all: { type: 'boolean' } }, true);
    if (values.all && values.sample !== undefined) throw new UsageError('--sample and --all cannot be used together');
    const sample = values.sample === undefined ? 'all' : Number(values.sample);
    if (typeof sample === 'number' && (!Number.isInteger(sample) || sample < 0)) throw new UsageError(`--sample must be a whole number (got ${values.sample})`);
    const workspace = workspaceOf(values);
    const client = clientFrom(values);
    const reader = await readerFrom(values, VALIDATE_USAGE);
    const ledger = await openLedger(workspace);
    try {
      const runId = positionals[0];
      const map = await readMappingFile(workspace);
      const { reconciliation, files, clean } = await validateMigration({ workspaceDir: workspace, ledger, reader, client, map, clock: env.clock, sample, ...(runId ? { runId } : {}) }).catch((error: unknown) => {
        throw error instanceof NotAMigrationError ? new UsageError(error.message) : error;
      });
      const { totals, fieldCheck } = reconciliation.report;
      if (values.json) process.stdout.write(`${JSON.stringify({ totals, fidelity: fidelityByType(fieldCheck), differences: fieldCheck.mismatches.length, files })}\n`);
      else {
        process.stdout.write(`Reconciliation${runId ? ` of ${runId}` : ' of the workspace'}: source ${totals.source}, migrated ${totals.migrated}, skipped ${totals.skipped}, failed ${totals.failed}, unaccounted ${totals.unaccounted}\n`);
        process.stdout.write(`Read back from Intercom and compared with the source (${fieldCheck.sample === 'all' ? 'every migrated record' : `up to ${fieldCheck.sample} per type`}):\n`);
        for (const t of fieldCheck.types) {
          if (t.checked === 0) continue;
          process.stdout.write(`  ${t.objectType.padEnd(16)} ${String(t.fidelity).padStart(6)}%  ${t.checked - t.withMismatches} of ${t.checked} exact\n`);
        }
        process.stdout.write(`${fieldCheck.mismatches.length} difference(s)\nReports: ${files.markdown}\n`);
      }
      return clean ? ExitCode.Done : ExitCode.SomeRecordsFailed;
    } finally {
      await ledger.close();
      await reader.close();
    }
  },
};

function fidelityByType(check: FieldCheck): Record<string, number | null> {
  return Object.fromEntries(check.types.map((t) => [t.objectType, t.fidelity]));
}

/** `inventory`: what does not migrate and must be rebuilt by hand in Intercom. */
export const inventoryCommand: CliCommand = {
  name: 'inventory',
  summary: 'Write the rebuild inventory (automation, SLA and auto-close, assignment, call logs…) to migration/reports/rebuild-inventory.{md,json}',
  usage: INVENTORY_USAGE,
  async run(argv, env) {
    const { values, positionals } = parseCommand(argv, INVENTORY_USAGE, {}, true);
    const workspace = workspaceOf(values);
    const reader = await readerFrom(values, INVENTORY_USAGE);
    const ledger = await openLedger(workspace);
    try {
      const map = await readMappingFile(workspace);
      const inventory = await buildRebuildInventory({ reader, ledger, map, clock: env.clock, ...(positionals[0] ? { runId: positionals[0] } : {}) });
      const files = await writeRebuildInventory(workspace, inventory);
      if (values.json) process.stdout.write(`${JSON.stringify({ files })}\n`);
      else process.stdout.write(`Rebuild inventory: ${files.markdown}\n`);
      return ExitCode.Done;
    } finally {
      await ledger.close();
      await reader.close();
    }
  },
};
