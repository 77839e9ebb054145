import { systemClock } from '../model/clock';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ObjectType } from '../model/object-types';
import {
  RunId, RunMeta, type IntentEntry, type CheckpointEntry, type RunCounts, type RunKind, type SourceDescription,
  type WatermarkValue,
} from '../model/journal';
import { LedgerCorruptError, LedgerLockedError, LedgerSecretError, LedgerUsageError, LedgerWriteError } from './errors';
import { nodeLedgerFs, type LedgerFs } from './fs-layer';
import { IndexSnapshot, LedgerIndex, type IdMapping, type RecordStateAt } from './index-state';
import { JournalWriter, scanJournal, type BatchPolicy, type JournalScan } from './journal-file';
import { acquireRunLock, lockHolder, type RunLock } from './lock';
import { LedgerPaths } from './paths';
import { RunJournal, type RunJournalHost } from './run-journal';
import { RunState, foldRunJournal, isApplied, type AppliedWrite } from './run-state';
import { findSecret } from './secret-guard';

export interface LedgerOptions {
  /** Default: fsync per 100 entries or 10 ms, whichever comes first; intents at once (group commit). */
  batch?: Partial<BatchPolicy>;
  /** Injected only by tests that simulate a failing disk. */
  fs?: LedgerFs;
  /** Torn lines, stale locks, cache rebuilds. Default: process.emitWarning. */
  warn?: (message: string) => void;
  now?: () => Date;
}

export interface StartRunInput {
  kind: RunKind;
  rollbackOf?: string;
  mappingHash: string;
  source: SourceDescription;
}

export interface RunSummary {
  meta: RunMeta;
  /** A writer holds the lock right now. */
  locked: boolean;
  /** Status says running but nobody is: the process died or stopped; resume it. */
  interrupted: boolean;
}

export interface RunDetails extends RunSummary {
  pendingIntents: IntentEntry[];
  lastCheckpoint: CheckpointEntry | undefined;
  entries: number;
  /** Bytes of a torn last line (ignored; truncated on resume). */
  tornBytes: number;
  badLines: JournalScan['badLines'];
}

const Fingerprint = z.object({ runId: RunId, validBytes: z.number().int(), size: z.number().int(), mtimeMs: z.number() });
type Fingerprint = z.infer<typeof Fingerprint>;

const IndexCacheFile = z.object({ version: z.literal(1), fingerprints: z.array(Fingerprint), index: IndexSnapshot });

const DEFAULT_BATCH: BatchPolicy = { maxEntries: 100, maxDelayMs: 10, urgentOnNextTick: true };

/**
 * The durable record of every write of every run under `<workspace>/migration/`. Journals
 * (`runs/<id>/journal.jsonl`) are the truth; `run.json` and `ledger-index.json` are derived and
 * rewritten atomically; the index is rebuilt from the journals whenever its cache is missing,
 * invalid or stale.
 */
export class Ledger {
  readonly paths: LedgerPaths;
  private index = new LedgerIndex();
  private indexTainted = false;
  private fingerprints = new Map<string, Fingerprint>();
  private readonly open = new Map<string, RunJournal>();
  private readonly fs: LedgerFs;
  private readonly batch: BatchPolicy;
  private readonly warn: (message: string) => void;
  private readonly now: () => Date;

  private constructor(readonly workspaceDir: string, options: LedgerOptions) {
    this.paths = new LedgerPaths(workspaceDir);
    this.fs = options.fs ?? nodeLedgerFs;
    this.batch = { ...DEFAULT_BATCH, ...options.batch };
    this.warn = options.warn ?? ((m) => process.emitWarning(m, 'LedgerWarning'));
    this.now = options.now ?? (() => systemClock.now());
  }

  static async open(workspaceDir: string, options: LedgerOptions = {}): Promise<Ledger> {
    const ledger = new Ledger(workspaceDir, options);
    await ledger.loadIndex();
    return ledger;
  }

  // ---- runs -------------------------------------------------------------------------------

  async startRun(input: StartRunInput): Promise<RunJournal> {
    await this.checkRollbackTarget(input);
    const startedAt = this.now();
    const id = `${startedAt.toISOString().replace(/[-:.]/g, '')}-${input.kind}-${randomBytes(2).toString('hex')}`;
    const meta = RunMeta.parse({
      id, kind: input.kind, rollbackOf: input.rollbackOf, startedAt: startedAt.toISOString(), status: 'running',
      attempts: 1, mappingHash: input.mappingHash, source: input.source,
    });
    guardSecrets(meta);
    await this.mkdir(this.paths.runDir(id));
    const lock = await this.lockRun(id);
    try {
      await this.writeMeta(meta).catch(async (error: unknown) => {
        // No run.json, no run: do not leave a folder that every listing would warn about.
        await lock.release().catch(() => undefined);
        await fsp.rm(this.paths.runDir(id), { recursive: true, force: true }).catch(() => undefined);
        throw error;
      });
      const file = await this.openJournalFile(id);
      const writer = new JournalWriter(file, this.paths.journal(id), 0, this.batch, id);
      this.index.beginRun(meta);
      const journal = new RunJournal(meta, new RunState(), writer, lock, this.host());
      this.open.set(id, journal);
      await journal.beginAttempt();
      return journal;
    } catch (error) {
      this.open.delete(id);
      await lock.release();
      throw error;
    }
  }

  /** Reopens an interrupted, failed or cancelled run for another attempt. */
  async resumeRun(runId: string): Promise<RunJournal> {
    const meta = await this.readMeta(runId);
    const lock = await this.lockRun(runId);
    try {
      if (this.indexTainted) await this.rebuildIndex();
      const known = this.fingerprints.get(runId)?.validBytes ?? 0;
      if (!this.index.hasRun(runId)) this.index.beginRun(meta);
      const { state, scan } = await foldRunJournal(this.paths.journal(runId), (entry, offset) => {
        if (offset >= known) this.index.apply(entry);
      });
      this.reportScan(runId, scan);
      if (state.status === 'completed') {
        // run.json may lag behind the journal (a crash between the two writes): repair it.
        if (meta.status !== 'completed') await this.writeMeta({ ...meta, status: 'completed', counts: state.tally.counts() });
        throw new LedgerUsageError(`run ${runId} is completed; start a delta run instead`);
      }
      const file = await this.openJournalFile(runId);
      if (scan.tornBytes > 0) {
        try {
          await file.truncate(scan.validBytes);
          await file.sync();
        } catch (error) {
          await file.close();
          throw new LedgerWriteError(this.paths.journal(runId), error, { runId });
        }
      }
      const writer = new JournalWriter(file, this.paths.journal(runId), scan.validBytes, this.batch, runId);
      const resumed = RunMeta.parse({ ...meta, status: 'running', finishedAt: undefined, attempts: state.attempt + 1 });
      await this.writeMeta(resumed);
      const journal = new RunJournal(resumed, state, writer, lock, this.host());
      this.open.set(runId, journal);
      await journal.beginAttempt();
      return journal;
    } catch (error) {
      this.open.delete(runId);
      await lock.release();
      throw error;
    }
  }

  async listRuns(): Promise<RunSummary[]> {
    const metas = await this.readAllMetas();
    return Promise.all(metas.map((meta) => this.summarize(meta)));
  }

  /** run.json reconciled with the journal (the truth): status, counts, pending intents. */
  async readRun(runId: string): Promise<RunDetails> {
    const meta = await this.readMeta(runId);
    await this.open.get(runId)?.flush();
    const { state, scan } = await foldRunJournal(this.paths.journal(runId));
    this.reportScan(runId, scan);
    const reconciled: RunMeta = { ...meta, status: state.status ?? meta.status, counts: state.tally.counts() };
    const summary = await this.summarize(reconciled);
    return {
      ...summary,
      pendingIntents: state.pendingIntents(),
      lastCheckpoint: state.lastCheckpoint,
      entries: scan.entries,
      tornBytes: scan.tornBytes,
      badLines: scan.badLines,
    };
  }

  /** Per object type migrated/skipped/failed with reasons; the latest record entry per source record wins. */
  async countRun(runId: string): Promise<RunCounts> {
    await this.open.get(runId)?.flush();
    const { state } = await foldRunJournal(this.paths.journal(runId));
    return state.tally.counts();
  }

  /** A run's applied writes, latest intent first: the order rollback undoes them in. */
  async appliedWrites(runId: string): Promise<AppliedWrite[]> {
    await this.open.get(runId)?.flush();
    const intents = new Map<number, IntentEntry>();
    const applied: AppliedWrite[] = [];
    await scanJournal(this.paths.journal(runId), (entry) => {
      if (entry.type === 'intent') intents.set(entry.seq, entry);
      else if (entry.type === 'outcome') {
        const intent = intents.get(entry.intentSeq);
        intents.delete(entry.intentSeq);
        if (intent && isApplied(entry)) applied.push({ intent, outcome: entry });
      }
    });
    return applied.sort((a, b) => b.intent.seq - a.intent.seq);
  }

  /** The applied writes of `targetRunId` that no rollback of it has undone yet, latest first. */
  async writesToUndo(targetRunId: string): Promise<AppliedWrite[]> {
    const undone = new Set<number>();
    for (const meta of await this.readAllMetas()) {
      if (meta.kind !== 'rollback' || meta.rollbackOf !== targetRunId) continue;
      await this.open.get(meta.id)?.flush();
      const undoOf = new Map<number, number>();
      await scanJournal(this.paths.journal(meta.id), (entry) => {
        if (entry.type === 'intent' && entry.undoes) undoOf.set(entry.seq, entry.undoes.seq);
        else if (entry.type === 'outcome' && entry.outcome.result === 'applied') {
          const target = undoOf.get(entry.intentSeq);
          if (target !== undefined) undone.add(target);
        }
      });
    }
    return (await this.appliedWrites(targetRunId)).filter((w) => !undone.has(w.intent.seq));
  }

  // ---- index queries ----------------------------------------------------------------------

  intercomIdFor(objectType: ObjectType, sourceId: string): string | undefined {
    return this.index.intercomIdFor(objectType, sourceId);
  }

  /** Intercom id plus provenance: creating run, pre-existence, before-image. */
  mapping(objectType: ObjectType, sourceId: string): IdMapping | undefined {
    return this.index.mapping(objectType, sourceId);
  }

  recordState(objectType: ObjectType, sourceId: string): RecordStateAt | undefined {
    return this.index.recordState(objectType, sourceId);
  }

  /** Where the next delta run starts for this object type. */
  watermark(objectType: ObjectType): WatermarkValue | undefined {
    return this.index.watermark(objectType)?.value;
  }

  indexSnapshot(): IndexSnapshot {
    return this.index.snapshot();
  }

  // ---- index maintenance ------------------------------------------------------------------

  /**
   * Folds every journal from scratch (the cache is only ever a shortcut for this). Call it while no
   * run of this process is writing: entries appended during the fold may miss the new index.
   */
  async rebuildIndex(): Promise<void> {
    await this.flushOpen();
    const index = new LedgerIndex();
    const fingerprints = new Map<string, Fingerprint>();
    for (const meta of await this.readAllMetas()) {
      index.beginRun(meta);
      fingerprints.set(meta.id, await this.scanInto(index, meta.id, 0));
    }
    this.index = index;
    this.fingerprints = fingerprints;
    this.indexTainted = false;
  }

  /**
   * Writes the compacted index cache atomically. Skipped (false) while an open run has entries not
   * yet durable, so the cache never holds what the journals might not.
   */
  async saveIndex(): Promise<boolean> {
    await this.flushOpen();
    if (this.indexTainted) return false;
    const fingerprints: Fingerprint[] = [];
    for (const meta of await this.readAllMetas()) {
      const journal = this.open.get(meta.id);
      if (journal) {
        if (journal.bufferedEntries > 0) return false;
        const stat = await this.statJournal(meta.id);
        if (stat.size !== journal.durableBytes) return false;
        fingerprints.push({ runId: meta.id, validBytes: journal.durableBytes, ...stat });
      } else {
        const known = this.fingerprints.get(meta.id);
        if (!known) return false;
        fingerprints.push(known);
      }
    }
    const file: z.infer<typeof IndexCacheFile> = { version: 1, fingerprints, index: this.index.snapshot() };
    try {
      await this.fs.writeFileAtomic(this.paths.indexCache, JSON.stringify(file));
    } catch (error) {
      throw new LedgerWriteError(this.paths.indexCache, error);
    }
    for (const f of fingerprints) this.fingerprints.set(f.runId, f);
    return true;
  }

  /** Closes every open run without a final status (they stay resumable). */
  async close(): Promise<void> {
    for (const journal of [...this.open.values()]) await journal.close();
  }

  private async loadIndex(): Promise<void> {
    const metas = await this.readAllMetas();
    const cache = await this.readIndexCache();
    let changed = true;
    if (cache) {
      const plan = await this.planFromCache(cache.fingerprints, metas);
      if (plan) {
        this.index = LedgerIndex.fromSnapshot(cache.index);
        this.fingerprints = new Map(cache.fingerprints.map((f) => [f.runId, f]));
        for (const step of plan) {
          this.index.beginRun(step.meta);
          this.fingerprints.set(step.meta.id, await this.scanInto(this.index, step.meta.id, step.from));
        }
        changed = plan.length > 0;
      } else {
        this.warn(`Index cache ${this.paths.indexCache} does not match the journals; rebuilding it from them.`);
        await this.rebuildIndex();
      }
    } else {
      await this.rebuildIndex();
      changed = metas.length > 0;
    }
    if (changed) await this.saveIndexQuietly();
  }

  /** Which journals (from which offset) to fold on top of the cache; undefined = rebuild. */
  private async planFromCache(cached: Fingerprint[], metas: RunMeta[]): Promise<{ meta: RunMeta; from: number }[] | undefined> {
    const plan: { meta: RunMeta; from: number }[] = [];
    for (let i = 0; i < metas.length; i++) {
      const meta = metas[i] as RunMeta;
      const known = cached[i];
      if (!known) {
        plan.push({ meta, from: 0 });
        continue;
      }
      if (known.runId !== meta.id) return undefined;
      const stat = await this.statJournal(meta.id);
      if (stat.size === known.size && stat.mtimeMs === known.mtimeMs) continue;
      // Only the newest cached run may have grown since; anything else means history changed.
      if (i !== cached.length - 1 || stat.size < known.validBytes) return undefined;
      plan.push({ meta, from: known.validBytes });
    }
    return cached.length > metas.length ? undefined : plan;
  }

  private async scanInto(index: LedgerIndex, runId: string, from: number): Promise<Fingerprint> {
    const stat = await this.statJournal(runId);
    const scan = await scanJournal(this.paths.journal(runId), (entry) => index.apply(entry), from);
    this.reportScan(runId, scan);
    return { runId, validBytes: scan.validBytes, ...stat };
  }

  private async readIndexCache(): Promise<z.infer<typeof IndexCacheFile> | undefined> {
    let text: string;
    try {
      text = await fsp.readFile(this.paths.indexCache, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return IndexCacheFile.parse(JSON.parse(text));
    } catch {
      this.warn(`Index cache ${this.paths.indexCache} is unreadable; rebuilding it from the journals.`);
      return undefined;
    }
  }

  private async saveIndexQuietly(): Promise<void> {
    try {
      await this.saveIndex();
    } catch (error) {
      this.warn(`Could not save the index cache (the journals are unaffected): ${(error as Error).message}`);
    }
  }

  private async flushOpen(): Promise<void> {
    for (const journal of this.open.values()) await journal.flush().catch(() => undefined);
  }

  // ---- files --------------------------------------------------------------------------------

  private host(): RunJournalHost {
    return {
      applyToIndex: (entry) => this.index.apply(entry),
      mapping: (objectType, sourceId) => this.index.mapping(objectType, sourceId),
      taintIndex: () => {
        this.indexTainted = true;
      },
      writeMeta: (meta) => this.writeMeta(meta),
      writesToUndo: (target) => this.writesToUndo(target),
      closed: async (journal) => {
        this.open.delete(journal.runId);
        if (this.indexTainted || journal.bufferedEntries > 0) return;
        const stat = await this.statJournal(journal.runId);
        if (stat.size !== journal.durableBytes) return;
        this.fingerprints.set(journal.runId, { runId: journal.runId, validBytes: journal.durableBytes, ...stat });
        await this.saveIndexQuietly();
      },
      now: this.now,
    };
  }

  private async checkRollbackTarget(input: StartRunInput): Promise<void> {
    if (input.kind !== 'rollback') {
      if (input.rollbackOf) throw new LedgerUsageError('rollbackOf is only for rollback runs');
      return;
    }
    if (!input.rollbackOf) throw new LedgerUsageError('a rollback run needs rollbackOf (the run to undo)');
    const target = await this.readMeta(input.rollbackOf);
    if (target.kind === 'rollback' || target.kind === 'dry-run' || target.kind === 'adopt') throw new LedgerUsageError(`run ${target.id} is a ${target.kind}; there is nothing to roll back`);
    const holder = await lockHolder(this.paths.lock(target.id));
    if (this.open.has(target.id) || holder?.alive) throw new LedgerUsageError(`run ${target.id} is still running; stop it before rolling it back`);
  }

  private async summarize(meta: RunMeta): Promise<RunSummary> {
    const holder = await lockHolder(this.paths.lock(meta.id));
    const locked = this.open.has(meta.id) || holder?.alive === true;
    return { meta, locked, interrupted: meta.status === 'running' && !locked };
  }

  private async readAllMetas(): Promise<RunMeta[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.paths.runsDir);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
    const metas: RunMeta[] = [];
    for (const name of names.sort()) {
      if (!RunId.safeParse(name).success) continue;
      try {
        metas.push(await this.readMeta(name));
      } catch (error) {
        this.warn(`Ignoring run folder ${this.paths.runDir(name)}: ${(error as Error).message}`);
      }
    }
    return metas;
  }

  private async readMeta(runId: string): Promise<RunMeta> {
    if (!RunId.safeParse(runId).success) throw new LedgerUsageError(`not a run id: ${runId}`);
    let text: string;
    try {
      text = await fsp.readFile(this.paths.runMeta(runId), 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') throw new LedgerUsageError(`no run ${runId} (missing ${this.paths.runMeta(runId)})`);
      throw error;
    }
    try {
      return RunMeta.parse(JSON.parse(text));
    } catch (error) {
      throw new LedgerCorruptError(`${this.paths.runMeta(runId)} is not valid run metadata: ${(error as Error).message}`);
    }
  }

  private async writeMeta(meta: RunMeta): Promise<void> {
    guardSecrets(meta);
    const file = this.paths.runMeta(meta.id);
    try {
      await this.fs.writeFileAtomic(file, JSON.stringify(meta, null, 2) + '\n');
    } catch (error) {
      throw new LedgerWriteError(file, error, { runId: meta.id });
    }
  }

  private async openJournalFile(runId: string) {
    const file = this.paths.journal(runId);
    try {
      return await this.fs.openAppend(file);
    } catch (error) {
      throw new LedgerWriteError(file, error, { runId });
    }
  }

  private async lockRun(runId: string): Promise<RunLock> {
    try {
      return await acquireRunLock(this.paths.lock(runId), this.warn);
    } catch (error) {
      if (error instanceof LedgerLockedError || !(error as { code?: string }).code) throw error;
      throw new LedgerWriteError(this.paths.lock(runId), error, { runId });
    }
  }

  private async mkdir(dir: string): Promise<void> {
    try {
      // Recursive mkdir reports ENOENT instead of EROFS/EACCES on Linux, so the last level is separate.
      await fsp.mkdir(path.dirname(dir), { recursive: true });
      await fsp.mkdir(dir);
    } catch (error) {
      throw new LedgerWriteError(dir, error);
    }
  }

  private async statJournal(runId: string): Promise<{ size: number; mtimeMs: number }> {
    try {
      const stat = await fsp.stat(this.paths.journal(runId));
      return { size: stat.size, mtimeMs: stat.mtimeMs };
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return { size: 0, mtimeMs: 0 };
      throw error;
    }
  }

  private reportScan(runId: string, scan: JournalScan): void {
    if (scan.tornBytes > 0) {
      this.warn(`Journal of run ${runId} ends with a torn line (${scan.tornBytes} bytes, a write cut by a crash); it is ignored and will be truncated on resume.`);
    }
    for (const bad of scan.badLines) this.warn(`Journal of run ${runId}: skipped an unreadable line at byte ${bad.offset} (${bad.error}).`);
  }
}

function guardSecrets(meta: RunMeta): void {
  const secret = findSecret(meta);
  if (secret) throw new LedgerSecretError(secret.path, secret.kind);
}

export function openLedger(workspaceDir: string, options?: LedgerOptions): Promise<Ledger> {
  return Ledger.open(workspaceDir, options);
}
