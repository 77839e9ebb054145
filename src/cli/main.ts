import { clockFromEnvironment } from '../model/clock';
import { commands } from './commands';
import { ExitCode, UsageError } from './exit-codes';
import { ledgerProblem } from './ledger-problem';

const HELP = `st2ic: migrate a SmarterTrack help desk into Intercom

Usage: st2ic <command> [options]   (st2ic <command> --help for its options)

Commands:
`;

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(12)} ${(await load()).summary}`),
    );
    process.stdout.write(HELP + lines.join('\n') + '\n');
    return verb ? ExitCode.Done : ExitCode.BadInput;
  }
  const load = commands[verb];
  if (!load) {
    process.stderr.write(`st2ic: unknown command "${verb}". Run st2ic --help.\n`);
    return ExitCode.BadInput;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return ExitCode.Done;
  }
  let clock;
  try {
    clock = clockFromEnvironment();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return command.run(rest, { clock });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const problem = ledgerProblem(error);
    if (error instanceof UsageError) {
      process.stderr.write(`st2ic: ${error.message}\n`);
      process.exitCode = ExitCode.BadInput;
    } else if (problem) {
      // Any verb that reads the ledger (validate, inventory…) reports its refusals the same way.
      process.stderr.write(`st2ic: ${problem.message}\n`);
      process.exitCode = problem.exitCode;
    } else {
      process.stderr.write(`st2ic: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = ExitCode.Failed;
    }
  },
);
