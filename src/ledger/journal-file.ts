import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

import { isMissingFile, messageOf } from '../model/error-message';
import { declaredFormat, JournalEntry, LEDGER_FORMAT } from '../model/journal';
import { zodIssues } from '../model/zod-issues';
import { LedgerCorruptError, LedgerWriteError, REBUILD_HINT } from './errors';
import type { AppendFile } from './fs-layer';
import { typedTargetOfOlderFormat } from './older-targets';

/** What a scan of a journal found. `validBytes` ends after the last line that parsed. */
export interface JournalScan {
  validBytes: number;
  totalBytes: number;
  /** Bytes after `validBytes`: a line cut by a crash (or garbage after it). Ignored, and truncated on resume. */
  tornBytes: number;
  entries: number;
}

export interface ScanOptions {
  /** Where to start (a line start); default 0. */
  fromOffset?: number;
  /** Fed with every valid line's bytes, in order: the sha-256 of the valid bytes (the index cache checks it). */
  hash?: Hash;
}

/**
 * Streams a journal's entries in file order. Constant memory. A torn tail (lines that do not parse
 * and are followed by nothing that does: what a crash mid-write leaves) is never passed to `onEntry`.
 * An unreadable line followed by a valid one is damage, not a crash: the scan refuses with
 * LedgerCorruptError naming the file, the line and its byte offset. Lines without `v` are read as
 * format 0; a line of a newer format refuses.
 */
export async function scanJournal(
  file: string,
  onEntry: (entry: JournalEntry, offset: number) => void,
  options: ScanOptions | number = {},
): Promise<JournalScan> {
  const { fromOffset = 0, hash } = typeof options === 'number' ? { fromOffset: options } : options;
  const scan: JournalScan = { validBytes: fromOffset, totalBytes: fromOffset, tornBytes: 0, entries: 0 };
  let firstBad: { offset: number; line: number; error: string } | undefined;
  let offset = fromOffset;
  let lineNo = 0;
  let rest: Buffer = Buffer.alloc(0);
  const stream = createReadStream(file, { start: fromOffset, highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      // Valid lines are contiguous from the start of `data` (a bad line before a valid one refuses): hashed once per chunk.
      let validEnd = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        const line = data.toString('utf8', start, nl);
        const lineOffset = offset;
        lineNo++;
        const parsed = parseLine(line);
        if (parsed.ok) {
          if (firstBad) throw unreadableLine(file, firstBad, fromOffset);
          validEnd = nl + 1;
          offset += nl + 1 - start;
          start = nl + 1;
          scan.entries++;
          scan.validBytes = offset;
          onEntry(parsed.entry, lineOffset);
        } else {
          if (parsed.newer !== undefined) throw newerFormat(file, lineOffset, lineNo, fromOffset, parsed.newer);
          offset += nl + 1 - start;
          start = nl + 1;
          firstBad ??= { offset: lineOffset, line: lineNo, error: parsed.error };
        }
      }
      if (validEnd > 0) hash?.update(data.subarray(0, validEnd));
      data = data.subarray(start);
      rest = Buffer.from(data);
    }
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  scan.totalBytes = offset + rest.length;
  scan.tornBytes = scan.totalBytes - scan.validBytes;
  return scan;
}

function where(offset: number, line: number, fromOffset: number): string {
  return fromOffset === 0 ? `line ${line} (byte ${offset})` : `the line at byte ${offset}`;
}

function unreadableLine(
  file: string,
  bad: { offset: number; line: number; error: string },
  fromOffset: number,
): LedgerCorruptError {
  return new LedgerCorruptError(
    `Journal ${file} is damaged: ${where(bad.offset, bad.line, fromOffset)} cannot be read (${bad.error}), and valid entries follow it, so it is not a line cut by a crash. ` +
      `The journal is the record of what was written to Intercom and is not guessed at: ${REBUILD_HINT}.`,
    file,
  );
}

function newerFormat(
  file: string,
  offset: number,
  line: number,
  fromOffset: number,
  version: unknown,
): LedgerCorruptError {
  return new LedgerCorruptError(
    `Journal ${file}: ${where(offset, line, fromOffset)} is in ledger format ${JSON.stringify(version)}, newer than this st2ic reads (${LEDGER_FORMAT}). Use the st2ic version that wrote it, or a newer one.`,
    file,
  );
}

function parseLine(line: string): { ok: true; entry: JournalEntry } | { ok: false; error: string; newer?: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not JSON: ${messageOf(error)}` };
  }
  const format = declaredFormat(json);
  if ('notAnObject' in format) return { ok: false, error: 'not a journal entry: not an object' };
  if ('newer' in format) return { ok: false, error: `format ${String(format.newer)}`, newer: format.newer };
  const result = JournalEntry.safeParse(format.json);
  if (!result.success) return { ok: false, error: `not a journal entry: ${zodIssues(result.error, 1)}` };
  const entry = result.data;
  return {
    ok: true,
    entry: entry.type === 'intent' ? { ...entry, target: typedTargetOfOlderFormat(entry, format.format) } : entry,
  };
}

export interface BatchPolicy {
  /** Flush as soon as this many entries are buffered. */
  maxEntries: number;
  /** Flush at most this long after the first buffered entry. */
  maxDelayMs: number;
  /**
   * Entries someone waits for (intents: the call may not be sent before they are durable) are flushed
   * on the next tick instead: group commit, since entries arriving while an fsync runs share the next.
   */
  urgentOnNextTick: boolean;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The single append stream of one journal. Lines are buffered and written + fdatasynced per batch, in
 * order, one batch at a time; so an entry is durable only when every entry before it is. A failed
 * batch is cut off again (truncate to the last durable size) and the writer refuses further work:
 * nothing half-written counts as durable.
 */
export class JournalWriter {
  private buffer: string[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: LedgerWriteError | undefined;
  private closed = false;

  constructor(
    private readonly file: AppendFile,
    readonly path: string,
    private durable: number,
    private readonly policy: BatchPolicy,
    private readonly runId: string,
    /** The sha-256 of the durable bytes so far (from the scan that opened the journal); fed with each batch. */
    private readonly hash?: Hash,
  ) {}

  /** sha-256 (hex) of the journal's durable bytes, when the writer was given the hash of what preceded it. */
  get durableSha256(): string | undefined {
    return this.hash?.copy().digest('hex');
  }

  /** Bytes of the journal known to be on stable storage. */
  get durableBytes(): number {
    return this.durable;
  }

  get bufferedEntries(): number {
    return this.buffer.length;
  }

  get failed(): LedgerWriteError | undefined {
    return this.failure;
  }

  /** Throws the stored failure if the writer is broken. */
  assertWritable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
  }

  /**
   * Buffers one line (without newline). Returns a promise that settles when the line is durable.
   * `urgent`: a caller waits for it (see BatchPolicy.urgentOnNextTick).
   */
  append(line: string, urgent = false): Promise<void> {
    this.assertWritable();
    this.buffer.push(line + '\n');
    const durable = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    // Callers that do not await durability learn of a failure from the next call or flush().
    durable.catch(() => undefined);
    if (this.buffer.length >= this.policy.maxEntries) this.startFlush();
    else if (urgent && this.policy.urgentOnNextTick) this.immediate ??= setImmediate(() => this.startFlush());
    else this.timer ??= setTimeout(() => this.startFlush(), this.policy.maxDelayMs);
    return durable;
  }

  /** Writes and syncs everything buffered so far; resolves once it is durable. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.buffer.length > 0) this.startFlush();
    return this.inFlight.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  private startFlush(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    const waiters = this.waiters;
    this.buffer = [];
    this.waiters = [];
    this.inFlight = this.inFlight.then(() => this.writeBatch(lines, waiters));
  }

  private async writeBatch(lines: string[], waiters: Waiter[]): Promise<void> {
    // The chain itself never rejects (callers learn of a failure through their waiters and flush()).
    if (this.failure) {
      for (const w of waiters) w.reject(this.failure);
      return;
    }
    const data = Buffer.from(lines.join(''), 'utf8');
    try {
      await this.file.append(data);
      await this.file.sync();
    } catch (error) {
      this.failure = new LedgerWriteError(this.path, error, { runId: this.runId });
      // Best effort: cut the partial batch off. If this fails too, the reader drops a torn tail
      // and resume truncates; lines of the batch that did land are then harmless (intents without
      // outcome get looked up before any retry).
      await this.file.truncate(this.durable).catch(() => undefined);
      const rejectAll = [...waiters, ...this.waiters];
      this.buffer = [];
      this.waiters = [];
      for (const w of rejectAll) w.reject(this.failure);
      return;
    }
    this.durable += data.length;
    this.hash?.update(data);
    for (const w of waiters) w.resolve();
  }

  /** Flushes (when healthy) and closes the file descriptor. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.failure) await this.flush();
    } finally {
      this.closed = true;
      clearTimeout(this.timer);
      clearImmediate(this.immediate);
      await this.file.close().catch(() => undefined);
    }
  }
}
