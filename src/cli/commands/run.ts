import { EngineUsageError } from '../../engine/errors';
import { runMigration, type MigrationKind, type MigrationResult } from '../../engine/run-migration';
import { MapNotConfirmedError } from '../../mapping/review';
import { MappingFileError } from '../../mapping/mapping-file';
import type { CliCommand } from '../command';
import { clientFrom, parseCommand, readerFrom, workspaceOf, WRITER_OPTIONS } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { ledgerProblem } from '../ledger-problem';
import { ProgressPrinter } from '../progress-printer';

const SUMMARY: Record<Exclude<MigrationKind, 'dry-run' | 'configure'>, string> = {
  sample: 'Migrate a sample of tickets (and the contacts and companies they need), tagged with the run tag',
  full: 'Migrate everything: companies and contacts, then conversations, then the help center (resumes an interrupted run)',
  delta: 'Migrate what changed since the last run: new records, new messages, state changes',
};

function usage(verb: string): string {
  return `st2ic ${verb} --source <source> [--attachments <dir>] [--workspace <dir>] (--intercom-url <url> | --region us|eu|au) [--dry-run] [--concurrency N] [--search-settle <seconds>] [--adopt] [--take-over] [--json]${verb === 'sample' ? ' [--size N]' : ''}`;
}

/** Exit codes: 0 done, 1 failed or cancelled, 3 finished with some records failed. */
export function exitCodeOf(result: MigrationResult): ExitCode {
  if (result.status !== 'completed') return ExitCode.Failed;
  const failed = Object.values(result.counts).reduce((n, c) => n + (c?.failed ?? 0), 0);
  return failed > 0 ? ExitCode.SomeRecordsFailed : ExitCode.Done;
}

function runVerb(verb: 'sample' | 'migrate' | 'delta', kind: Exclude<MigrationKind, 'dry-run' | 'configure'>): CliCommand {
  const USAGE = usage(verb);
  return {
    name: verb,
    summary: SUMMARY[kind],
    usage: USAGE,
    async run(argv, env) {
      const { values } = parseCommand(argv, USAGE, { size: { type: 'string' }, 'search-settle': { type: 'string' }, adopt: { type: 'boolean' }, ...WRITER_OPTIONS });
      const size = values.size === undefined ? undefined : Number(values.size);
      if (size !== undefined && (!Number.isInteger(size) || size < 1)) throw new UsageError(`--size must be a positive whole number (got ${values.size})`);
      // How long an interrupted create is looked for through search before it counts as not applied
      // (default 120 s: Intercom's search lags behind writes). A workspace known to index at once may shorten it.
      const settle = values['search-settle'] === undefined ? undefined : Number(values['search-settle']);
      if (settle !== undefined && !(Number.isFinite(settle) && settle >= 0)) throw new UsageError(`--search-settle must be a number of seconds (got ${values['search-settle']})`);
      const client = clientFrom(values);
      const reader = await readerFrom(values, USAGE);
      const printer = new ProgressPrinter(client);
      const abort = new AbortController();
      const stop = () => {
        process.stderr.write('\nStopping after the writes in flight (the run can be resumed)…\n');
        abort.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let result: MigrationResult;
      try {
        result = await runMigration({
          workspaceDir: workspaceOf(values),
          kind: values['dry-run'] ? 'dry-run' : kind,
          reader, client, progress: printer, signal: abort.signal, clock: env.clock, adopt: values.adopt === true, takeOver: values['take-over'] === true,
          options: {
            ...(size ? { sampleSize: size } : {}),
            ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
            ...(settle !== undefined ? { searchSettleMs: settle * 1000 } : {}),
          },
        });
      } catch (error) {
        if (error instanceof MapNotConfirmedError || error instanceof MappingFileError || error instanceof EngineUsageError) throw new UsageError(error.message);
        const problem = ledgerProblem(error);
        if (problem === undefined) throw error;
        process.stderr.write(`st2ic: ${problem.message}\n`);
        return problem.exitCode;
      } finally {
        printer.stop();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await reader.close();
      }
      const stats = client.stats();
      if (values.json) process.stdout.write(`${JSON.stringify({ ...result, requests: stats.completed, throttled: stats.throttled })}\n`);
      else {
        process.stdout.write(`Run ${result.runId} ${result.status}${result.resumed ? ' (resumed)' : ''}${result.message ? `: ${result.message}` : ''}\n`);
        for (const [type, c] of Object.entries(result.counts)) {
          if (c) process.stdout.write(`  ${type.padEnd(24)} migrated ${String(c.migrated).padStart(6)}  skipped ${String(c.skipped).padStart(6)}  failed ${String(c.failed).padStart(6)}\n`);
        }
        process.stdout.write(`  ${stats.completed} Intercom requests, ${stats.throttled} rate-limited\n`);
      }
      return exitCodeOf(result);
    },
  };
}

export const sampleCommand = runVerb('sample', 'sample');
export const migrateCommand = runVerb('migrate', 'full');
export const deltaCommand = runVerb('delta', 'delta');
