import type { CliCommand } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb } from '../flags';
import { VERBS } from '../verbs';
import { startSandbox, type SandboxOptions } from '../../sandbox/index';

const spec = VERBS.sandbox;

function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} needs a non-negative integer (got ${value})`);
  return n;
}

function optionsFrom(argv: string[]): SandboxOptions {
  const { values } = parseVerb(spec, argv);
  const options: SandboxOptions = {};
  const port = count('port', values.port);
  const compact = count('compact-after', values['compact-after']);
  const rate = count('rate-limit', values['rate-limit']);
  const lag = count('search-lag', values['search-lag']);
  if (port !== undefined) options.port = port;
  if (compact !== undefined) options.compactAfterBytes = compact;
  if (rate !== undefined) options.rateLimitPer10s = rate;
  if (lag !== undefined) options.searchLagMs = lag;
  if (values.state !== undefined) options.stateFile = values.state;
  if (values.seed !== undefined) options.seedFile = values.seed;
  if (values.faults !== undefined) options.faults = values.faults;
  if (values.token !== undefined) options.token = values.token;
  if (values.openapi !== undefined) options.openapiPath = values.openapi;
  return options;
}

const command: CliCommand = {
  name: spec.verb,
  summary: spec.summary,
  specs: [spec],
  async run(argv) {
    const options = optionsFrom(argv);
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
