import { systemClock } from '../../model/clock';
import { FileStore } from './file-store';
import type { SandboxState } from './types';

/** Id counters start at Intercom-looking magnitudes so ids resemble real ones. */
const COUNTER_BASES: Record<string, number> = {
  conversation: 215470000,
  message: 403918000,
  part: 33530000000,
  tag: 9100000,
  data_attribute: 1000,
  conversation_attribute: 2000,
  collection: 14000000,
  article: 9000000,
  custom_object: 31000,
  attachment: 1,
  option: 1,
  segment: 700,
  ticket: 1290,
  ticket_number: 30,
  ticket_type: 80,
  ticket_type_attribute: 170,
};

/**
 * Where a change happened: a top-level field of the state (`['segments']`), one record of a
 * collection (`['contacts', id]`), or one custom object instance (`['customObjects', type, id]`).
 * The empty path is the whole state (a reset).
 */
export type StatePath = readonly [] | readonly [keyof SandboxState, ...string[]];

/**
 * The live state plus what handlers need around it: id generation, a clock, a change signal (for
 * persistence) and the search lag setting.
 */
export class Store {
  /** Where the API is served (set once listening): file URLs point here. */
  publicUrl = '';

  constructor(
    public state: SandboxState,
    readonly options: {
      searchLagMs: number;
      archiveLagMs?: number;
      onChange: (path: StatePath) => void;
      nowMs?: () => number;
    },
    readonly files: FileStore = new FileStore(undefined),
  ) {}

  nowMs(): number {
    return this.options.nowMs ? this.options.nowMs() : systemClock.now().getTime();
  }

  /** Current Unix time in seconds, as Intercom stamps records. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /**
   * Says what a handler changed (after changing it). The write-ahead log records the value found at
   * this path when the request is answered, so a change not reported here is not durable: report
   * every record created, replaced, mutated or deleted, and a parent path for anything wider.
   */
  changed(...path: readonly [keyof SandboxState, ...string[]]): void {
    this.options.onChange(path);
  }

  /** Swaps in a whole new state (a reset); logged as a whole. */
  replaceState(next: SandboxState): void {
    this.state = next;
    this.options.onChange([]);
  }

  /** Numeric-string ids (conversations, tags, articles, …). */
  nextNumericId(kind: string): string {
    return String(this.nextNumber(kind));
  }

  nextNumber(kind: string): number {
    const next = (this.state.counters[kind] ?? COUNTER_BASES[kind] ?? 1) + 1;
    this.state.counters[kind] = next;
    // Counters are logged like records, so an id handed out before a crash is never handed out again.
    this.changed('counters', kind);
    return next;
  }

  /** 24-hex ids like Intercom's contact/company ids (ObjectId layout: seconds + counter). */
  nextHexId(kind: string): string {
    const n = this.nextNumber(`${kind}_hex`);
    return this.now().toString(16).padStart(8, '0') + n.toString(16).padStart(16, '0');
  }

  searchableAtMs(): number {
    return this.nowMs() + this.options.searchLagMs;
  }
}
