import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';

import { z } from 'zod';

import { type Ledger, openLedger } from '../../src/ledger';
import { readMappingFile } from '../../src/mapping/mapping-file';
import { ticketDestinationsOf } from '../../src/model/mapping';
import { DEFAULT_SEARCH_LAG_MS, type LoggedRequest, startSandbox } from '../../src/sandbox/index';
import { openSource } from '../../src/source/open-source';
import { generateDataset } from '../../test/fixtures/dataset/generate';
import { snapshotOf } from '../../test/support/sandbox-snapshot';
import { runCli, runScript } from './cli';
import { callsPerTicket, minimumCalls, readIntents } from './journal-calls';

export const RATE_LIMIT_PER_10S = 1667;
/** Intercom's ceiling across a workspace's apps: 25,000 a minute. */
export const WORKSPACE_LIMIT_PER_10S = 4167;
const WINDOW_MS = 10_000;

export interface MigrationBench {
  scale: number;
  seconds: number;
  exitCode: number;
  requests: number;
  throttled: number;
  /** Requests per aligned 10-s window (the sandbox's windows), first to last. */
  windows: number[];
  steadyWindows: number;
  steadyMeanPer10s: number;
  steadyMedianPer10s: number;
  /** steadyMeanPer10s / the limit. */
  rateRatio: number;
  /** Steady windows at ≥ 95 % of the limit, and the load average of the machine when the run ended. */
  windowsAtLimit: number;
  loadAverage: number[];
  tickets: {
    measured: number;
    meanCalls: number;
    meanMinimum: number;
    ratio: number;
    overMinimum: number;
    examples: string[];
  };
  /** Journaled writes per migrated record, by object type (for the projection). */
  writesPerRecord: Record<string, number>;
  /** All requests (reads included) over journaled writes. */
  requestsPerWrite: number;
  migrated: Record<string, number>;
  /** Fault spec the sandbox injected ('' for none). */
  faults: string;
  /** Intercom's state at the end, without its own ids and clocks (compared across runs). */
  final: ReturnType<typeof snapshotOf>;
  /** With followUps: a delta over the unchanged source, and validate --all, after the run. */
  delta?: FollowUp;
  validate?: FollowUp;
}

const MigrateJson = z.object({
  runId: z.string(),
  status: z.string(),
  counts: z.record(z.string(), z.object({ migrated: z.number() }).loose()),
  requests: z.number(),
  throttled: z.number(),
});

/**
 * A full migration of the demo dataset at a scale, through the CLI, into a sandbox at the real rate
 * limit (in this process, so its request log can be drained without loss while the run goes on).
 */
export interface BenchOptions {
  concurrency?: number;
  /** Fault spec the sandbox injects. */
  faults?: string;
  /** Access tokens (apps of one workspace) the CLI uses together; 1 by default. */
  tokens?: number;
  /** The workspace's ceiling across apps, per 10 s (the sandbox's; the client's default is Intercom's). */
  workspaceLimitPer10s?: number;
  /** Who drives the engine: the CLI (default) or the extension's inputs (scripts/bench/extension-run.ts). */
  driver?: 'cli' | 'extension';
  /** After the run, against the same sandbox: a delta over the unchanged source, then validate --all. */
  followUps?: boolean;
  /** Every department's tickets sent to its proposed Intercom ticket type (`st2ic map tickets`). */
  ticketsAsTickets?: boolean;
}

/** Requests and seconds of one command run after the migration. */
export interface FollowUp {
  requests: number;
  seconds: number;
  exitCode: number;
}

/**
 * The bench's target lags its search by DEFAULT_SEARCH_LAG_MS, so the wait for interrupted creates is
 * set to outlast that lag, as it is set to outlast Intercom's (minutes, the CLI's default) on a real
 * workspace. Only creates that no later create can witness (a run's last ones) wait this long.
 */
const SEARCH_SETTLE_SECONDS = DEFAULT_SEARCH_LAG_MS / 1000 + 2;

export async function benchMigration(
  scale: number,
  cacheDir: string,
  options: BenchOptions = {},
): Promise<MigrationBench> {
  const { concurrency, faults = '', tokens = 1, driver = 'cli', ticketsAsTickets = false } = options;
  const dataDir = path.join(cacheDir, `bench-scale-${scale}`);
  if (!existsSync(path.join(dataDir, 'smartertrack.db'))) await generateDataset({ outDir: dataDir, seed: 1, scale });
  const workspace = path.join(
    cacheDir,
    `bench-workspace-${scale}${faults ? '-faults' : ''}${tokens > 1 ? `-${tokens}-tokens` : ''}${driver === 'extension' ? '-extension' : ''}${ticketsAsTickets ? '-tickets' : ''}`,
  );
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  const source = [
    '--source',
    `sqlite:${path.join(dataDir, 'smartertrack.db')}`,
    '--attachments',
    path.join(dataDir, 'App_Data'),
    '--workspace',
    workspace,
  ];

  const appTokens = Array.from({ length: tokens }, (_, i) => `bench-app-${i + 1}`);
  const sandbox = await startSandbox({
    openapiPath: '',
    rateLimitPer10s: RATE_LIMIT_PER_10S,
    ...(faults ? { faults } : {}),
    ...(tokens > 1
      ? {
          tokens: appTokens,
          appLimitPer10s: RATE_LIMIT_PER_10S,
          workspaceLimitPer10s: options.workspaceLimitPer10s ?? WORKSPACE_LIMIT_PER_10S,
        }
      : {}),
  });
  const seen = new WeakSet<LoggedRequest>();
  const times: number[] = [];
  const drain = () => {
    const list = sandbox.requests();
    for (let i = list.length - 1; i >= 0 && !seen.has(list[i]!); i--) {
      seen.add(list[i]!);
      times.push(Date.parse(list[i]!.time));
    }
  };
  // The log keeps the last 20,000 entries; draining every second never lets it wrap.
  const timer = setInterval(drain, 1000);
  try {
    const env = { INTERCOM_TOKEN: tokens > 1 ? appTokens.join(',') : sandbox.token };
    const cli = async (args: string[]) => {
      const r = await runCli(args, env);
      if (r.code !== 0) throw new Error(`st2ic ${args.slice(0, 2).join(' ')} exited ${r.code}: ${r.stderr}`);
    };
    await cli(['scope', ...source]);
    await cli(['map', 'propose', '--source', source[1]!, '--workspace', workspace]);
    if (ticketsAsTickets) {
      // The proposer names one ticket type per department, in department order.
      const proposed = ticketDestinationsOf(await readMappingFile(workspace));
      for (const [i, department] of Object.keys(proposed.departments).entries()) {
        const type = proposed.ticketTypes[i];
        if (type) await cli(['map', 'tickets', department, '--to', type.name, '--workspace', workspace]);
      }
    }
    await cli(['map', 'confirm', '--reviewer', 'bench', '--approve', '--yes', '--workspace', workspace]);
    const started = performance.now();
    const run =
      driver === 'extension'
        ? await runScript(
            'scripts/bench/extension-run.ts',
            [workspace, path.join(dataDir, 'smartertrack.db'), path.join(dataDir, 'App_Data'), sandbox.url],
            env,
          )
        : await runCli(
            [
              'migrate',
              ...source,
              '--intercom-url',
              sandbox.url,
              '--json',
              '--search-settle',
              String(SEARCH_SETTLE_SECONDS),
              ...(concurrency ? ['--concurrency', String(concurrency)] : []),
            ],
            env,
          );
    const seconds = (performance.now() - started) / 1000;
    drain();
    const final = snapshotOf(sandbox.state());
    const followUp = async (args: string[]): Promise<FollowUp> => {
      const before = times.length;
      const t0 = performance.now();
      const r = await runCli(args, env);
      const s = (performance.now() - t0) / 1000;
      drain();
      return { requests: times.length - before, seconds: s, exitCode: r.code };
    };
    const delta = options.followUps
      ? await followUp(['delta', ...source, '--intercom-url', sandbox.url, '--json'])
      : undefined;
    const validate = options.followUps
      ? await followUp(['validate', '--all', ...source, '--intercom-url', sandbox.url, '--json'])
      : undefined;
    // The rate figures are the migration's own: what came after it is counted apart.
    if (delta || validate) times.splice(times.length - (delta?.requests ?? 0) - (validate?.requests ?? 0));
    const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
    const parsed = MigrateJson.safeParse(JSON.parse(lastLine || '{}'));
    if (!parsed.success)
      throw new Error(`migrate exited ${run.code} without a JSON summary: ${run.stderr.slice(-2000)}`);
    const result = parsed.data;

    times.sort((a, b) => a - b);
    const first = Math.floor(times[0]! / WINDOW_MS);
    const last = Math.floor(times.at(-1)! / WINDOW_MS);
    const windows = Array.from({ length: last - first + 1 }, () => 0);
    for (const t of times) windows[Math.floor(t / WINDOW_MS) - first]!++;
    const steady = steadyWindows(windows);
    const mean = steady.length ? steady.reduce((a, b) => a + b, 0) / steady.length : 0;
    const sorted = [...steady].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;

    const tickets = await ticketCalls(workspace, result.runId, path.join(dataDir, 'smartertrack.db'));
    const { intents } = await readIntents(workspace, result.runId);
    const writesByType: Record<string, number> = {};
    for (const i of intents) writesByType[i.objectType] = (writesByType[i.objectType] ?? 0) + 1;
    const migrated = Object.fromEntries(Object.entries(result.counts).map(([k, c]) => [k, c.migrated]));
    const writesPerRecord = Object.fromEntries(
      Object.entries(writesByType).map(([k, n]) => [k, migrated[k] ? n / migrated[k] : n]),
    );
    return {
      scale,
      seconds,
      exitCode: run.code,
      requests: times.length,
      throttled: result.throttled,
      windows,
      steadyWindows: steady.length,
      steadyMeanPer10s: mean,
      steadyMedianPer10s: median,
      rateRatio: mean / RATE_LIMIT_PER_10S,
      windowsAtLimit: steady.filter((n) => n >= 0.95 * RATE_LIMIT_PER_10S).length,
      loadAverage: loadavg(),
      tickets,
      writesPerRecord,
      requestsPerWrite: times.length / Math.max(1, intents.length),
      migrated,
      faults,
      final,
      ...(delta ? { delta } : {}),
      ...(validate ? { validate } : {}),
    };
  } finally {
    clearInterval(timer);
    await sandbox.close();
  }
}

/**
 * The steady part of a run: whole windows without the start (workspace set-up, first pacing) and the
 * tail. A window holding only a stray request or two (the GET /me of the checks before the run, the
 * last reads after it) is not the start or the tail: it is dropped first, else the ramp-up window
 * behind it would count as steady in some runs and not in others, by where the 10-s boundaries fall.
 */
export function steadyWindows(windows: number[]): number[] {
  const stray = 0.01 * Math.max(0, ...windows);
  let from = 0;
  let to = windows.length;
  while (from < to && windows[from]! < stray) from++;
  while (to > from && windows[to - 1]! < stray) to--;
  return windows.slice(from + 1, to - 1);
}

function isIntercomTicket(ledger: Ledger, id: string): boolean {
  const result = ledger.recordState('tickets', id)?.result;
  return result?.state === 'migrated' && result.intercomObject === 'ticket';
}

async function ticketCalls(workspace: string, runId: string, database: string): Promise<MigrationBench['tickets']> {
  const { intents, idOf } = await readIntents(workspace, runId);
  const actual = callsPerTicket(intents, idOf);
  const fieldNotes = new Map<string, number>();
  for (const i of intents) {
    const m = /^field:(\d+):/.exec(i.sourceId);
    if (i.objectType === 'attachments' && m) fieldNotes.set(m[1]!, (fieldNotes.get(m[1]!) ?? 0) + 1);
  }
  const ledger = await openLedger(workspace, { warn: () => undefined });
  const reader = await openSource({ kind: 'sqlite', path: database }, { attachmentsRoot: null });
  let calls = 0;
  let minimum = 0;
  let measured = 0;
  let over = 0;
  const examples: string[] = [];
  try {
    for await (const thread of reader.ticketThreads()) {
      const id = String(thread.ticket.id);
      if (ledger.recordState('tickets', id)?.result.state !== 'migrated') continue;
      const row = actual.get(id);
      if (!row) continue;
      const t = thread.ticket;
      const min = minimumCalls(thread, {
        intercomTicket: isIntercomTicket(ledger, id),
        teamNeeded:
          (row.ops.assign ?? 0) > 0 &&
          t.departmentId !== null &&
          ledger.recordState('departments', String(t.departmentId))?.result.state === 'migrated',
        adminNeeded:
          t.assignedAgentId !== null &&
          ledger.recordState('agents', String(t.assignedAgentId))?.result.state === 'migrated',
        fieldNotes: fieldNotes.get(id) ?? 0,
        tags: row.ops.tag ?? 0,
      });
      measured++;
      calls += row.calls;
      minimum += min;
      if (row.calls > min) {
        over++;
        if (examples.length < 5)
          examples.push(`ticket ${id}: ${row.calls} calls (${JSON.stringify(row.ops)}) vs minimum ${min}`);
      }
    }
  } finally {
    await reader.close();
    await ledger.close();
  }
  return {
    measured,
    meanCalls: calls / Math.max(1, measured),
    meanMinimum: minimum / Math.max(1, measured),
    ratio: calls / Math.max(1, minimum),
    overMinimum: over,
    examples,
  };
}
