import { adoptFromIntercom } from '../../engine/adopt';
import { EngineUsageError } from '../../engine/errors';
import { bindTarget, writeTarget } from '../../engine/target-binding';
import { openLedger } from '../../ledger';
import { readMappingFile, MappingFileError } from '../../mapping/mapping-file';
import type { CliCommand } from '../command';
import { clientFrom, parseCommand, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { ledgerProblem } from '../ledger-problem';
import { ProgressPrinter } from '../progress-printer';

const USAGE = 'st2ic ledger rebuild --from-intercom --source <source> [--workspace <dir>] (--intercom-url <url> | --region us|eu|au) [--json]';

/**
 * `ledger rebuild --from-intercom`: records in this folder's ledger every source record Intercom
 * already holds (an `adopt` run; nothing is written to Intercom), so a lost or damaged ledger leads
 * to lookups, never to a second copy.
 */
export const ledgerCommand: CliCommand = {
  name: 'ledger',
  summary: 'Rebuild the ledger from Intercom: record what Intercom already holds of this source (writes nothing to Intercom)',
  usage: USAGE,
  async run(argv, env) {
    const [sub, ...rest] = argv;
    if (sub !== 'rebuild') throw new UsageError(`ledger needs "rebuild".\nUsage: ${USAGE}`);
    const { values } = parseCommand(rest, USAGE, { 'from-intercom': { type: 'boolean' } });
    if (!values['from-intercom']) throw new UsageError(`ledger rebuild reads Intercom: pass --from-intercom.\nUsage: ${USAGE}`);
    const workspaceDir = workspaceOf(values);
    const client = clientFrom(values);
    const reader = await readerFrom(values, USAGE);
    const printer = new ProgressPrinter(client);
    try {
      const map = await readMappingFile(workspaceDir);
      const ledger = await openLedger(workspaceDir, { warn: (m) => process.stderr.write(`! ${m}\n`) });
      try {
        const warn = (m: string) => process.stderr.write(`! ${m}\n`);
        const decision = await bindTarget({ workspaceDir, client, reader, ledger, clock: env.clock, adopt: true, warn });
        const result = await adoptFromIntercom({ ledger, reader, client, map, progress: printer });
        if (decision.action === 'adopt') await writeTarget(workspaceDir, decision.target, env.clock);
        if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else process.stdout.write(`Adopt run ${result.runId}: ${Object.entries(result.found).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing new'} recorded from Intercom\n`);
        return ExitCode.Done;
      } finally {
        await ledger.close();
      }
    } catch (error) {
      if (error instanceof EngineUsageError || error instanceof MappingFileError) throw new UsageError(error.message);
      const problem = ledgerProblem(error);
      if (problem === undefined) throw error;
      process.stderr.write(`st2ic: ${problem}\n`);
      return ExitCode.Failed;
    } finally {
      printer.stop();
      await reader.close();
    }
  },
};
