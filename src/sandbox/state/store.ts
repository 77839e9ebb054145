import { systemClock } from '../../model/clock';
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
};

/**
 * The live state plus what handlers need around it: id generation, a clock, a change signal (for
 * persistence) and the search lag setting.
 */
export class Store {
  constructor(
    public state: SandboxState,
    readonly options: { searchLagMs: number; onChange: () => void; nowMs?: () => number },
  ) {}

  nowMs(): number {
    return this.options.nowMs ? this.options.nowMs() : systemClock.now().getTime();
  }

  /** Current Unix time in seconds, as Intercom stamps records. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  changed(): void {
    this.options.onChange();
  }

  /** Numeric-string ids (conversations, tags, articles, …). */
  nextNumericId(kind: string): string {
    return String(this.nextNumber(kind));
  }

  nextNumber(kind: string): number {
    const next = (this.state.counters[kind] ?? COUNTER_BASES[kind] ?? 1) + 1;
    this.state.counters[kind] = next;
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
