import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { runMigration } from '../../engine/run-migration';
import { resolveWorkspace } from '../../engine/workspace';
import { planBlockers, workspacePlanMarkdown } from '../../engine/workspace-plan-markdown';
import { readMappingFile } from '../../mapping/mapping-file';
import type { Agent } from '../../model/source';
import type { CliCommand } from '../command';
import { connect, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb } from '../flags';
import { ProgressPrinter } from '../progress-printer';
import { VERBS } from '../verbs';
import { exitCodeOf, runVerdict } from './run';
import { migrationPaths } from '../../model/workspace-paths';

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
      const agents: Agent[] = [];
      for await (const a of reader.agents()) agents.push(a);
      const { plan } = await resolveWorkspace(client, map, agents);
      const file = migrationPaths(workspaceDir).workspacePlan;
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
