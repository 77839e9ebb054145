import { createInterface } from 'node:readline/promises';
import { EngineUsageError } from '../../engine/errors';
import { planRollback, rollbackRun, type RollbackPlan } from '../../engine/rollback';
import type { CliCommand } from '../command';
import { clientFrom, parseCommand, workspaceOf, WRITER_OPTIONS } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { ledgerProblem } from '../ledger-problem';
import { ProgressPrinter } from '../progress-printer';

const USAGE = 'st2ic rollback <run-id> [--workspace <dir>] (--intercom-url <url> | --region us|eu|au) [--yes] [--take-over] [--json]';

function plural(noun: string, n: number): string {
  if (n === 1) return noun;
  return noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : `${noun}s`;
}

export function describePlan(plan: RollbackPlan): string {
  const lines = [`Rolling back ${plan.targetKind} run ${plan.targetRunId} will:`];
  for (const [verb, byResource] of Object.entries(plan.calls)) {
    lines.push(`  ${verb} ${Object.entries(byResource).map(([r, n]) => `${n} ${plural(r.replace(/_/g, ' '), n)}`).join(', ')}`);
  }
  if (plan.covered) lines.push(`  (${plan.covered} other writes go with them)`);
  if (plan.kept.length) lines.push(`  keep ${plan.kept.length} object(s) that existed before the run (what the run changed on them is restored)`);
  if (plan.impossible.length) {
    lines.push(`  leave ${plan.impossible.length} write(s) Intercom cannot undo:`);
    for (const i of plan.impossible.slice(0, 10)) lines.push(`    - ${i.description}: ${i.reason}`);
  }
  if (Object.keys(plan.calls).length === 0 && plan.covered === 0) lines.push('  nothing: the run wrote nothing, or it was already rolled back');
  return lines.join('\n');
}

export const rollbackCommand: CliCommand = {
  name: 'rollback',
  summary: 'Undo a run from its ledger, newest write first (companies and attributes can only be archived); resumable',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommand(argv, USAGE, { ...WRITER_OPTIONS }, true);
    const takeOver = values['take-over'] === true;
    const runId = positionals[0];
    if (!runId) throw new UsageError(`which run? Usage: ${USAGE}`);
    const workspaceDir = workspaceOf(values);
    const client = clientFrom(values);
    try {
      const plan = await planRollback(workspaceDir, runId, client, { takeOver });
      process.stderr.write(`${describePlan(plan)}\n`);
      if (!values.yes) {
        if (!process.stdin.isTTY) throw new UsageError('rollback deletes data in Intercom: run it in a terminal to confirm, or pass --yes');
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(`Type the run id to confirm: `);
        rl.close();
        if (answer.trim() !== runId) {
          process.stderr.write('Not confirmed; nothing was changed.\n');
          return ExitCode.Failed;
        }
      }
      const printer = new ProgressPrinter(client);
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      try {
        const result = await rollbackRun({ workspaceDir, runId, client, progress: printer, signal: abort.signal, takeOver });
        if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else {
          process.stdout.write(`Rollback ${result.runId} ${result.status}: ${result.undone} undone${result.alreadyGone ? `, ${result.alreadyGone} already gone` : ''}${result.failed.length ? `, ${result.failed.length} failed` : ''}${result.plan.impossible.length ? `, ${result.plan.impossible.length} left (Intercom cannot undo them)` : ''}\n`);
          const archived = Object.values(result.plan.calls.archive ?? {}).reduce((a, b) => a + b, 0);
          if (archived) process.stdout.write(`${archived} object(s) were archived, not deleted: Intercom allows no more for companies and attributes.\n`);
          for (const f of result.failed) process.stdout.write(`  ✗ ${f.description}: ${f.message}\n`);
        }
        return result.status === 'completed' ? ExitCode.Done : ExitCode.Failed;
      } finally {
        printer.stop();
        process.off('SIGINT', stop);
      }
    } catch (error) {
      if (error instanceof EngineUsageError) throw new UsageError(error.message);
      const problem = ledgerProblem(error);
      if (problem === undefined) throw error;
      process.stderr.write(`st2ic: ${problem.message}\n`);
      return problem.exitCode;
    }
  },
};
