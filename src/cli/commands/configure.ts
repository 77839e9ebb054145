import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EngineUsageError } from '../../engine/errors';
import { runMigration } from '../../engine/run-migration';
import { resolveWorkspace } from '../../engine/workspace';
import { planBlockers, workspacePlanMarkdown } from '../../engine/workspace-plan-markdown';
import { readMappingFile, MappingFileError } from '../../mapping/mapping-file';
import { MapNotConfirmedError } from '../../mapping/review';
import type { Agent } from '../../model/source';
import type { CliCommand } from '../command';
import { clientFrom, parseCommand, readerFrom, workspaceOf, WRITER_OPTIONS } from '../common';
import { ledgerProblem } from '../ledger-problem';
import { ExitCode, UsageError } from '../exit-codes';
import { ProgressPrinter } from '../progress-printer';
import { exitCodeOf } from './run';

const USAGE = 'st2ic configure --source <source> [--workspace <dir>] (--intercom-url <url> | --region us|eu|au) [--yes] [--adopt] [--take-over] [--json]';

/** Shows what the Intercom workspace needs (attributes to create, teams and teammates missing), then applies it. */
export const configureCommand: CliCommand = {
  name: 'configure',
  summary: 'Prepare the Intercom workspace: show the plan (admins, teams, attributes), then create the attributes the map needs',
  usage: USAGE,
  async run(argv, env) {
    const { values } = parseCommand(argv, USAGE, { adopt: { type: 'boolean' }, ...WRITER_OPTIONS });
    const workspaceDir = workspaceOf(values);
    const client = clientFrom(values);
    const reader = await readerFrom(values, USAGE);
    try {
      const map = await readMappingFile(workspaceDir).catch((e: unknown) => Promise.reject(e instanceof MappingFileError ? new UsageError(e.message) : e));
      const agents: Agent[] = [];
      for await (const a of reader.agents()) agents.push(a);
      const { plan } = await resolveWorkspace(client, map, agents);
      const file = path.join(workspaceDir, 'migration', 'reports', 'workspace-plan.md');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, workspacePlanMarkdown(plan, env.clock));
      const blockers = planBlockers(plan);
      process.stderr.write(`Workspace "${plan.appName}": ${plan.attributesToCreate.length} attribute(s) to create, ${plan.missingTeams.length} team(s) and ${plan.unmatchedAgents.length} teammate(s) missing (the API cannot create them).\nPlan: ${file}\n`);
      for (const b of blockers) process.stderr.write(`  ! ${b}\n`);
      if (!values.yes) {
        if (!process.stdin.isTTY) throw new UsageError('configuring changes the Intercom workspace: run it in a terminal to confirm, or pass --yes');
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
        const result = await runMigration({ workspaceDir, kind: 'configure', reader, client, clock: env.clock, adopt: values.adopt === true, progress: printer, takeOver: values['take-over'] === true });
        if (values.json) process.stdout.write(`${JSON.stringify({ ...result, plan: file })}\n`);
        else process.stdout.write(`Configure run ${result.runId} ${result.status}${result.message ? `: ${result.message}` : ''}\n`);
        return exitCodeOf(result);
      } finally {
        printer.stop();
      }
    } catch (error) {
      if (error instanceof MapNotConfirmedError || error instanceof EngineUsageError) throw new UsageError(error.message);
      const problem = ledgerProblem(error);
      if (problem === undefined) throw error;
      process.stderr.write(`st2ic: ${problem.message}\n`);
      return problem.exitCode;
    } finally {
      await reader.close();
    }
  },
};
