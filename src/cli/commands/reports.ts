import { openLedger } from '../../ledger';
import { readMappingFile } from '../../mapping/mapping-file';
import { buildRebuildInventory, writeRebuildInventory } from '../../reports/rebuild-inventory';
import { buildReconciliation, writeReconciliation } from '../../reports/reconciliation';
import type { CliCommand } from '../command';
import { connect, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb } from '../flags';
import { VERBS } from '../verbs';

/** `validate`: reconciliation of a run (or of the workspace) with a field-level read-back from Intercom. */
export const validateCommand: CliCommand = {
  name: VERBS.validate.verb,
  summary: VERBS.validate.summary,
  specs: [VERBS.validate],
  async run(argv, env) {
    const { values, positionals } = parseVerb(VERBS.validate, argv);
    if (values.all && values.sample !== undefined) throw new UsageError('--sample N and --all both say how many records to read back: give one');
    if (positionals.length > 1) throw new UsageError(`validate takes one run id (got ${positionals.join(' ')})`);
    const sample = values.all ? 'all' : values.sample === undefined ? undefined : Number(values.sample);
    if (typeof sample === 'number' && (!Number.isInteger(sample) || sample < 0)) throw new UsageError(`--sample must be a whole number (got ${values.sample})`);
    const workspace = workspaceOf(values);
    const { client } = await connect(values, workspace, env);
    const reader = await readerFrom(values);
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
  name: VERBS.inventory.verb,
  summary: VERBS.inventory.summary,
  specs: [VERBS.inventory],
  async run(argv, env) {
    const { values, positionals } = parseVerb(VERBS.inventory, argv);
    if (positionals.length > 1) throw new UsageError(`inventory takes one run id (got ${positionals.join(' ')})`);
    const workspace = workspaceOf(values);
    const reader = await readerFrom(values);
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
