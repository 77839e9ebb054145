import type { CliCommand } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { startSandbox, type SandboxOptions } from '../../sandbox/index';

const USAGE = 'st2ic sandbox [--port <p>] [--state <file>] [--compact-after <bytes>] [--seed <file>] [--rate-limit <n per 10 s>] [--faults <spec>] [--search-lag <ms>] [--token <t>] [--openapi <file>]';

function parseArgs(argv: string[]): SandboxOptions {
  const options: SandboxOptions = {};
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const text = (): string => {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--port': options.port = number(flag, value); break;
      case '--state': options.stateFile = text(); break;
      case '--compact-after': options.compactAfterBytes = number(flag, value); break;
      case '--seed': options.seedFile = text(); break;
      case '--rate-limit': options.rateLimitPer10s = number(flag, value); break;
      case '--faults': options.faults = text(); break;
      case '--search-lag': options.searchLagMs = number(flag, value); break;
      case '--token': options.token = text(); break;
      case '--openapi': options.openapiPath = text(); break;
      default: throw new UsageError(`unknown option "${flag}". Usage: ${USAGE}`);
    }
    i++;
  }
  return options;
}

const command: CliCommand = {
  name: 'sandbox',
  summary: 'Run a local Intercom-compatible API server for rehearsals, tests and demos',
  usage: USAGE,
  async run(argv) {
    const options = parseArgs(argv);
    let sandbox;
    try {
      sandbox = await startSandbox(options);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    process.stdout.write(`Intercom sandbox listening on ${sandbox.url}\nToken: ${sandbox.token}\nInspect (bearer token required): ${sandbox.url}/__sandbox/state  ${sandbox.url}/__sandbox/requests\n`);
    if (options.stateFile) process.stdout.write(`State: ${options.stateFile}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sandbox.close(); // persists state
    process.stdout.write('Sandbox stopped; state saved.\n');
    return ExitCode.Done;
  },
};

export default command;
