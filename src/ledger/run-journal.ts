import { z } from 'zod';

import {
  type IntentBody,
  type IntentEntry,
  JournalEntry,
  LEDGER_FORMAT,
  type OutcomeResult,
  RECORD_CREATING_OPS,
  type RecordBody,
  type RunCounts,
  type RunMeta,
  type RunStatus,
} from '../model/journal';
import type { ObjectType } from '../model/object-types';
import type { RecordTally } from './counts';
import { LedgerSecretError, LedgerUsageError } from './errors';
import type { IdMapping } from './index-state';
import type { JournalWriter } from './journal-file';
import type { RunLock } from './lock';
import type { AppliedWrite, RunState } from './run-state';
import { findSecret } from './secret-guard';

/** What a RunJournal needs from its Ledger. */
export interface RunJournalHost {
  applyToIndex(entry: JournalEntry): void;
  mapping(objectType: ObjectType, sourceId: string): IdMapping | undefined;
  /** The journal's writer failed: the in-memory index may hold entries that never became durable. */
  taintIndex(): void;
  writeMeta(meta: RunMeta): Promise<void>;
  writesToUndo(targetRunId: string): Promise<AppliedWrite[]>;
  closed(journal: RunJournal): Promise<void>;
  now(): Date;
}

type EntryBody = {
  [K in JournalEntry['type']]: Omit<Extract<JournalEntry, { type: K }>, 'v' | 'seq' | 'at' | 'runId'>;
}[JournalEntry['type']];

/**
 * The one writer of one run. Every write to Intercom goes: `await intent()` (durable before the call
 * is sent) → call → `outcome()`; then one `record()` per source record. Entries are buffered and
 * fsynced per batch, strictly in order.
 */
export class RunJournal {
  private finished = false;
  private meta: RunMeta;

  constructor(
    meta: RunMeta,
    private readonly state: RunState,
    private readonly writer: JournalWriter,
    private readonly lock: RunLock,
    private readonly host: RunJournalHost,
  ) {
    this.meta = meta;
  }

  get runId(): string {
    return this.meta.id;
  }

  get attempt(): number {
    return this.state.attempt;
  }

  get metadata(): RunMeta {
    return { ...this.meta };
  }

  /** Journal bytes known durable (the index cache records it). */
  get durableBytes(): number {
    return this.writer.durableBytes;
  }

  /** sha-256 of those bytes (the index cache checks it on load). */
  get durableSha256(): string | undefined {
    return this.writer.durableSha256;
  }

  get bufferedEntries(): number {
    return this.writer.bufferedEntries;
  }

  /**
   * Journals a write before it is sent. Resolves with the intent's seq once it is durable — only then
   * may the request go out.
   */
  async intent(body: IntentBody): Promise<number> {
    if (this.meta.kind === 'rollback' && !body.undoes)
      throw new LedgerUsageError('rollback runs only journal writes that undo another run (set `undoes`)');
    if (this.meta.kind !== 'rollback' && body.undoes) throw new LedgerUsageError('`undoes` is only for rollback runs');
    if (RECORD_CREATING_OPS.includes(body.op)) this.refuseDuplicateCreate(body);
    const { seq, durable } = this.append({ type: 'intent', ...body }, true);
    await durable;
    return seq;
  }

  /** POSTs are never retried blindly: not while the same create is unresolved, nor after it applied in this run. */
  private refuseDuplicateCreate(body: IntentBody): void {
    for (const open of this.state.pending.values()) {
      if (open.op === body.op && open.objectType === body.objectType && open.sourceId === body.sourceId) {
        throw new LedgerUsageError(
          `${body.objectType} ${body.sourceId}: ${body.op} seq ${open.seq} has no outcome yet; resolve it by lookup before retrying`,
        );
      }
    }
    const mapping = this.host.mapping(body.objectType, body.sourceId);
    if (mapping?.createdByRun === this.meta.id) {
      throw new LedgerUsageError(
        `${body.objectType} ${body.sourceId} was already created in this run (${mapping.intercomId})`,
      );
    }
  }

  /** Journals what happened to the write of intent `intentSeq`. Returns the outcome's seq. */
  outcome(intentSeq: number, outcome: OutcomeResult): number {
    if (!this.state.pending.has(intentSeq)) {
      const why = this.state.resolved.has(intentSeq) ? 'already has an outcome' : 'is not an intent of this run';
      throw new LedgerUsageError(`seq ${intentSeq} ${why}`);
    }
    return this.append({ type: 'outcome', intentSeq, outcome: outcome as never }).seq;
  }

  /** The final state of one source record in this run (the latest entry wins). */
  record(body: RecordBody): number {
    const { objectType, sourceId, ...result } = body;
    return this.append({ type: 'record', objectType, sourceId, result: result as never }).seq;
  }

  /** Writes and fsyncs everything buffered; resolves once durable. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Intents without an outcome, oldest first: resume resolves each by lookup before any retry. */
  pendingIntents(): IntentEntry[] {
    return this.state.pendingIntents();
  }

  /** Per object type migrated/skipped/failed, latest record entry per source record. */
  counts(): RunCounts {
    return this.state.tally.counts();
  }

  /** The source records this run last journaled as failed, with their errors. */
  failures(): ReturnType<RecordTally['failures']> {
    return this.state.tally.failures();
  }

  /**
   * Rollback runs: the target run's applied writes in reverse order, minus those already undone by
   * any rollback of it. Pending undo intents must be resolved first, or an undo could repeat.
   */
  async writesToUndo(): Promise<AppliedWrite[]> {
    const target = this.meta.rollbackOf;
    if (this.meta.kind !== 'rollback' || !target) throw new LedgerUsageError('writesToUndo() is for rollback runs');
    const pending = this.state.pendingIntents();
    if (pending.length > 0)
      throw new LedgerUsageError(`resolve the ${pending.length} pending undo intent(s) first (pendingIntents())`);
    await this.flush();
    return this.host.writesToUndo(target);
  }

  /**
   * Marks the start of an attempt (first run or a resume); resolves once durable. The entry carries
   * the run's origin, so run.json can be rebuilt from the journal alone.
   */
  async beginAttempt(): Promise<void> {
    this.state.attempt += 1;
    const { kind, rollbackOf, startedAt, mappingHash, source } = this.meta;
    const run = { kind, ...(rollbackOf ? { rollbackOf } : {}), startedAt, mappingHash, source };
    const { durable } = this.append({ type: 'run-status', status: 'running', attempt: this.state.attempt, run }, true);
    await durable;
  }

  /** Ends the run: a final status entry, fsync, run.json with counts, lock released. */
  async finish(status: Exclude<RunStatus, 'running'>, message?: string): Promise<RunMeta> {
    this.assertOpen();
    const pending = this.state.pendingIntents().length;
    if (status === 'completed' && pending > 0) {
      throw new LedgerUsageError(
        `cannot complete run ${this.meta.id}: ${pending} write(s) have no outcome; resolve them or finish as failed`,
      );
    }
    try {
      // run.json's finishedAt is the final entry's time, so a run.json rebuilt from the journal is the same.
      const finishedAt = this.host.now().toISOString();
      this.append({ type: 'run-status', status, attempt: this.state.attempt, message }, false, finishedAt);
      await this.flush();
      this.meta = { ...this.meta, status, finishedAt, counts: this.counts() };
      await this.host.writeMeta(this.meta);
    } catch (error) {
      // Leave the run resumable and unlocked; the journal (not run.json) says how far it got.
      await this.close().catch(() => undefined);
      throw error;
    }
    this.finished = true;
    await this.release();
    return this.metadata;
  }

  /** Stops writing without a final status (the run stays `running` and resumable). */
  async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.writer.close();
    } finally {
      await this.release();
    }
  }

  private async release(): Promise<void> {
    await this.writer.close();
    await this.lock.release();
    await this.host.closed(this);
  }

  private assertOpen(): void {
    if (this.finished) throw new LedgerUsageError(`run ${this.meta.id} is finished`);
    this.writer.assertWritable();
  }

  private append(
    body: EntryBody,
    urgent = false,
    at = this.host.now().toISOString(),
  ): { seq: number; durable: Promise<void> } {
    this.assertOpen();
    const candidate = { v: LEDGER_FORMAT, seq: this.state.lastSeq + 1, at, runId: this.meta.id, ...body };
    const parsed = JournalEntry.safeParse(candidate);
    if (!parsed.success) throw new LedgerUsageError(`invalid ${body.type} entry: ${z.prettifyError(parsed.error)}`);
    const secret = findSecret(parsed.data);
    if (secret) throw new LedgerSecretError(secret.path, secret.kind);
    const entry = parsed.data;
    const durable = this.writer.append(JSON.stringify(entry), urgent);
    durable.catch(() => this.host.taintIndex());
    this.state.apply(entry);
    this.host.applyToIndex(entry);
    return { seq: entry.seq, durable };
  }
}
