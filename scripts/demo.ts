// The main job on the embedded default: a generated SmarterTrack help desk migrated into the local
// Intercom sandbox, step by step through the st2ic CLI (exactly what an engineer would type).
//   npm run demo [-- --scale 1 --seed 1 --dir demo]
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { readMappingFile } from '../src/mapping/mapping-file';
import { startSandbox } from '../src/sandbox';
import { openSource } from '../src/source/open-source';
import { generateDataset } from '../test/fixtures/dataset/generate';
import { mutateForDelta } from '../test/fixtures/dataset/mutate';
import { seedForSource } from '../test/fixtures/dataset/sandbox-seed';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string', default: 'demo' },
  },
});
const dir = path.resolve(values.dir);
const cli = path.resolve('dist/cli.js');

/** Runs one CLI step; the sandbox lives in this process, so the child must not block our event loop. */
async function step(title: string, args: string[], env: NodeJS.ProcessEnv = {}, okCodes = [0]): Promise<void> {
  process.stdout.write(`\n━━ ${title}\n$ st2ic ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (!okCodes.includes(code)) throw new Error(`"st2ic ${args[0]}" exited ${code}`);
}

async function main(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `━━ Generating a SmarterTrack help desk (scale ${values.scale}, seed ${values.seed}) into ${dir}\n`,
  );
  const manifest = await generateDataset({
    outDir: dir,
    seed: Number(values.seed),
    scale: Number(values.scale),
    tablePrefix: 'st_',
  });
  const db = path.join(dir, 'smartertrack.db');
  const attachments = path.join(dir, 'App_Data');

  // The workspace a team prepares before migrating: a teammate per agent (one left out on purpose) and a team per department.
  const reader = await openSource({ kind: 'sqlite', path: db }, { attachmentsRoot: attachments });
  const seed = await seedForSource(reader, new Set([manifest.hardCases.unmatchedAgentId]));
  await reader.close();
  const seedFile = path.join(dir, 'sandbox-seed.json');
  await writeFile(seedFile, JSON.stringify(seed, null, 2));
  const sandbox = await startSandbox({ port: 0, seedFile, stateFile: path.join(dir, 'sandbox-state.json') });
  process.stdout.write(
    `━━ Local Intercom sandbox at ${sandbox.url} (state: ${path.join(dir, 'sandbox-state.json')})\n`,
  );

  const env = { INTERCOM_TOKEN: sandbox.token };
  const source = ['--source', `sqlite:${db}`, '--attachments', attachments, '--workspace', dir];
  // Always explicit: st2ic has no default Intercom target.
  const target = ['--intercom-url', sandbox.url];
  try {
    await step('Scope the source', ['scope', ...source]);
    await step('Propose the field map', ['map', 'propose', '--source', `sqlite:${db}`, '--workspace', dir]);
    // A reviewer keeps one department's tickets as tickets: its proposed ticket type (the editor's Tickets section).
    const proposed = await readMappingFile(dir);
    const department = Object.keys(proposed.ticketDestinations?.departments ?? {})[0];
    const ticketType = proposed.ticketDestinations?.ticketTypes[0]?.name;
    if (department && ticketType)
      await step(`Send department ${department}'s tickets to Intercom tickets of type "${ticketType}"`, [
        'map',
        'tickets',
        department,
        '--to',
        ticketType,
        '--workspace',
        dir,
      ]);
    await step('Confirm it as reviewed (a person does this; --yes because this is a demo)', [
      'map',
      'confirm',
      '--reviewer',
      'Demo Reviewer',
      '--workspace',
      dir,
      '--yes',
    ]);
    await step('Sample migration', ['sample', ...source, ...target, '--size', '20'], env);
    await step('Approve the map after the sample', [
      'map',
      'confirm',
      '--reviewer',
      'Demo Approver',
      '--approve',
      '--workspace',
      dir,
      '--yes',
    ]);
    await step('Full migration', ['migrate', ...source, ...target], env, [0, 3]);
    const d = mutateForDelta(db, { seed: Number(values.seed) });
    const replies = d.repliesOnExisting.reduce((n, r) => n + r.messageIds.length, 0);
    process.stdout.write(
      `\n━━ Meanwhile in SmarterTrack: ${d.newTicketIds.length} new tickets, ${replies} replies on migrated tickets, ${d.closedTicketIds.length} closed and ${d.reopenedTicketIds.length} reopened, ${d.newEndUserIds.length} new and ${d.renamedEndUsers.length} renamed end users, ${d.changedOrganizations.length} changed organizations, ${d.newChatIds.length} new chats\n`,
    );
    await step('Delta migration', ['delta', ...source, ...target], env, [0, 3]);
    // The first run recorded the Intercom workspace and its address (migration/target.json): later
    // commands in this folder may leave the target out, and say which one they use.
    await step(
      'Validate: reconciliation and field-level read-back (target from migration/target.json)',
      ['validate', ...source],
      env,
      [0, 3],
    );
    await step('Rebuild inventory', ['inventory', ...source]);
    process.stdout.write(
      `\nReports: ${path.join(dir, 'migration', 'reports')}\nLedger:  ${path.join(dir, 'migration', 'runs')}\n`,
    );
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
