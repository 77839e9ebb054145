import { clockFromEnvironment } from '../model/clock';
import { messageOf } from '../model/error-message';
import type { CliEnvironment } from './command';
import { commands } from './commands';
import { ExitCode, UsageError } from './exit-codes';
import { verbHelp } from './flags';
import { problemOf } from './problems';

const HELP = `st2ic: migrate a SmarterTrack help desk into Intercom

Usage: st2ic <command> [options]   (st2ic <command> --help describes its options)

Commands:
`;

const FOOTER = `
Every command also takes --debug (print the stack of an unexpected error) and --help.
Secrets come from the environment only: INTERCOM_TOKEN, SMARTERTRACK_PASSWORD, OPENAI_API_KEY.
Exit codes: 0 done, 1 failed or cancelled (run the same command again), 2 bad input (the message says what to fix), 3 finished with some records failed.
`;

async function main(argv: string[], env: CliEnvironment): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(12)} ${(await load()).summary}`),
    );
    process.stdout.write(HELP + lines.join('\n') + '\n' + FOOTER);
    return verb ? ExitCode.Done : ExitCode.BadInput;
  }
  const load = commands[verb];
  if (!load) throw new UsageError(`unknown command "${verb}". Run st2ic --help.`);
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    // `map propose --help` describes that sub-verb; `map --help` describes each.
    const specs = command.specs.filter((s) => s.verb === `${verb} ${rest[0]}`);
    process.stdout.write((specs.length ? specs : command.specs).map(verbHelp).join('\n'));
    return ExitCode.Done;
  }
  return command.run(rest, env);
}

function environment(): CliEnvironment {
  try {
    return { clock: clockFromEnvironment(), context: {} };
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

// --debug is global: it only decides whether an unexpected error shows its stack.
const args = process.argv.slice(2);
const debug = args.includes('--debug');
let env: CliEnvironment | undefined;
Promise.resolve()
  .then(() => {
    env = environment();
    return main(
      args.filter((a) => a !== '--debug'),
      env,
    );
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const problem = problemOf(error, env?.context);
      if (problem) {
        process.stderr.write(`st2ic: ${problem.message}\n`);
        process.exitCode = problem.exitCode;
        return;
      }
      const message = messageOf(error);
      process.stderr.write(
        `st2ic: unexpected error: ${message}${debug ? '' : ' (run again with --debug to see where it happened)'}\n`,
      );
      if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
      process.exitCode = ExitCode.Failed;
    },
  );
