import { createInterface } from 'node:readline/promises';

import { planRollback, type RollbackPlan, rollbackRun } from '../../engine/rollback';
import { rollbackPlanSentences } from '../../engine/rollback-plan-text';
import type { CliCommand } from '../command';
import { connect, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb, synopsis } from '../flags';
import { handleInterrupts } from '../interrupts';
import { ProgressPrinter } from '../progress-printer';
import { VERBS } from '../verbs';

const spec = VERBS.rollback;

export function describePlan(plan: RollbackPlan): string {
  const lines = [
    `Rolling back ${plan.targetKind} run ${plan.targetRunId}:`,
    ...rollbackPlanSentences(plan).map((sentence) => `  ${sentence}`),
  ];
  for (const i of plan.impossible.slice(0, 10)) lines.push(`    - ${i.description}: ${i.reason}`);
  return lines.join('\n');
}

export const rollbackCommand: CliCommand = {
  name: spec.verb,
  summary: spec.summary,
  specs: [spec],
  async run(argv, env) {
    const { values, positionals } = parseVerb(spec, argv);
    const takeOver = values['take-over'] === true;
    if (positionals.length !== 1)
      throw new UsageError(
        `rollback takes the id of one run (st2ic validate and migration/runs/ list them).; usage: ${synopsis(spec)}`,
      );
    const runId = positionals[0]!;
    const workspaceDir = workspaceOf(values);
    // The target is known and checked before the plan is shown: a plan is about one Intercom workspace.
    const { client } = await connect(values, workspaceDir, env);
    const plan = await planRollback(workspaceDir, runId, client, { takeOver });
    process.stderr.write(`${describePlan(plan)}\n`);
    if (!values.yes) {
      if (!process.stdin.isTTY)
        throw new UsageError('rollback deletes data in Intercom: run it in a terminal to confirm, or pass --yes');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`Type the run id to confirm: `);
      rl.close();
      if (answer.trim() !== runId) {
        process.stderr.write('Not confirmed; nothing was changed.\n');
        return ExitCode.Failed;
      }
    }
    const printer = new ProgressPrinter(client, process.stderr, { doneWord: 'undone' });
    const abort = new AbortController();
    const release = handleInterrupts(
      () => abort.abort(),
      () => {
        printer.stop();
        process.stderr.write(`Interrupted: ${printer.total().migrated} write(s) undone so far.\n`);
      },
    );
    try {
      const result = await rollbackRun({
        workspaceDir,
        runId,
        client,
        progress: printer,
        signal: abort.signal,
        takeOver,
      });
      printer.stop();
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        const archived = Object.values(result.plan.calls.archive ?? {}).reduce((a, b) => a + b, 0);
        if (archived)
          process.stdout.write(
            `${archived} object(s) were archived, not deleted: Intercom allows no more for companies and attributes.\n`,
          );
        for (const f of result.failed) process.stdout.write(`  ✗ ${f.description}: ${f.message}\n`);
        const rest = `${result.alreadyGone ? `, ${result.alreadyGone} already gone` : ''}${result.failed.length ? `, ${result.failed.length} failed` : ''}${result.plan.impossible.length ? `, ${result.plan.impossible.length} left (Intercom cannot undo them)` : ''}${result.stillArchiving.length ? `, ${result.stillArchiving.length} company(ies) not yet archived by Intercom` : ''}`;
        const next = result.status === 'completed' ? '' : '. Run the same command again to resume it';
        process.stdout.write(`Rollback ${result.runId} ${result.status}: ${result.undone} undone${rest}${next}\n`);
      }
      return result.status === 'completed' ? ExitCode.Done : ExitCode.Failed;
    } finally {
      printer.stop();
      release();
    }
  },
};
