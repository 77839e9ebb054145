import { createHash, type Hash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { systemClock } from '../model/clock';
import { isMissingFile, messageOf } from '../model/error-message';
import {
  declaredFormat,
  type IntentEntry,
  LEDGER_FORMAT,
  type RunCounts,
  RunId,
  type RunKind,
  RunMeta,
  type SourceDescription,
} from '../model/journal';
import type { ObjectType } from '../model/object-types';
import {
  LedgerCorruptError,
  LedgerInterruptedRunError,
  LedgerLockedError,
  LedgerSecretError,
  LedgerUsageError,
  LedgerWriteError,
  REBUILD_HINT,
} from './errors';
import { type LedgerFs, nodeLedgerFs } from './fs-layer';
import { type IdMapping, IndexSnapshot, LedgerIndex, type RecordStateAt } from './index-state';
import { type BatchPolicy, type JournalScan, JournalWriter, scanJournal } from './journal-file';
import { acquireRunLock, type HeldLock, type LockHolder, lockHolder, type RunLock } from './lock';
import { LedgerPaths } from './paths';
import type { ProcessProbe } from './process-identity';
import { RunJournal, type RunJournalHost } from './run-journal';
import { type AppliedWrite, foldRunJournal, isApplied, RunState } from './run-state';
import { findSecret } from './secret-guard';
import { type UndoCounts, UndoTally } from './undo-tally';
import { acquireWriterLock, aRunOf, commandFor, type WriterRequest } from './writer-lock';

export interface LedgerOptions {
  /** Default: fsync per 100 entries or 10 ms, whichever comes first; intents at once (group commit). */
  batch?: Partial<BatchPolicy>;
  /** Injected only by tests that simulate a failing disk. */
  fs?: LedgerFs;
  /** Torn lines, stale locks, cache rebuilds. Default: process.emitWarning. */
  warn?: (message: string) => void;
  now?: () => Date;
  /**
   * This ledger will write to Intercom (any run kind but dry-run, rollback included): the workspace's
   * writer lock is taken before anything is read, and held until close(). Without it, starting or
   * resuming a run that is not a dry run takes the lock for as long as such a run is open.
   */
  writer?: WriterRequest;
  /**
   * The user asserts that lock holders which cannot be checked from here (another host; a live pid
   * without /proc to compare start times) are gone (`--take-over`). Holders that provably run are
   * never taken over.
   */
  takeOver?: boolean;
  /** Injected only by tests that play a system without /proc. */
  probe?: ProcessProbe;
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
  entries: number;
  /** Bytes of a torn last line (ignored; truncated on resume). */
  tornBytes: number;
}

/** What the index cache was folded from, per journal: its valid bytes and their sha-256. */
const Fingerprint = z.object({
  runId: RunId,
  validBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int(),
});
type Fingerprint = z.infer<typeof Fingerprint>;

/**
 * `ledger-index.json`: a header line `{"version":2,"sha256":…}` (the sha-256 of the body), then the
 * body: the fingerprints of the journals it was folded from and the index. A body that does not
 * match its checksum, or fingerprints that do not match the journals' bytes, are not trusted.
 */
const CACHE_VERSION = 2;
const CacheHeader = z.object({ version: z.literal(CACHE_VERSION), sha256: z.string() });
const IndexCacheBody = z.object({ fingerprints: z.array(Fingerprint), index: IndexSnapshot });
type IndexCacheBody = z.infer<typeof IndexCacheBody>;

const DEFAULT_BATCH: BatchPolicy = { maxEntries: 100, maxDelayMs: 10, urgentOnNextTick: true };

/**
 * The durable record of every write of every run under `<workspace>/migration/`. Journals
 * (`runs/<id>/journal.jsonl`) are the truth; `run.json` and `ledger-index.json` are derived and
 * rewritten atomically; the index is rebuilt from the journals whenever its cache is missing,
 * invalid or does not match them. Damage that would make a run forgotten (a missing journal, a
 * journal that lost entries, an unreadable line in the middle) refuses instead of being skipped.
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
  private readonly takeOver: boolean;
  private readonly probe: ProcessProbe | undefined;
  private writer: { lock: HeldLock; implicit: boolean; replaced?: LockHolder } | undefined;

  private constructor(
    readonly workspaceDir: string,
    options: LedgerOptions,
  ) {
    this.paths = new LedgerPaths(workspaceDir);
    this.fs = options.fs ?? nodeLedgerFs;
    this.batch = { ...DEFAULT_BATCH, ...options.batch };
    this.warn = options.warn ?? ((m) => process.emitWarning(m, 'LedgerWarning'));
    this.now = options.now ?? (() => systemClock.now());
    this.takeOver = options.takeOver === true;
    this.probe = options.probe;
  }

  static async open(workspaceDir: string, options: LedgerOptions = {}): Promise<Ledger> {
    const ledger = new Ledger(workspaceDir, options);
    if (options.writer) await ledger.takeWriterLock(options.writer, false);
    try {
      await ledger.loadIndex();
      if (options.writer) await ledger.checkWriterStart(options.writer);
    } catch (error) {
      // Refused: a writer lock taken over goes back to its holder, so the next attempt meets the same situation.
      await ledger.releaseWriterLock(true);
      throw error;
    }
    return ledger;
  }

  // ---- the writer lock ----------------------------------------------------------------------

  /** The holder this ledger's writer lock replaced (a stale or taken-over writer), if any. */
  get replacedWriter(): LockHolder | undefined {
    return this.writer?.replaced;
  }

  private async takeWriterLock(request: WriterRequest, implicit: boolean): Promise<void> {
    const file = this.paths.writerLock;
    try {
      await fsp.mkdir(this.paths.migrationDir, { recursive: true });
      const { lock, replaced } = await acquireWriterLock(file, request, {
        warn: this.warn,
        takeOver: this.takeOver,
        ...(this.probe ? { probe: this.probe } : {}),
      });
      this.writer = { lock, implicit, ...(replaced ? { replaced } : {}) };
    } catch (error) {
      if (error instanceof LedgerLockedError || !(error as { code?: string }).code) throw error;
      throw new LedgerWriteError(file, error);
    }
  }

  private async releaseWriterLock(restore = false): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    if (restore && writer?.replaced) await writer.lock.restore(writer.replaced).catch(() => undefined);
    else await writer?.lock.release().catch(() => undefined);
  }

  /** Starting or resuming a run that is not a dry run needs the writer lock; take it if not held. */
  private async ensureWriter(kind: RunKind, rollbackOf: string | undefined): Promise<boolean> {
    if (kind === 'dry-run' || this.writer) return false;
    await this.takeWriterLock({ kind, ...(rollbackOf ? { rollbackOf } : {}) }, true);
    return true;
  }

  /** An implicitly taken writer lock is held while a run that is not a dry run is open. */
  private async releaseWriterIfIdle(): Promise<void> {
    if (!this.writer?.implicit) return;
    for (const journal of this.open.values()) if (journal.metadata.kind !== 'dry-run') return;
    await this.releaseWriterLock();
  }

  /**
   * Before a writer starts: no other process may be writing a run (one without the writer lock, from
   * an older st2ic), and a run that a replaced writer left interrupted is continued, not stood beside.
   */
  private async checkWriterStart(request: WriterRequest): Promise<void> {
    const metas = await this.readAllMetas();
    for (const meta of metas) {
      if (meta.kind === 'dry-run' || meta.status === 'completed') continue;
      const file = this.paths.lock(meta.id);
      const holder = await lockHolder(file, this.takeOver, this.probe);
      if (!holder?.alive) continue;
      const fix =
        holder.verdict.state === 'alive'
          ? 'another st2ic process (one that does not take the workspace writer lock: an older version?) is writing it; wait for it to end, or stop it, then run this command again'
          : `${holder.verdict.reason}; if that process is gone, run the same command with --take-over`;
      throw new LedgerLockedError(
        file,
        holder,
        `Run ${meta.id} (${meta.kind}) is locked by pid ${holder.pid} on host ${holder.hostname} since ${holder.since} (${file}): ${fix}.`,
        holder.verdict.state === 'unverifiable',
      );
    }
    // Runs a stopped writer left behind: the one the replaced writer lock names, and those whose own
    // lock is about to be taken over. Each is continued by this command, or the command is refused.
    const left = new Map<string, LockHolder>();
    const replaced = this.writer?.replaced;
    if (replaced?.runId) left.set(replaced.runId, replaced);
    for (const meta of metas) {
      if (writesNothingToIntercom(meta.kind) || left.has(meta.id)) continue;
      const holder = await lockHolder(this.paths.lock(meta.id), this.takeOver, this.probe);
      if (holder && !holder.alive) left.set(meta.id, holder);
    }
    for (const meta of metas) {
      const holder = left.get(meta.id);
      if (holder && !writesNothingToIntercom(meta.kind)) await this.refuseBesideInterrupted(meta, holder, request);
    }
  }

  private async refuseBesideInterrupted(meta: RunMeta, left: LockHolder, request: WriterRequest): Promise<void> {
    const continues =
      request.kind === 'rollback'
        ? request.rollbackOf === meta.id || (meta.kind === 'rollback' && meta.rollbackOf === request.rollbackOf)
        : meta.kind === request.kind;
    if (continues) return;
    const { state } = await foldRunJournal(this.paths.journal(meta.id));
    const pending = state.pendingIntents().length;
    if ((state.status ?? meta.status) !== 'running' && pending === 0) return;
    const what = meta.kind === 'rollback' ? `a rollback of run ${meta.rollbackOf ?? '?'}` : aRunOf(meta.kind);
    const asked = request.kind === 'rollback' ? `a rollback of run ${request.rollbackOf ?? '?'}` : aRunOf(request.kind);
    const ways =
      meta.kind === 'rollback'
        ? `Resume it first with \`${commandFor(meta.kind, meta.rollbackOf)}\``
        : `Resume it first with \`${commandFor(meta.kind, meta.rollbackOf)}\` (the command that started it), or roll it back with \`st2ic rollback ${meta.id}\``;
    throw new LedgerInterruptedRunError(
      meta.id,
      meta.kind,
      `Run ${meta.id} (${what}) was interrupted when its writer stopped (pid ${left.pid} on host ${left.hostname}, writing since ${left.since})` +
        `${pending > 0 ? `, and ${pending} of its write(s) to Intercom have an unknown outcome` : ''}. Starting ${asked} beside it could write the same records twice. ${ways}; then run this command again.`,
    );
  }

  // ---- runs -------------------------------------------------------------------------------

  async startRun(input: StartRunInput): Promise<RunJournal> {
    await this.checkRollbackTarget(input);
    const tookWriter = await this.ensureWriter(input.kind, input.rollbackOf);
    try {
      const startedAt = this.now();
      const id = `${startedAt.toISOString().replace(/[-:.]/g, '')}-${input.kind}-${randomBytes(2).toString('hex')}`;
      const meta = RunMeta.parse({
        v: LEDGER_FORMAT,
        id,
        kind: input.kind,
        rollbackOf: input.rollbackOf,
        startedAt: startedAt.toISOString(),
        status: 'running',
        attempts: 1,
        mappingHash: input.mappingHash,
        source: input.source,
      });
      guardSecrets(meta);
      await this.mkdir(this.paths.runDir(id));
      const lock = await this.lockRun(id);
      let journal: RunJournal | undefined;
      try {
        // The journal first (its first entry carries the run's origin), then run.json: a run.json
        // always has a journal with entries beside it, so a missing or empty one is damage.
        const file = await this.openJournalFile(id);
        const writer = new JournalWriter(file, this.paths.journal(id), 0, this.batch, id, createHash('sha256'));
        this.index.beginRun(meta);
        journal = new RunJournal(meta, new RunState(), writer, lock, this.host());
        this.open.set(id, journal);
        await journal.beginAttempt();
        await this.writeMeta(meta);
        if (input.kind !== 'dry-run') await this.writer?.lock.update({ runId: id }).catch(() => undefined);
        return journal;
      } catch (error) {
        // No run.json, no run: nothing was sent yet; do not leave a folder behind.
        this.open.delete(id);
        if (journal) {
          this.indexTainted = true;
          await journal.close().catch(() => undefined);
        } else await lock.release().catch(() => undefined);
        await fsp.rm(this.paths.runDir(id), { recursive: true, force: true }).catch(() => undefined);
        throw error;
      }
    } catch (error) {
      if (tookWriter) await this.releaseWriterIfIdle();
      throw error;
    }
  }

  /** Reopens an interrupted, failed or cancelled run for another attempt. */
  async resumeRun(runId: string): Promise<RunJournal> {
    const meta = await this.readMeta(runId);
    const tookWriter = await this.ensureWriter(meta.kind, meta.rollbackOf);
    try {
      return await this.reopen(meta);
    } catch (error) {
      if (tookWriter) await this.releaseWriterIfIdle();
      throw error;
    }
  }

  private async reopen(meta: RunMeta): Promise<RunJournal> {
    const runId = meta.id;
    const lock = await this.lockRun(runId);
    let journal: RunJournal | undefined;
    try {
      if (this.indexTainted) await this.rebuildIndex();
      const known = this.fingerprints.get(runId)?.validBytes ?? 0;
      if (!this.index.hasRun(runId)) this.index.beginRun(meta);
      const hash = createHash('sha256');
      const { state, scan } = await foldRunJournal(
        this.paths.journal(runId),
        (entry, offset) => {
          if (offset >= known) this.index.apply(entry);
        },
        { hash },
      );
      this.reportScan(runId, scan);
      if (state.status === 'completed') {
        // run.json may lag behind the journal (a crash between the two writes): repair it.
        if (meta.status !== 'completed')
          await this.writeMeta({ ...meta, status: 'completed', counts: state.tally.counts() });
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
      const writer = new JournalWriter(file, this.paths.journal(runId), scan.validBytes, this.batch, runId, hash);
      const resumed = RunMeta.parse({
        ...meta,
        v: LEDGER_FORMAT,
        status: 'running',
        finishedAt: undefined,
        attempts: state.attempt + 1,
      });
      journal = new RunJournal(resumed, state, writer, lock, this.host());
      this.open.set(runId, journal);
      // The attempt's entry first, then run.json (a run.json never claims more than its journal holds).
      await journal.beginAttempt();
      await this.writeMeta(resumed);
      if (meta.kind !== 'dry-run') await this.writer?.lock.update({ runId }).catch(() => undefined);
      return journal;
    } catch (error) {
      this.open.delete(runId);
      if (journal) await journal.close().catch(() => undefined);
      else await lock.release();
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
      entries: scan.entries,
      tornBytes: scan.tornBytes,
    };
  }
  /** Per object type migrated/skipped/failed with reasons; the latest record entry per source record wins. */
  async countRun(runId: string): Promise<RunCounts> {
    await this.open.get(runId)?.flush();
    const { state } = await foldRunJournal(this.paths.journal(runId));
    return state.tally.counts();
  }

  /** A rollback run's undo calls by outcome (its record counts are empty: it journals no records). */
  async undoCounts(runId: string): Promise<UndoCounts> {
    await this.open.get(runId)?.flush();
    const tally = new UndoTally();
    await scanJournal(this.paths.journal(runId), (entry) => tally.add(entry));
    return tally.counts();
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

  /**
   * A run wrote to this record and its outcome is unknown (an interrupted run): Intercom may hold the
   * object although no id is mapped yet; resume or a later run decides it by lookup before sending.
   */
  hasPendingWrite(objectType: ObjectType, sourceId: string): boolean {
    return this.index.hasOpenIntent(objectType, sourceId);
  }

  /** Intercom id plus provenance: creating run, pre-existence, before-image. */
  mapping(objectType: ObjectType, sourceId: string): IdMapping | undefined {
    return this.index.mapping(objectType, sourceId);
  }

  recordState(objectType: ObjectType, sourceId: string): RecordStateAt | undefined {
    return this.index.recordState(objectType, sourceId);
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
      fingerprints.set(meta.id, await this.scanInto(index, meta.id, 0, createHash('sha256')));
    }
    this.index = index;
    this.fingerprints = fingerprints;
    this.indexTainted = false;
  }

  /**
   * Writes the compacted index cache atomically. Skipped (false) while an open run has entries not
   * yet durable, so the cache never holds what the journals might not; and skipped while another
   * process holds the writer lock (its journals may hold bytes it has not made durable yet).
   */
  async saveIndex(): Promise<boolean> {
    await this.flushOpen();
    if (this.indexTainted) return false;
    if (!this.writer && (await readableFile(this.paths.writerLock))) return false;
    const fingerprints: Fingerprint[] = [];
    for (const meta of await this.readAllMetas()) {
      const journal = this.open.get(meta.id);
      if (journal) {
        const sha256 = journal.durableSha256;
        if (journal.bufferedEntries > 0 || sha256 === undefined) return false;
        const stat = await this.statJournal(meta.id);
        if (stat.size !== journal.durableBytes) return false;
        fingerprints.push({ runId: meta.id, validBytes: journal.durableBytes, sha256, size: stat.size });
      } else {
        const known = this.fingerprints.get(meta.id);
        if (!known) return false;
        fingerprints.push(known);
      }
    }
    const body = JSON.stringify({ fingerprints, index: this.index.snapshot() } satisfies IndexCacheBody);
    const header = JSON.stringify({ version: CACHE_VERSION, sha256: sha256Hex(body) });
    try {
      await this.fs.writeFileAtomic(this.paths.indexCache, `${header}\n${body}\n`);
    } catch (error) {
      throw new LedgerWriteError(this.paths.indexCache, error);
    }
    for (const f of fingerprints) this.fingerprints.set(f.runId, f);
    return true;
  }

  /** Closes every open run without a final status (they stay resumable), and releases the writer lock. */
  async close(): Promise<void> {
    try {
      for (const journal of [...this.open.values()]) await journal.close();
    } finally {
      await this.releaseWriterLock();
    }
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
          this.fingerprints.set(step.meta.id, await this.scanInto(this.index, step.meta.id, step.from, step.hash));
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

  /**
   * Which journals (from which offset) to fold on top of the cache; undefined = rebuild. Each cached
   * journal must still begin with exactly the bytes the cache was folded from (sha-256), and only the
   * newest may have grown since. A journal shorter than the ledger once recorded lost entries: refused.
   */
  private async planFromCache(
    cached: Fingerprint[],
    metas: RunMeta[],
  ): Promise<{ meta: RunMeta; from: number; hash: Hash }[] | undefined> {
    const plan: { meta: RunMeta; from: number; hash: Hash }[] = [];
    for (let i = 0; i < metas.length; i++) {
      const meta = metas[i] as RunMeta;
      const known = cached[i];
      if (!known) {
        plan.push({ meta, from: 0, hash: createHash('sha256') });
        continue;
      }
      if (known.runId !== meta.id) return undefined;
      const { size } = await this.statJournal(meta.id);
      if (size < known.validBytes) {
        if (meta.kind === 'dry-run') return undefined;
        const file = this.paths.journal(meta.id);
        // A line damaged in the middle is named as such (the scan refuses); else the journal was cut.
        await scanJournal(file, () => undefined);
        throw new LedgerCorruptError(
          `Journal ${file} holds ${size} bytes, fewer than the ${known.validBytes} this ledger recorded as written (${this.paths.indexCache}): it lost entries (cut, or replaced by an older copy). ` +
            `Without them, records would be written to Intercom again: ${REBUILD_HINT}.`,
          file,
        );
      }
      const hash = await hashPrefix(this.paths.journal(meta.id), known.validBytes);
      if (hash.copy().digest('hex') !== known.sha256) return undefined;
      if (size === known.validBytes) continue;
      // Only the newest cached run may have grown since; anything else means history changed.
      if (i !== cached.length - 1) return undefined;
      plan.push({ meta, from: known.validBytes, hash });
    }
    return cached.length > metas.length ? undefined : plan;
  }

  private async scanInto(index: LedgerIndex, runId: string, from: number, hash: Hash): Promise<Fingerprint> {
    const stat = await this.statJournal(runId);
    const scan = await scanJournal(this.paths.journal(runId), (entry) => index.apply(entry), {
      fromOffset: from,
      hash,
    });
    this.reportScan(runId, scan);
    return { runId, validBytes: scan.validBytes, sha256: hash.digest('hex'), size: stat.size };
  }

  /** The cache, if its body matches its checksum and parses; undefined (with a warning when it exists) otherwise. */
  private async readIndexCache(): Promise<IndexCacheBody | undefined> {
    let text: string;
    try {
      text = await fsp.readFile(this.paths.indexCache, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw error;
    }
    const newline = text.indexOf('\n');
    const body = newline < 0 ? '' : text.slice(newline + 1).replace(/\n$/, '');
    let header: z.infer<typeof CacheHeader>;
    try {
      header = CacheHeader.parse(JSON.parse(newline < 0 ? text : text.slice(0, newline)));
    } catch {
      this.warn(
        `Index cache ${this.paths.indexCache} is unreadable or of an older format; rebuilding it from the journals.`,
      );
      return undefined;
    }
    if (sha256Hex(body) !== header.sha256) {
      this.warn(
        `Index cache ${this.paths.indexCache} does not match its checksum (edited or damaged); rebuilding it from the journals.`,
      );
      return undefined;
    }
    try {
      return IndexCacheBody.parse(JSON.parse(body));
    } catch {
      this.warn(`Index cache ${this.paths.indexCache} is unreadable; rebuilding it from the journals.`);
      return undefined;
    }
  }

  private async saveIndexQuietly(): Promise<void> {
    try {
      await this.saveIndex();
    } catch (error) {
      this.warn(`Could not save the index cache (the journals are unaffected): ${messageOf(error)}`);
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
        try {
          const sha256 = journal.durableSha256;
          if (this.indexTainted || journal.bufferedEntries > 0 || sha256 === undefined) return;
          const stat = await this.statJournal(journal.runId);
          if (stat.size !== journal.durableBytes) return;
          this.fingerprints.set(journal.runId, {
            runId: journal.runId,
            validBytes: journal.durableBytes,
            sha256,
            size: stat.size,
          });
          await this.saveIndexQuietly();
        } finally {
          await this.releaseWriterIfIdle();
        }
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
    if (target.kind === 'rollback' || target.kind === 'dry-run' || target.kind === 'adopt')
      throw new LedgerUsageError(`run ${target.id} is a ${target.kind}; there is nothing to roll back`);
    const holder = await lockHolder(this.paths.lock(target.id), this.takeOver, this.probe);
    if (this.open.has(target.id) || holder?.alive)
      throw new LedgerUsageError(`run ${target.id} is still running; stop it before rolling it back`);
  }

  private async summarize(meta: RunMeta): Promise<RunSummary> {
    const holder = await lockHolder(this.paths.lock(meta.id), this.takeOver, this.probe);
    const locked = this.open.has(meta.id) || holder?.alive === true;
    return { meta, locked, interrupted: meta.status === 'running' && !locked };
  }

  private async readAllMetas(): Promise<RunMeta[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.paths.runsDir);
    } catch (error) {
      if (isMissingFile(error)) return [];
      throw error;
    }
    const metas: RunMeta[] = [];
    for (const name of names.sort()) {
      if (!RunId.safeParse(name).success) continue;
      const meta = await this.loadMeta(name);
      if (meta) metas.push(meta);
      else if (!this.open.has(name))
        this.warn(
          `Ignoring run folder ${this.paths.runDir(name)}: it holds neither run.json nor a journal entry (a run stopped before its first entry; nothing was written).`,
        );
    }
    return metas;
  }

  private async readMeta(runId: string): Promise<RunMeta> {
    if (!RunId.safeParse(runId).success) throw new LedgerUsageError(`not a run id: ${runId}`);
    const meta = await this.loadMeta(runId);
    if (!meta) throw new LedgerUsageError(`no run ${runId} (missing ${this.paths.runMeta(runId)})`);
    return meta;
  }

  /**
   * run.json, checked against its journal. Undefined for a folder with neither (a start that never
   * wrote its first entry). A missing run.json is rebuilt from the journal when the journal says what
   * it needs (format 1), else refused; a run.json whose journal is missing, or empty although run.json
   * says the run wrote entries, is refused: the run's writes would be forgotten, and done again.
   */
  private async loadMeta(runId: string): Promise<RunMeta | undefined> {
    const metaFile = this.paths.runMeta(runId);
    const journalFile = this.paths.journal(runId);
    let text: string | undefined;
    try {
      text = await fsp.readFile(metaFile, 'utf8');
    } catch (error) {
      if (!isMissingFile(error)) throw error;
    }
    const journal = await this.statJournal(runId);
    if (text === undefined) {
      if (!journal.exists || journal.size === 0) return undefined;
      return this.rebuildMeta(runId);
    }
    const meta = parseRunMeta(metaFile, text);
    if (meta.id !== runId)
      throw new LedgerCorruptError(
        `${metaFile} describes run ${meta.id}, not the run of its folder (${runId}): restore the right run.json from a backup, or delete it to rebuild it from the journal.`,
        metaFile,
      );
    const says = `${metaFile} says the run started (status ${meta.status}, ${meta.attempts} attempt(s)${meta.counts ? ', with counts' : ''})`;
    if (!journal.exists) {
      throw new LedgerCorruptError(
        `Run ${runId}: its journal ${journalFile} is missing, but ${says}. The journal is the only record of what the run wrote to Intercom; without it, those records would be written again. ` +
          `Restore the journal from a backup, or rebuild the ledger from Intercom: st2ic ledger rebuild --from-intercom.`,
        journalFile,
      );
    }
    // Format 0 wrote run.json before the journal's first entry: an empty journal beside a run.json that
    // never went further is a start that stopped there. Anything else beside an empty journal is damage.
    const neverWrote =
      meta.v === 0 && meta.status === 'running' && meta.attempts === 1 && !meta.counts && !meta.finishedAt;
    if (journal.size === 0 && !neverWrote) {
      throw new LedgerCorruptError(
        `Run ${runId}: its journal ${journalFile} is empty, but ${says}. The journal is the only record of what the run wrote to Intercom; without it, those records would be written again. ` +
          `Restore the journal from a backup, or rebuild the ledger from Intercom: st2ic ledger rebuild --from-intercom.`,
        journalFile,
      );
    }
    return meta;
  }

  /**
   * run.json from the journal (the truth): origin from the first attempt entry, status and counts from
   * the fold. Written back with a warning, unless a live writer holds the run: it is starting the run
   * and writes run.json right after its first entry.
   */
  private async rebuildMeta(runId: string): Promise<RunMeta> {
    const metaFile = this.paths.runMeta(runId);
    const journalFile = this.paths.journal(runId);
    const { state } = await foldRunJournal(journalFile);
    if (state.runId !== undefined && state.runId !== runId) {
      throw new LedgerCorruptError(
        `Run folder ${this.paths.runDir(runId)} holds the journal of run ${state.runId}: put it back in its own folder, or restore this run's journal from a backup.`,
        journalFile,
      );
    }
    if (!state.origin) {
      throw new LedgerCorruptError(
        `Run ${runId}: ${metaFile} is missing, and its journal ${journalFile} (written by an older st2ic) does not record the run's kind, mapping hash and source, so run.json cannot be rebuilt from it. ` +
          `Restore run.json from a backup, or rebuild the ledger from Intercom: st2ic ledger rebuild --from-intercom.`,
        metaFile,
      );
    }
    const status = state.status ?? 'running';
    const meta = RunMeta.parse({
      v: LEDGER_FORMAT,
      id: runId,
      ...state.origin,
      status,
      attempts: Math.max(1, state.attempt),
      ...(status !== 'running' ? { finishedAt: state.statusAt, counts: state.tally.counts() } : {}),
    });
    if (
      this.open.has(runId) ||
      (await lockHolder(this.paths.lock(runId), false, this.probe))?.verdict.state === 'alive'
    )
      return meta;
    try {
      await this.writeMeta(meta);
      this.warn(`Run ${runId}: ${metaFile} was missing; rebuilt it from the journal.`);
    } catch (error) {
      this.warn(
        `Run ${runId}: ${metaFile} is missing; read it from the journal, but could not write it back: ${messageOf(error)}`,
      );
    }
    return meta;
  }

  private async writeMeta(meta: RunMeta): Promise<void> {
    const written = { ...meta, v: LEDGER_FORMAT };
    guardSecrets(written);
    const file = this.paths.runMeta(meta.id);
    try {
      await this.fs.writeFileAtomic(file, JSON.stringify(written, null, 2) + '\n');
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
      return await acquireRunLock(this.paths.lock(runId), this.warn, this.takeOver, this.probe);
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

  private async statJournal(runId: string): Promise<{ exists: boolean; size: number }> {
    try {
      const stat = await fsp.stat(this.paths.journal(runId));
      return { exists: true, size: stat.size };
    } catch (error) {
      if (isMissingFile(error)) return { exists: false, size: 0 };
      throw error;
    }
  }

  private reportScan(runId: string, scan: JournalScan): void {
    if (scan.tornBytes > 0) {
      this.warn(
        `Journal of run ${runId} ends with a torn line (${scan.tornBytes} bytes, a write cut by a crash); it is ignored and will be truncated on resume.`,
      );
    }
  }
}

/** run.json as written by any format this st2ic reads (format 0 has no `v`); refused when it does not parse. */
function parseRunMeta(file: string, text: string): RunMeta {
  const fix = "Restore it from a backup, or delete it: it is rebuilt from the run's journal.";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LedgerCorruptError(`${file} is not valid run metadata: ${messageOf(error)}. ${fix}`, file);
  }
  const format = declaredFormat(json);
  if ('newer' in format) {
    throw new LedgerCorruptError(
      `${file} is in ledger format ${JSON.stringify(format.newer)}, newer than this st2ic reads (${LEDGER_FORMAT}). Use the st2ic version that wrote it, or a newer one.`,
      file,
    );
  }
  const parsed = RunMeta.safeParse('json' in format ? format.json : json);
  if (!parsed.success)
    throw new LedgerCorruptError(`${file} is not valid run metadata: ${z.prettifyError(parsed.error)}. ${fix}`, file);
  return parsed.data;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The sha-256 of a file's first `length` bytes, still open to more (Hash.copy() to read it). */
async function hashPrefix(file: string, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (length === 0) return hash;
  for await (const chunk of createReadStream(file, {
    start: 0,
    end: length - 1,
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>)
    hash.update(chunk);
  return hash;
}

async function readableFile(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Dry runs and adopt runs send nothing to Intercom: nothing of theirs can be written twice. */
function writesNothingToIntercom(kind: RunKind): boolean {
  return kind === 'dry-run' || kind === 'adopt';
}

function guardSecrets(meta: RunMeta): void {
  const secret = findSecret(meta);
  if (secret) throw new LedgerSecretError(secret.path, secret.kind);
}

export function openLedger(workspaceDir: string, options?: LedgerOptions): Promise<Ledger> {
  return Ledger.open(workspaceDir, options);
}
