import {
  closeSync,
  existsSync,
  fdatasync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';

import { messageOf } from '../../model/error-message';
import { type LogRecord, logRecordSchema } from './log-ops';

interface Waiters {
  done: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function newWaiters(): Waiters {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever waits sees the failure; lines nobody waits for must not crash the process.
  done.catch(() => undefined);
  return { done, resolve, reject };
}

const datasync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * An append-only file of JSON lines with group commit: the lines appended while one fdatasync is
 * under way are written together (one write into the page cache, on the event loop, so lines stay
 * in order) and share the next fdatasync, which runs off the event loop. `durable()` says when
 * everything appended so far is on disk. After a failed write or sync nothing more is accepted:
 * what is on disk is then unknown.
 */
export class WriteAheadLog {
  /** Lines appended since the sync in flight began (they wait for the next one), and that sync's lines. */
  private queued: string[] = [];
  private unsynced: Waiters | undefined;
  private syncing: Waiters | undefined;
  private loop: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private bytes: number,
    /** Called after each sync, on the event loop with no sync in flight: the moment to compact. */
    private readonly onSynced: () => void,
  ) {}

  static open(file: string, onSynced: () => void): WriteAheadLog {
    const fd = openSync(file, 'a');
    return new WriteAheadLog(file, fd, fstatSync(fd).size, onSynced);
  }

  /** Bytes written to the file. */
  get size(): number {
    return this.bytes;
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Queues one line (without its newline); it is on disk once `durable()` resolves. */
  append(line: string): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`${this.file}: the log is closed`);
    this.queued.push(line, '\n');
    this.unsynced ??= newWaiters();
    // Started after the requests read in the same turn of the event loop have queued their lines.
    this.loop ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.syncAll());
  }

  /** Resolves once every line appended so far is on disk; undefined when they already are. */
  durable(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    return (this.unsynced ?? this.syncing)?.done;
  }

  /** Empties the file, synchronously and durably; only when no sync is in flight (from `onSynced`, or once idle). */
  truncate(): void {
    if (this.syncing) throw new Error(`${this.file}: cannot empty the log during a sync`);
    ftruncateSync(this.fd, 0);
    // Synced now, so that a line appended next can never land over an old line that comes back.
    fsyncSync(this.fd);
    this.bytes = 0;
  }

  /** Waits until every line written is synced. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private async syncAll(): Promise<void> {
    try {
      while (this.unsynced) {
        const waiters = this.unsynced;
        const data = Buffer.from(this.queued.join(''), 'utf8');
        this.unsynced = undefined;
        this.queued = [];
        this.syncing = waiters;
        try {
          // A write cut short leaves a partial line at the end (a torn tail); nothing is written after it.
          for (let offset = 0; offset < data.length;) offset += writeSync(this.fd, data, offset, data.length - offset);
          this.bytes += data.length;
          await datasync(this.fd);
        } catch (error) {
          this.fail(error);
          return;
        } finally {
          this.syncing = undefined;
        }
        waiters.resolve();
        this.onSynced();
      }
    } finally {
      this.loop = undefined;
    }
  }

  private fail(error: unknown): Error {
    this.failure ??= new Error(`${this.file}: ${messageOf(error)}`);
    this.syncing?.reject(this.failure);
    this.unsynced?.reject(this.failure);
    this.unsynced = undefined;
    this.queued = [];
    return this.failure;
  }
}

export interface ReadLog {
  records: { line: number; record: LogRecord }[];
  /** Bytes of a torn tail (a write the crash cut short, never acknowledged), ignored. */
  tornBytes: number;
}

function parseLine(text: string): LogRecord | undefined {
  try {
    const parsed = logRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a log written by WriteAheadLog. A crash can cut the last write short: whatever follows the
 * last readable line (a partial line, or lines that do not parse with nothing readable after them)
 * is a torn tail and is ignored, since no response waited for it. An unreadable line with readable
 * lines after it is damage, not a crash, and is an error naming the file and the line.
 */
export function readLog(file: string): ReadLog {
  if (!existsSync(file)) return { records: [], tornBytes: 0 };
  // Line by line from the bytes: a log can outgrow what one string may hold, and a newline byte
  // never occurs inside a UTF-8 sequence.
  const bytes = readFileSync(file);
  const records: ReadLog['records'] = [];
  let firstBad: number | undefined;
  let badFrom = bytes.length;
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (end === -1) break; // a partial last line
    const record = parseLine(bytes.toString('utf8', start, end));
    if (!record) {
      if (firstBad === undefined) {
        firstBad = line;
        badFrom = start;
      }
    } else if (firstBad !== undefined) {
      throw new Error(
        `${file}:${firstBad}: unreadable write-ahead log record followed by readable ones (line ${line}); the log is damaged, not torn by a crash`,
      );
    } else {
      records.push({ line, record });
    }
    start = end + 1;
  }
  return { records, tornBytes: bytes.length - Math.min(badFrom, start) };
}

/** Empties a log file durably (or does nothing when there is none). */
export function truncateLogFile(file: string): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
