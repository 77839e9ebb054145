import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { intercomClientFor, type RunSettings, splitTokens } from '../engine/intercom-client';
import type { IntercomClient } from '../intercom';
import { openSource, parseSourceUrl, type SourceReader } from '../source';
import type { CliEnvironment } from './command';
import { UsageError } from './exit-codes';
import { type IntercomTarget, resolveTarget } from './target';

export function workspaceOf(values: { workspace?: string }): string {
  return path.resolve(values.workspace ?? '.');
}

/** Opens the --source (its errors are the user's to fix: problems.ts gives them exit 2). */
export async function readerFrom(
  values: { source?: string; attachments?: string },
  options: { tablePrefix?: string } = {},
): Promise<SourceReader> {
  if (!values.source) throw new UsageError('--source is required');
  const attachmentsRoot = attachmentsOf(values);
  // A SQLite source waits a little for another process's write to end; the wait is said on stderr.
  const onNotice = (message: string) => process.stderr.write(`st2ic: ${message}\n`);
  return openSource(parseSourceUrl(values.source), { attachmentsRoot, onNotice, ...options });
}

export function attachmentsOf(values: { attachments?: string }): string | null {
  const attachmentsRoot = values.attachments ? path.resolve(values.attachments) : null;
  if (attachmentsRoot && !(existsSync(attachmentsRoot) && statSync(attachmentsRoot).isDirectory())) {
    throw new UsageError(`--attachments: not a folder: ${attachmentsRoot}`);
  }
  return attachmentsRoot;
}

function concurrencyOf(values: { concurrency?: string }): number | undefined {
  if (values.concurrency === undefined) return undefined;
  const n = Number(values.concurrency);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--concurrency must be a positive whole number (got ${values.concurrency})`);
  return n;
}

/**
 * The tokens come from the environment only: never a flag (shell history) nor a file. INTERCOM_TOKEN
 * holds one token or several, comma-separated (apps of one workspace, used together); INTERCOM_TOKENS
 * is read first when set.
 */
function tokensFromEnvironment(): string[] {
  const raw = process.env.INTERCOM_TOKENS || process.env.INTERCOM_TOKEN;
  const tokens = splitTokens(raw);
  if (tokens.length === 0)
    throw new UsageError(
      "INTERCOM_TOKEN is not set: export the access token of the Intercom workspace (the local sandbox prints its own), or several apps' tokens comma-separated",
    );
  return tokens;
}

function workspaceCeilingOf(values: { 'workspace-ceiling'?: string }): number | undefined {
  if (values['workspace-ceiling'] === undefined) return undefined;
  const n = Number(values['workspace-ceiling']);
  if (!Number.isInteger(n) || n < 6)
    throw new UsageError(
      `--workspace-ceiling must be a whole number of requests per minute, at least 6 (got ${values['workspace-ceiling']})`,
    );
  return n;
}

function positiveWhole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number (got ${value})`);
  return n;
}

/** The run settings a verb's flags carry; the engine turns them into the client and the run's options. */
export function runSettingsOf(values: {
  concurrency?: string;
  'workspace-ceiling'?: string;
  size?: string;
  'search-settle'?: string;
}): RunSettings {
  const recordsInFlight = concurrencyOf(values);
  const workspaceCeilingPerMinute = workspaceCeilingOf(values);
  const sampleSize = positiveWhole('--size', values.size);
  // How long an interrupted create is looked for through search before it counts as not applied
  // (default 300 s: Intercom's search lags behind writes by minutes). A workspace known to index at once may shorten it.
  const settle = values['search-settle'] === undefined ? undefined : Number(values['search-settle']);
  if (settle !== undefined && !(Number.isFinite(settle) && settle >= 0))
    throw new UsageError(`--search-settle must be a number of seconds (got ${values['search-settle']})`);
  return {
    ...(recordsInFlight !== undefined ? { recordsInFlight } : {}),
    ...(workspaceCeilingPerMinute !== undefined ? { workspaceCeilingPerMinute } : {}),
    ...(sampleSize !== undefined ? { sampleSize } : {}),
    ...(settle !== undefined ? { searchSettleSeconds: settle } : {}),
  };
}

export function clientFor(target: IntercomTarget, settings: RunSettings = {}): IntercomClient {
  return intercomClientFor({ token: tokensFromEnvironment(), baseUrl: target.baseUrl }, settings);
}

/**
 * The explicit target (flag or migration/target.json) and a client for it, checked before anything
 * else happens. Said on stderr when it came from the folder, so a run never writes somewhere unseen.
 */
export async function connect(
  values: {
    region?: string;
    'intercom-url'?: string;
    concurrency?: string;
    'workspace-ceiling'?: string;
    size?: string;
    'search-settle'?: string;
  },
  workspaceDir: string,
  env: CliEnvironment,
): Promise<{ target: IntercomTarget; client: IntercomClient; settings: RunSettings }> {
  const settings = runSettingsOf(values);
  const target = await resolveTarget(values, workspaceDir);
  env.context.target = target;
  const client = clientFor(target, settings);
  if (target.fromWorkspace) process.stderr.write(`Intercom target: ${target.baseUrl} (from ${target.from})\n`);
  return { target, client, settings };
}
