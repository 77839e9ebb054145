import { adoptFromIntercom } from '../../engine/adopt';
import { bindTarget, writeTarget } from '../../engine/target-binding';
import { openLedger } from '../../ledger';
import { readMappingFile } from '../../mapping/mapping-file';
import type { CliCommand } from '../command';
import { connect, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb, synopsis } from '../flags';
import { ProgressPrinter } from '../progress-printer';
import { VERBS } from '../verbs';

const spec = VERBS.ledgerRebuild;

/**
 * `ledger rebuild --from-intercom`: records in this folder's ledger every source record Intercom
 * already holds (an `adopt` run; nothing is written to Intercom), so a lost or damaged ledger leads
 * to lookups, never to a second copy.
 */
export const ledgerCommand: CliCommand = {
  name: 'ledger',
  summary: spec.summary,
  specs: [spec],
  async run(argv, env) {
    const [sub, ...rest] = argv;
    if (sub !== 'rebuild') throw new UsageError(`ledger needs "rebuild".; usage: ${synopsis(spec)}`);
    const { values } = parseVerb(spec, rest);
    const workspaceDir = workspaceOf(values);
    const { client } = await connect(values, workspaceDir, env);
    const map = await readMappingFile(workspaceDir);
    const reader = await readerFrom(values);
    const printer = new ProgressPrinter(client, process.stderr, { doneWord: 'found' });
    try {
      const ledger = await openLedger(workspaceDir, { warn: (m) => process.stderr.write(`! ${m}\n`) });
      try {
        const warn = (m: string) => process.stderr.write(`! ${m}\n`);
        const decision = await bindTarget({
          workspaceDir,
          client,
          reader,
          ledger,
          clock: env.clock,
          adopt: true,
          warn,
        });
        const result = await adoptFromIntercom({ ledger, reader, client, map, progress: printer });
        if (decision.action === 'adopt') await writeTarget(workspaceDir, decision.target, env.clock);
        printer.stop();
        if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else
          process.stdout.write(
            `Adopt run ${result.runId}: ${
              Object.entries(result.found)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'nothing new'
            } recorded from Intercom\n`,
          );
        return ExitCode.Done;
      } finally {
        await ledger.close();
      }
    } finally {
      printer.stop();
      await reader.close();
    }
  },
};
