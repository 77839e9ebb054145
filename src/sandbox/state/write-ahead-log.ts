import { closeSync, existsSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, write } from 'node:fs';
import { logRecordSchema, type LogRecord } from './log-ops';

interface Batch {
  chunks: string[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever waits sees the failure; a batch nobody waits for must not crash the process.
  done.catch(() => undefined);
  return { chunks: [], done, resolve, reject };
}

function writeAll(fd: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (offset: number): void => {
      write(fd, data, offset, data.length - offset, null, (error, written) => {
        if (error) reject(error);
        else if (offset + written < data.length) from(offset + written);
        else resolve();
      });
    };
    from(0);
  });
}

const datasync = (fd: number): Promise<void> => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * An append-only file of JSON lines with group commit: lines appended while a write and its
 * fdatasync are under way go out together in the next one, so concurrent requests share one sync.
 * Writes and syncs run off the event loop; `durable()` says when everything appended so far is on
 * disk. After a failed write or sync nothing more is accepted: what was on disk is then unknown.
 */
export class WriteAheadLog {
  private open: Batch | undefined;
  private inFlight: Batch | undefined;
  private loop: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private bytes: number,
    /** Called between two batches, when nothing is being written: the moment to compact. */
    private readonly onFlushed: () => void,
  ) {}

  static open(file: string, onFlushed: () => void): WriteAheadLog {
    const fd = openSync(file, 'a');
    return new WriteAheadLog(file, fd, fstatSync(fd).size, onFlushed);
  }

  /** Bytes in the file (what is written, not what waits). */
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
    this.open ??= newBatch();
    this.open.chunks.push(line, '\n');
    this.loop ??= this.drain();
  }

  /** Resolves once every line appended so far is on disk; undefined when they already are. */
  durable(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    return (this.open ?? this.inFlight)?.done;
  }

  /** Empties the file, synchronously and durably; only between batches (from `onFlushed`, or once idle). */
  truncate(): void {
    if (this.inFlight) throw new Error(`${this.file}: cannot empty the log during a write`);
    ftruncateSync(this.fd, 0);
    // Synced now, so that a line appended next can never land over an old line that comes back.
    fsyncSync(this.fd);
    this.bytes = 0;
  }

  /** Waits until nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private async drain(): Promise<void> {
    try {
      while (this.open) {
        const batch = this.open;
        this.open = undefined;
        this.inFlight = batch;
        try {
          const data = Buffer.from(batch.chunks.join(''), 'utf8');
          await writeAll(this.fd, data);
          await datasync(this.fd);
          this.bytes += data.length;
        } catch (error) {
          this.failure = new Error(`${this.file}: ${error instanceof Error ? error.message : String(error)}`);
          batch.reject(this.failure);
          // Lines queued during the failed write (the field changed while this loop was awaiting).
          (this.open as Batch | undefined)?.reject(this.failure);
          this.open = undefined;
          return;
        } finally {
          this.inFlight = undefined;
        }
        batch.resolve();
        this.onFlushed();
      }
    } finally {
      this.loop = undefined;
    }
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
      throw new Error(`${file}:${firstBad}: unreadable write-ahead log record followed by readable ones (line ${line}); the log is damaged, not torn by a crash`);
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
