import { existsSync, statSync } from 'node:fs';

import { messageOf } from '../../model/error-message';
import { applyOps, ChangeSet } from './log-ops';
import { parseState, readStateJson, saveStateJson } from './persistence';
import type { StatePath } from './store';
import type { SandboxState } from './types';
import { readLog, truncateLogFile, WriteAheadLog } from './write-ahead-log';

/** The write-ahead log beside a state file. */
export const logFileOf = (stateFile: string): string => `${stateFile}.wal`;

/** Compact once the log holds this much, or as much as the state file when that is larger. */
const DEFAULT_COMPACT_AFTER_BYTES = 16 * 1024 * 1024;

export interface Recovered {
  state: SandboxState;
  /** Log records replayed over the state file, and bytes of a torn tail ignored. */
  replayed: number;
  tornBytes: number;
  stateFileExisted: boolean;
}

/**
 * What a sandbox restarted from `stateFile` holds: the state file (or `fallback` when there is none
 * yet), with its log replayed over it. Reads only; errors name the file and line at fault.
 */
export function recoverState(stateFile: string, fallback: () => SandboxState): Recovered {
  const logFile = logFileOf(stateFile);
  const stateFileExisted = existsSync(stateFile);
  let raw: Record<string, unknown> = stateFileExisted
    ? readStateJson(stateFile)
    : (fallback() as unknown as Record<string, unknown>);
  const log = readLog(logFile);
  for (const { line, record } of log.records) {
    try {
      raw = applyOps(raw, record.ops);
    } catch (error) {
      throw new Error(`${logFile}:${line}: ${messageOf(error)}`);
    }
  }
  const source = log.records.length > 0 ? `${stateFile} with ${logFile}` : stateFile;
  return { state: parseState(raw, source), replayed: log.records.length, tornBytes: log.tornBytes, stateFileExisted };
}

export interface DurableStateOptions {
  /** Compact after this many log bytes (default: DEFAULT_COMPACT_AFTER_BYTES or the state file's size, the larger). */
  compactAfterBytes?: number;
  /** Where a failed compaction is reported (the log still holds everything, so the sandbox goes on). */
  warn?: (message: string) => void;
}

/**
 * A state that survives a kill at any moment: every change is appended to the write-ahead log and
 * synced before the response that reports it is sent (`barrier()`), and the log is compacted into
 * the state file from time to time and on close.
 */
export class DurableState {
  private readonly changes = new ChangeSet();
  private readonly log: WriteAheadLog;
  private limit: number;
  private closed = false;

  private constructor(
    readonly stateFile: string,
    readonly recovered: Recovered,
    private readonly current: () => SandboxState,
    private readonly options: DurableStateOptions,
  ) {
    this.changes.baseline(recovered.state);
    // Start from a state file that holds everything and an empty log: the replayed records, a torn
    // tail and a missing state file are dealt with once, here, before anything new is appended.
    let bytes: number | undefined;
    if (!recovered.stateFileExisted || recovered.replayed > 0 || recovered.tornBytes > 0) {
      bytes = saveStateJson(stateFile, JSON.stringify(recovered.state));
      truncateLogFile(logFileOf(stateFile));
    }
    this.limit = this.limitFor(bytes ?? statSync(stateFile).size);
    this.log = WriteAheadLog.open(logFileOf(stateFile), () => this.compactIfDue());
  }

  /**
   * Recovers the state kept at `stateFile` (see recoverState); `current` then gives the live state
   * (a reset replaces the object).
   */
  static open(
    stateFile: string,
    fallback: () => SandboxState,
    current: () => SandboxState,
    options: DurableStateOptions = {},
  ): DurableState {
    return new DurableState(stateFile, recoverState(stateFile, fallback), current, options);
  }

  get logFile(): string {
    return logFileOf(this.stateFile);
  }

  /** A handler changed the state at `path` (Store.changed). */
  changed(path: StatePath): void {
    this.changes.add(path);
  }

  /**
   * Seals the changes made so far into a log record and resolves once it (and every record before
   * it) is on disk; undefined when nothing is waiting. A response waits for this, so nothing it
   * reports, or shows, can be lost by a crash. Rejects once the log has failed.
   */
  barrier(): Promise<void> | undefined {
    if (this.log.error) return Promise.reject(this.log.error);
    if (this.changes.size > 0) {
      if (this.closed)
        return Promise.reject(new Error(`${this.logFile}: the sandbox is closed; this change was not kept`));
      try {
        this.log.append(JSON.stringify({ ops: this.changes.take(this.current()) }));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.log.durable();
  }

  /** Makes everything durable, writes the whole state into the state file and empties the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.barrier();
    this.closed = true;
    await this.log.idle();
    this.compact();
    await this.log.close();
  }

  /** A log about as large as the state file: compaction costs stay proportional to the writes. */
  private limitFor(stateBytes: number): number {
    return this.options.compactAfterBytes ?? Math.max(DEFAULT_COMPACT_AFTER_BYTES, stateBytes);
  }

  /** After a log sync (none in flight): compact when the log has outgrown its limit. */
  private compactIfDue(): void {
    if (this.closed || this.log.size < this.limit) return;
    try {
      this.compact();
    } catch (error) {
      // The log still holds every change; try again once it has grown as much again.
      this.limit = this.log.size * 2;
      this.options.warn?.(`sandbox: could not compact ${this.logFile} into ${this.stateFile}: ${messageOf(error)}`);
    }
  }

  /**
   * Synchronous, so no request runs in between: the state file then holds every change made so far
   * (logged or not yet), and only then is the log emptied. A crash between the two replays records
   * the state file already holds, which changes nothing (every op is idempotent).
   */
  private compact(): void {
    const bytes = saveStateJson(this.stateFile, JSON.stringify(this.current()));
    this.log.truncate();
    this.limit = this.limitFor(bytes);
  }
}
