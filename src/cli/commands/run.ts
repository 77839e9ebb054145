import { runOptionsFor } from '../../engine/intercom-client';
import { type MigrationKind, type MigrationResult, runMigration } from '../../engine/run-migration';
import type { CliCommand } from '../command';
import { connect, readerFrom, workspaceOf } from '../common';
import { ExitCode } from '../exit-codes';
import { parseVerb } from '../flags';
import { handleInterrupts } from '../interrupts';
import { ProgressPrinter, typeWords } from '../progress-printer';
import { VERBS } from '../verbs';

type RunKind = Exclude<MigrationKind, 'dry-run' | 'configure'>;

/** Exit codes: 0 done, 1 failed or cancelled, 3 finished with some records failed. */
export function exitCodeOf(result: MigrationResult): ExitCode {
  if (result.status !== 'completed') return ExitCode.Failed;
  return failedRecords(result) > 0 ? ExitCode.SomeRecordsFailed : ExitCode.Done;
}

function failedRecords(result: MigrationResult): number {
  return Object.values(result.counts).reduce((n, c) => n + (c?.failed ?? 0), 0);
}

/**
 * The last line of a run: its status, and when records failed, how many and what to do, so a run
 * that "completed" with failures never reads as clean.
 */
export function runVerdict(label: string, result: MigrationResult): string {
  const head = `${label} ${result.runId} ${result.status}${result.resumed ? ' (resumed)' : ''}`;
  const failed = failedRecords(result);
  if (result.status !== 'completed')
    return `${head}${result.message ? `: ${result.message}` : ''}. Run the same command again to resume it.`;
  if (failed > 0) {
    return `${head} with ${failed} record(s) failed (named above and in the ledger): fix the cause and run the same command again, or a delta; failed records are retried.`;
  }
  return `${head}.`;
}

function runVerb(key: 'sample' | 'migrate' | 'delta', kind: RunKind): CliCommand {
  const spec = VERBS[key];
  return {
    name: spec.verb,
    summary: spec.summary,
    specs: [spec],
    async run(argv, env) {
      const { values } = parseVerb(spec, argv);
      const workspaceDir = workspaceOf(values);
      const { client, settings } = await connect(values, workspaceDir, env);
      const reader = await readerFrom(values);
      const printer = new ProgressPrinter(client);
      const abort = new AbortController();
      const release = handleInterrupts(
        () => abort.abort(),
        () => {
          printer.stop();
          const t = printer.total();
          process.stderr.write(
            `Interrupted: ${t.migrated} migrated, ${t.skipped} skipped, ${t.failed} failed so far; ${client.stats().completed} Intercom requests.\n`,
          );
        },
      );
      let result: MigrationResult;
      try {
        result = await runMigration({
          workspaceDir,
          kind: values['dry-run'] ? 'dry-run' : kind,
          reader,
          client,
          progress: printer,
          signal: abort.signal,
          clock: env.clock,
          adopt: values.adopt === true,
          takeOver: values['take-over'] === true,
          options: runOptionsFor(settings),
        });
      } finally {
        printer.stop();
        release();
        await reader.close();
      }
      const stats = client.stats();
      if (values.json)
        process.stdout.write(
          `${JSON.stringify({ ...result, requests: stats.completed, throttled: stats.throttled })}\n`,
        );
      else {
        for (const [type, c] of Object.entries(result.counts)) {
          if (c)
            process.stdout.write(
              `  ${typeWords(type).padEnd(26)} migrated ${String(c.migrated).padStart(6)}  skipped ${String(c.skipped).padStart(6)}  failed ${String(c.failed).padStart(6)}\n`,
            );
        }
        process.stdout.write(`  ${stats.completed} Intercom requests, ${stats.throttled} rate-limited\n`);
        process.stdout.write(`${runVerdict(values['dry-run'] ? 'Dry run' : 'Run', result)}\n`);
      }
      return exitCodeOf(result);
    },
  };
}

export const sampleCommand = runVerb('sample', 'sample');
export const migrateCommand = runVerb('migrate', 'full');
export const deltaCommand = runVerb('delta', 'delta');
