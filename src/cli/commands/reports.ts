import { openLedger } from '../../ledger';
import { readMappingFile } from '../../mapping/mapping-file';
import { buildRebuildInventory, writeRebuildInventory } from '../../reports/rebuild-inventory';
import { buildReconciliation, writeReconciliation } from '../../reports/reconciliation';
import type { CliCommand } from '../command';
import { clientFrom, parseCommand, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';

const VALIDATE_USAGE = 'st2ic validate [<run-id>] --source <source> [--workspace <dir>] (--intercom-url <url> | --region us|eu|au) [--sample N | --all] [--json]';
const INVENTORY_USAGE = 'st2ic inventory --source <source> [--workspace <dir>] [<run-id>] [--json]';

/** `validate`: reconciliation of a run (or of the workspace) with a field-level read-back from Intercom. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Reconcile a run with the source and read migrated records back from Intercom; writes migration/reports/reconciliation-*.{md,json,csv}',
  usage: VALIDATE_USAGE,
  async run(argv, env) {
    const { values, positionals } = parseCommand(argv, VALIDATE_USAGE, { sample: { type: 'string' }, all: { type: 'boolean' } }, true);
    const sample = values.all ? 'all' : values.sample === undefined ? undefined : Number(values.sample);
    if (typeof sample === 'number' && (!Number.isInteger(sample) || sample < 0)) throw new UsageError(`--sample must be a whole number (got ${values.sample})`);
    const workspace = workspaceOf(values);
    const client = clientFrom(values);
    const reader = await readerFrom(values, VALIDATE_USAGE);
    const ledger = await openLedger(workspace);
    try {
      const runId = positionals[0];
      if (runId && !(await ledger.listRuns()).some((r) => r.meta.id === runId)) throw new UsageError(`no run ${runId} in ${workspace}`);
      const map = await readMappingFile(workspace);
      const reconciliation = await buildReconciliation({ ledger, reader, client, map, clock: env.clock, ...(runId ? { runId } : {}), ...(sample !== undefined ? { sample } : {}) });
      const files = await writeReconciliation(workspace, reconciliation);
      const { totals, fieldCheck } = reconciliation.report;
      if (values.json) process.stdout.write(`${JSON.stringify({ totals, mismatches: fieldCheck.mismatches.length, files })}\n`);
      else {
        process.stdout.write(`Reconciliation${runId ? ` of ${runId}` : ''}: source ${totals.source}, migrated ${totals.migrated}, skipped ${totals.skipped}, failed ${totals.failed}, unaccounted ${totals.unaccounted}\n`);
        process.stdout.write(`Field check: ${fieldCheck.mismatches.length} mismatch(es) in the records read back\nReports: ${files.markdown}\n`);
      }
      return totals.failed > 0 || totals.unaccounted > 0 || fieldCheck.mismatches.length > 0 ? ExitCode.SomeRecordsFailed : ExitCode.Done;
    } finally {
      await ledger.close();
      await reader.close();
    }
  },
};

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
