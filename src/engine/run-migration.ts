import { AuthError, type IntercomClient, IntercomError, PlanRestrictedError } from '../intercom';
import { type Ledger, LedgerWriteError, openLedger, type RunJournal, type RunSummary } from '../ledger';
import { readMappingFile } from '../mapping/mapping-file';
import { assertRunAllowed, contentHash } from '../mapping/review';
import { type Clock, systemClock } from '../model/clock';
import { messageOf } from '../model/error-message';
import type { RunCounts } from '../model/journal';
import type { MappingFile } from '../model/mapping';
import { RECORDS_IN_FLIGHT, SAMPLE_TICKETS } from '../model/run-defaults';
import type { Agent } from '../model/source';
import type { SourceReader } from '../source';
import { adoptFromIntercom } from './adopt';
import { CarriedOver, ParkedTally } from './concurrent';
import type { RunContext, RunOptions } from './context';
import { DryRunIds } from './dry-run-ids';
import { EngineUsageError, RunNotStartedError, RunStoppedError } from './errors';
import { ProgressCounter, type ProgressSink } from './progress';
import { decidePending, resolveLeftoverIntents } from './resume';
import { RUN_PHASES, walkPhases } from './run-phases';
import { Slots } from './slots';
import { bindTarget, writeTarget } from './target-binding';
import { assertTicketsReady } from './tickets-ready';
import { resolveWorkspace } from './workspace';
import { DEFAULT_SEARCH_SETTLE_MS, WriteMemory } from './write';

export type MigrationKind = 'configure' | 'sample' | 'full' | 'delta' | 'dry-run';

export interface MigrationRequest {
  workspaceDir: string;
  kind: MigrationKind;
  reader: SourceReader;
  client: IntercomClient;
  progress?: ProgressSink;
  signal?: AbortSignal;
  /** Default: the system clock. */
  clock?: Clock;
  /** Intercom already holds this source's objects and this folder has no ledger of them: rebuild it from Intercom first. */
  adopt?: boolean;
  options?: Partial<RunOptions>;
  /**
   * The user asserts that the process holding this workspace's writer lock from another host (or one
   * this system cannot check) is gone: its lock is taken over and its interrupted run resumed.
   */
  takeOver?: boolean;
}

export interface MigrationResult {
  runId: string;
  status: 'completed' | 'failed' | 'cancelled';
  resumed: boolean;
  counts: RunCounts;
  message?: string;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  concurrency: RECORDS_IN_FLIGHT,
  sampleSize: SAMPLE_TICKETS,
  dryRun: false,
};

/**
 * Before anything is written: the folder's Intercom workspace is the one the token reaches, what
 * Intercom already holds of this source is adopted only when asked, and a delta has a migration to
 * start from (else it would be a full run under another name).
 */
async function checkTarget(
  ledger: Ledger,
  req: MigrationRequest,
  map: MappingFile,
  progress: ProgressSink,
): Promise<void> {
  const clock = req.clock ?? systemClock;
  const decision = await bindTarget({
    workspaceDir: req.workspaceDir,
    client: req.client,
    reader: req.reader,
    ledger,
    clock,
    adopt: req.adopt === true,
    warn: (m) => progress.warn(m),
  });
  if (decision.action === 'adopt') {
    await adoptFromIntercom({ ledger, reader: req.reader, client: req.client, map, progress });
    await writeTarget(req.workspaceDir, decision.target, clock);
  }
  if (
    req.kind === 'delta' &&
    !(await ledger.listRuns()).some((r) => r.meta.kind === 'full' || r.meta.kind === 'adopt')
  ) {
    throw new EngineUsageError(
      'A delta migrates what changed since a full migration, and this folder has none: run the full migration first (st2ic migrate), or --adopt what Intercom already holds.',
    );
  }
}

/** An interrupted run of the same kind (crash, kill, stop) is resumed rather than started again. */
function resumable(runs: RunSummary[], req: MigrationRequest, mappingHash: string): RunSummary | undefined {
  if (req.kind === 'sample' || req.kind === 'dry-run') return undefined;
  const latest = runs
    .filter(
      (r) =>
        r.meta.kind === req.kind &&
        (r.interrupted || r.meta.status === 'failed' || r.meta.status === 'cancelled') &&
        !r.locked,
    )
    .at(-1);
  const newerCompleted =
    latest && runs.some((r) => r.meta.startedAt > latest.meta.startedAt && r.meta.status === 'completed');
  return latest && !newerCompleted && latest.meta.mappingHash === mappingHash ? latest : undefined;
}

async function startOrResume(
  ledger: Ledger,
  req: MigrationRequest,
  mappingHash: string,
  progress: ProgressSink,
  settleMs: number,
): Promise<{ journal: RunJournal; resumed: boolean }> {
  const runs = await ledger.listRuns();
  const candidate = resumable(runs, req, mappingHash);
  if (req.kind !== 'dry-run')
    await settleEarlierRuns(
      ledger,
      req.client,
      runs.filter((r) => r !== candidate),
      progress,
      settleMs,
    );
  if (candidate) return { journal: await ledger.resumeRun(candidate.meta.id), resumed: true };
  const description = await req.reader.describe();
  const ledgerKind = req.kind === 'dry-run' ? 'dry-run' : req.kind;
  return {
    journal: await ledger.startRun({
      kind: ledgerKind,
      mappingHash,
      source: { kind: description.engine, description: description.location },
    }),
    resumed: false,
  };
}

/**
 * Writes of earlier runs whose outcome is unknown (the run was killed, or a lookup failed) are
 * decided by lookup before this run sends anything, and journaled in their own run: otherwise a
 * delta, a sample or a run with a changed map would create again what Intercom already has.
 * When a lookup cannot decide, nothing is sent and the run is refused.
 */
async function settleEarlierRuns(
  ledger: Ledger,
  client: IntercomClient,
  runs: RunSummary[],
  progress: ProgressSink,
  searchSettleMs: number,
): Promise<void> {
  let undecided = 0;
  const where: string[] = [];
  for (const run of runs) {
    if (run.locked || run.meta.kind === 'rollback' || run.meta.kind === 'dry-run' || run.meta.status === 'completed')
      continue;
    if ((await ledger.readRun(run.meta.id)).pendingIntents.length === 0) continue;
    const journal = await ledger.resumeRun(run.meta.id);
    let left = 0;
    try {
      for (const intent of journal.pendingIntents()) {
        const decision = await decidePending(client, intent, { searchSettleMs, clock: systemClock });
        if (decision.result === 'applied')
          journal.outcome(intent.seq, { result: 'applied', intercomId: decision.intercomId, resolvedBy: 'lookup' });
        else if (decision.result === 'not-applied')
          journal.outcome(intent.seq, { result: 'not-applied', reason: 'lookup found nothing after the interruption' });
        else left += 1;
      }
      const status = run.meta.status === 'cancelled' ? 'cancelled' : 'failed';
      await journal.finish(
        status,
        left > 0
          ? `${left} write(s) still have no outcome; run again to resolve them`
          : 'writes of unknown outcome decided by lookup before a later run',
      );
    } finally {
      await journal.close().catch(() => undefined);
    }
    if (left > 0) {
      undecided += left;
      where.push(run.meta.id);
    } else {
      progress.info(`Run ${run.meta.id}: its writes of unknown outcome were looked up in Intercom and journaled`);
    }
  }
  if (undecided > 0) {
    throw new RunNotStartedError(
      `${undecided} write(s) of run ${where.join(', ')} still have no known outcome (Intercom could not be asked); nothing was sent. Run the same command again to look them up.`,
    );
  }
}

/** `concurrency` counts records in flight per access token: each token is an app with its own limit. */
function runOptionsOf(req: MigrationRequest): RunOptions {
  const perToken = req.options?.concurrency ?? DEFAULT_RUN_OPTIONS.concurrency;
  return {
    ...DEFAULT_RUN_OPTIONS,
    ...req.options,
    concurrency: perToken * req.client.transport.lanes.count,
    dryRun: req.kind === 'dry-run' || req.options?.dryRun === true,
  };
}

/** The checks before the run, then its journal: a failure here leaves no run behind (the ledger is closed). */
async function openRun(
  ledger: Ledger,
  req: MigrationRequest,
  map: MappingFile,
  progress: ProgressSink,
  options: RunOptions,
): Promise<{ journal: RunJournal; resumed: boolean; prepared: PreparedWorkspace }> {
  try {
    if (req.kind !== 'dry-run') await checkTarget(ledger, req, map, progress);
    const prepared = await prepareWorkspace(req, map);
    assertTicketsReady(prepared.plan.tickets, req.kind, (m) => progress.warn(m));
    return {
      ...(await startOrResume(
        ledger,
        req,
        contentHash(map),
        progress,
        options.searchSettleMs ?? DEFAULT_SEARCH_SETTLE_MS,
      )),
      prepared,
    };
  } catch (error) {
    await ledger.close().catch(() => undefined);
    if (error instanceof IntercomError && !(error instanceof AuthError) && !(error instanceof PlanRestrictedError)) {
      throw new RunNotStartedError(
        `Intercom could not be read for the checks before the run (${error.message}); nothing was written. Run the same command again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** A resumed run remembers what its earlier attempts wrote, and what they sent without an answer. */
async function writeMemoryOf(ledger: Ledger, journal: RunJournal, resumed: boolean): Promise<WriteMemory> {
  const memory = new WriteMemory();
  if (resumed) {
    for (const w of await ledger.appliedWrites(journal.runId))
      memory.rememberApplied(w.intent, w.outcome.outcome.intercomId);
    for (const intent of journal.pendingIntents()) memory.rememberPending(intent);
  }
  return memory;
}

type RunEnd = { status: MigrationResult['status']; message?: string | undefined };

/** Runs the phases (run-phases.ts); an error or a cancellation ends the run as failed or cancelled. */
async function runPhases(ctx: RunContext, req: MigrationRequest, prepared: PreparedWorkspace): Promise<RunEnd> {
  try {
    const { agents, workspace, plan } = prepared;
    ctx.progress.info(
      `Intercom workspace "${workspace.appName}"${workspace.region ? ` (${workspace.region})` : ''}; fallback admin ${workspace.fallbackAdminName}`,
    );
    await walkPhases(RUN_PHASES, { kind: req.kind, ctx, reader: req.reader, agents, plan });
    // Delta finds changes by record fingerprints (SmarterTrack has no "last updated" column), so no
    // watermark is written: the source is not read again at the end of a run.
    await ctx.carriedOver.settle();
    await resolveLeftoverIntents(ctx);
    return { status: 'completed' };
  } catch (error) {
    const end: RunEnd = { status: ctx.signal.aborted ? 'cancelled' : 'failed', message: messageOf(error) };
    if (!(error instanceof RunStoppedError) && !ctx.signal.aborted) ctx.progress.warn(`Run stopped: ${end.message}`);
    // Records carried over from earlier phases journal their own outcomes before the journal closes.
    await ctx.carriedOver.settle().catch(() => undefined);
    return end;
  }
}

/** Journals how the run ended; a run that left writes without an outcome has not completed. */
async function finishRun(journal: RunJournal, end: RunEnd): Promise<RunEnd> {
  let { status, message } = end;
  try {
    await journal.flush();
    if (status === 'completed' && journal.pendingIntents().length > 0) {
      status = 'failed';
      message = `${journal.pendingIntents().length} write(s) still have no outcome; run again to resolve them`;
    }
    await journal.finish(status, message);
  } catch (error) {
    // The journal itself cannot be written (disk full, read-only): nothing more can be recorded, so
    // the run stops as failed with the ledger's own message (file, cause, how to resume).
    if (!(error instanceof LedgerWriteError)) throw error;
    status = 'failed';
    message = error.message;
  }
  return { status, message };
}

/**
 * A migration run: sample (a few tickets and what they need), full (everything, resumable), delta
 * (what changed since), or dry-run (every step but the writes). Phases run in dependency order
 * (run-phases.ts). Every source record ends in the ledger as migrated, skipped with a reason, or
 * failed with the error.
 */
export async function runMigration(req: MigrationRequest): Promise<MigrationResult> {
  const map = await readMappingFile(req.workspaceDir);
  assertRunAllowed(map, req.kind);
  const options = runOptionsOf(req);
  const progress = new ProgressCounter(req.progress);
  const signal = req.signal ?? new AbortController().signal;
  // One writer per workspace, for the whole run (a dry run writes nothing to Intercom and skips it).
  const ledger = await openLedger(
    req.workspaceDir,
    req.kind === 'dry-run' ? {} : { writer: { kind: req.kind }, takeOver: req.takeOver === true },
  );
  const { journal, resumed, prepared } = await openRun(ledger, req, map, progress, options);
  // A token Intercom stops accepting mid-run is dropped by the client; the run says so and goes on.
  const stopHearingDrops = req.client.transport.lanes.onDrop((message) => progress.warn(message));
  if (resumed) progress.info(`Resuming run ${journal.runId} (attempt ${journal.attempt})`);
  else progress.info(`Run ${journal.runId} (${req.kind}) started`);

  const memory = await writeMemoryOf(ledger, journal, resumed);
  const parked = new ParkedTally((n) => progress.waiting?.(n));
  const ctx: RunContext = {
    kind: req.kind === 'dry-run' ? 'dry-run' : req.kind,
    runId: journal.runId,
    reader: req.reader,
    client: req.client,
    ledger,
    journal,
    map,
    workspace: prepared.workspace,
    progress,
    signal,
    clock: req.clock ?? systemClock,
    options,
    memory,
    tags: new Map(),
    visitors: new Map(),
    carriedOver: new CarriedOver(),
    parked,
    overlapSlots: new Slots(Math.max(1, options.concurrency), parked.reporter()),
    ...(options.dryRun ? { dryRunIds: new DryRunIds() } : {}),
  };
  let end: RunEnd;
  try {
    end = await finishRun(journal, await runPhases(ctx, req, prepared));
  } finally {
    stopHearingDrops();
    await journal.close().catch(() => undefined);
    await ledger.close().catch(() => undefined);
  }
  return {
    runId: journal.runId,
    status: end.status,
    resumed,
    counts: journal.counts(),
    ...(end.message ? { message: end.message } : {}),
  };
}

type PreparedWorkspace = Awaited<ReturnType<typeof resolveWorkspace>> & { agents: Agent[] };

/**
 * What a run only reads before it writes (agents, the Intercom workspace's admins, teams and
 * attributes), done before the run folder exists: a failure here (a fallback admin that is not in
 * Intercom, a token without the scopes) is refused with nothing left behind, not a failed run.
 */
async function prepareWorkspace(req: MigrationRequest, map: MappingFile): Promise<PreparedWorkspace> {
  const agents: Agent[] = [];
  for await (const a of req.reader.agents()) agents.push(a);
  return { ...(await resolveWorkspace(req.client, map, agents)), agents };
}
