import { existsSync } from 'node:fs';

import { ZodError } from 'zod';

import { messageOf } from '../../model/error-message';
import { zodIssues } from '../../model/zod-issues';
import { type SandboxOptions, startSandbox } from '../../sandbox/index';
import { readSeedFile } from '../../sandbox/state/seed';
import type { CliCommand } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { parseVerb } from '../flags';
import { VERBS } from '../verbs';

const spec = VERBS.sandbox;

function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} needs a non-negative integer (got ${value})`);
  return n;
}

/** A comma-separated list of access tokens: none empty, none twice (said by place, never by value). */
function tokenList(flag: string, value: string): string[] {
  const tokens = value.split(',').map((t) => t.trim());
  const empty = tokens.findIndex((t) => t === '' || /\s/.test(t));
  if (empty >= 0)
    throw new UsageError(
      `--${flag}: token ${empty + 1} is empty or holds a space; give access tokens separated by commas, e.g. --${flag} tok-a,tok-b`,
    );
  const twice = tokens.findIndex((t, i) => tokens.indexOf(t) !== i);
  if (twice >= 0)
    throw new UsageError(
      `--${flag}: token ${twice + 1} repeats token ${tokens.indexOf(tokens[twice]!) + 1}; each app has its own token`,
    );
  return tokens;
}

/** A seed file that cannot be read is named with what it should be, before anything starts. */
function checkSeed(file: string): void {
  const what =
    'a JSON file of what the API cannot create (the README\'s "The local Intercom sandbox" lists its keys; npm run demo writes one as demo/sandbox-seed.json)';
  if (!existsSync(file)) throw new UsageError(`--seed ${file}: no such file; give ${what}`);
  try {
    readSeedFile(file);
  } catch (error) {
    const reason = error instanceof ZodError ? zodIssues(error, 3) : messageOf(error);
    throw new UsageError(`--seed ${file} is not a seed (${reason}); give ${what}`);
  }
}

function optionsFrom(argv: string[]): SandboxOptions {
  const { values } = parseVerb(spec, argv);
  const options: SandboxOptions = {};
  const port = count('port', values.port);
  const compact = count('compact-after', values['compact-after']);
  const rate = count('rate-limit', values['rate-limit']);
  const lag = count('search-lag', values['search-lag']);
  const archiveLag = count('archive-lag', values['archive-lag']);
  if (port !== undefined) options.port = port;
  if (compact !== undefined) options.compactAfterBytes = compact;
  if (rate !== undefined) options.rateLimitPer10s = rate;
  if (lag !== undefined) options.searchLagMs = lag;
  if (archiveLag !== undefined) options.archiveLagMs = archiveLag;
  if (values.state !== undefined) options.stateFile = values.state;
  if (values.seed !== undefined) {
    checkSeed(values.seed);
    options.seedFile = values.seed;
  }
  if (values.faults !== undefined) options.faults = values.faults;
  if (values.token !== undefined) options.token = values.token;
  if (values.tokens !== undefined) options.tokens = tokenList('tokens', values.tokens);
  if (values['foreign-tokens'] !== undefined)
    options.foreignTokens = tokenList('foreign-tokens', values['foreign-tokens']);
  const apps = [...new Set([options.token ?? options.tokens?.[0] ?? 'sandbox-token', ...(options.tokens ?? [])])];
  const twice = options.foreignTokens?.find((t) => apps.includes(t));
  if (twice !== undefined)
    throw new UsageError(
      `--foreign-tokens: token ${options.foreignTokens!.indexOf(twice) + 1} is also one of the sandbox workspace's own (--token/--tokens); a token belongs to one workspace`,
    );
  const appLimit = count('app-limit', values['app-limit']);
  const workspaceLimit = count('workspace-limit', values['workspace-limit']);
  if (appLimit !== undefined && rate !== undefined && appLimit !== rate)
    throw new UsageError(
      `--app-limit ${appLimit} and --rate-limit ${rate} name the same limit (requests per app per 10 s); give one`,
    );
  if (appLimit !== undefined) options.appLimitPer10s = appLimit;
  if (workspaceLimit !== undefined) options.workspaceLimitPer10s = workspaceLimit;
  if (values.openapi !== undefined) {
    if (!existsSync(values.openapi))
      throw new UsageError(
        `--openapi ${values.openapi}: no such file; give Intercom's OpenAPI 2.16 description (descriptions/2.16/api.intercom.io.yaml of github.com/intercom/Intercom-OpenAPI), or leave the flag out`,
      );
    options.openapiPath = values.openapi;
  }
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
      throw new UsageError(messageOf(error));
    }
    process.stdout.write(
      `Intercom sandbox listening on ${sandbox.url}\nToken: ${sandbox.tokens.join(',')}\nInspect (bearer token required): ${sandbox.url}/__sandbox/state  ${sandbox.url}/__sandbox/requests\n`,
    );
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
