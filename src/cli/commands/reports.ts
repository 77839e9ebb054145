import { openLedger } from '../../ledger';
import { readMappingFile } from '../../mapping/mapping-file';
import type { FieldCheck } from '../../model/reports';
import { buildRebuildInventory, writeRebuildInventory } from '../../reports/rebuild-inventory';
import { NotAMigrationError, validateMigration } from '../../reports/validate-migration';
import type { CliCommand } from '../command';
import { connect, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb } from '../flags';
import { validateSummary } from '../validate-summary';
import { VERBS } from '../verbs';

/** `validate`: reconciliation of the workspace (or of a run) and an independent read-back of every migrated record. */
export const validateCommand: CliCommand = {
  name: VERBS.validate.verb,
  summary: VERBS.validate.summary,
  specs: [VERBS.validate],
  async run(argv, env) {
    const { values, positionals } = parseVerb(VERBS.validate, argv);
    if (values.all && values.sample !== undefined)
      throw new UsageError('--sample N and --all both say how many records to read back: give one');
    if (positionals.length > 1) throw new UsageError(`validate takes one run id (got ${positionals.join(' ')})`);
    // Every migrated record by default; --sample N reads up to N per type for a quick look.
    const sample = values.sample === undefined ? 'all' : Number(values.sample);
    if (typeof sample === 'number' && (!Number.isInteger(sample) || sample < 0))
      throw new UsageError(`--sample must be a whole number (got ${values.sample})`);
    const workspace = workspaceOf(values);
    const { client } = await connect(values, workspace, env);
    const reader = await readerFrom(values);
    const ledger = await openLedger(workspace);
    try {
      const runId = positionals[0];
      const map = await readMappingFile(workspace);
      const { reconciliation, files, clean } = await validateMigration({
        workspaceDir: workspace,
        ledger,
        reader,
        client,
        map,
        clock: env.clock,
        sample,
        ...(runId ? { runId } : {}),
      }).catch((error: unknown) => {
        throw error instanceof NotAMigrationError ? new UsageError(error.message) : error;
      });
      const { totals, fieldCheck } = reconciliation.report;
      if (values.json)
        process.stdout.write(
          `${JSON.stringify({ totals, fidelity: fidelityByType(fieldCheck), differences: fieldCheck.mismatches.length, files })}\n`,
        );
      else {
        process.stdout.write(validateSummary(reconciliation.report, runId));
        process.stdout.write(`Reports: ${files.markdown}\n`);
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
      const inventory = await buildRebuildInventory({
        reader,
        ledger,
        map,
        clock: env.clock,
        ...(positionals[0] ? { runId: positionals[0] } : {}),
      });
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
