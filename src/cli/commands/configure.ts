import { createInterface } from 'node:readline/promises';

import { runMigration } from '../../engine/run-migration';
import { planWorkspace, workspacePlanSummary } from '../../engine/workspace-plan-report';
import { readMappingFile } from '../../mapping/mapping-file';
import type { CliCommand } from '../command';
import { connect, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb } from '../flags';
import { ProgressPrinter } from '../progress-printer';
import { VERBS } from '../verbs';
import { exitCodeOf, runVerdict } from './run';

const spec = VERBS.configure;

/** Shows what the Intercom workspace needs (attributes to create, teams and teammates missing), then applies it. */
export const configureCommand: CliCommand = {
  name: spec.verb,
  summary: spec.summary,
  specs: [spec],
  async run(argv, env) {
    const { values } = parseVerb(spec, argv);
    const workspaceDir = workspaceOf(values);
    const { client } = await connect(values, workspaceDir, env);
    const map = await readMappingFile(workspaceDir);
    const reader = await readerFrom(values);
    try {
      const { plan, file, blockers } = await planWorkspace({ workspaceDir, client, reader, map, clock: env.clock });
      process.stderr.write(`${workspacePlanSummary(plan)}\nPlan: ${file}\n`);
      for (const b of blockers) process.stderr.write(`  ! ${b}\n`);
      if (!values.yes) {
        if (!process.stdin.isTTY)
          throw new UsageError(
            'configuring changes the Intercom workspace: run it in a terminal to confirm, or pass --yes',
          );
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question('Apply the plan? Type yes: ');
        rl.close();
        if (answer.trim().toLowerCase() !== 'yes') {
          process.stderr.write('Not applied.\n');
          return ExitCode.Failed;
        }
      }
      const printer = new ProgressPrinter(client);
      try {
        const result = await runMigration({
          workspaceDir,
          kind: 'configure',
          reader,
          client,
          clock: env.clock,
          adopt: values.adopt === true,
          progress: printer,
          takeOver: values['take-over'] === true,
        });
        printer.stop();
        if (values.json) process.stdout.write(`${JSON.stringify({ ...result, plan: file })}\n`);
        else process.stdout.write(`${runVerdict('Configure run', result)}\n`);
        return exitCodeOf(result);
      } finally {
        printer.stop();
      }
    } finally {
      await reader.close();
    }
  },
};
