import { type ProgressSink, type RecordOutcomeKind, waitingWords } from '../engine/progress';
import type { IntercomClient } from '../intercom';
import type { ObjectType } from '../model/object-types';

type Counts = Record<RecordOutcomeKind, number>;

/** "endUsers" → "end users": the source types as a person reads them. */
export const typeWords = (type: string): string => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

export interface PrinterOptions {
  /** What a successful record is called: "migrated", or "undone" for a rollback. */
  doneWord?: string;
  everyMs?: number;
}

/**
 * Progress on stderr (stdout stays for --json): phases, warnings, failed records as they happen,
 * and every few seconds a line of the current phase's counts per source type, with the request rate.
 * Counts restart with each phase, so a line never carries one phase's name over another's records.
 */
export class ProgressPrinter implements ProgressSink {
  private readonly byType = new Map<string, Counts>();
  private readonly totals: Counts = { migrated: 0, skipped: 0, failed: 0 };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly started = performance.now();
  private phaseName: string | undefined;
  private parked = 0;
  private readonly doneWord: string;

  constructor(
    private readonly client: IntercomClient | undefined,
    private readonly out: NodeJS.WritableStream = process.stderr,
    options: PrinterOptions = {},
  ) {
    this.doneWord = options.doneWord ?? 'migrated';
    this.timer = setInterval(() => this.tick(true), options.everyMs ?? 2000);
    this.timer.unref();
  }

  phase(name: string): void {
    if (this.phaseName !== undefined && this.byType.size > 0) this.tick();
    this.byType.clear();
    this.phaseName = name;
    this.out.write(`→ ${name}\n`);
  }

  record(objectType: ObjectType, sourceId: string, outcome: RecordOutcomeKind, detail: string): void {
    const counts = this.byType.get(objectType) ?? { migrated: 0, skipped: 0, failed: 0 };
    counts[outcome]++;
    this.byType.set(objectType, counts);
    this.totals[outcome]++;
    if (outcome === 'failed') this.out.write(`  ✗ ${typeWords(objectType)} ${sourceId}: ${detail}\n`);
  }

  info(message: string): void {
    this.out.write(`  ${message}\n`);
  }

  warn(message: string): void {
    this.out.write(`  ! ${message}\n`);
  }

  waiting(count: number): void {
    this.parked = count;
  }

  /** Records counted so far across every phase, for the summary of a run stopped at once. */
  total(): Readonly<Counts> {
    return this.totals;
  }

  private countsText(counts: Counts): string {
    const parts = [`${counts.migrated} ${this.doneWord}`];
    if (counts.skipped) parts.push(`${counts.skipped} skipped`);
    if (counts.failed) parts.push(`${counts.failed} failed`);
    return parts.join(', ');
  }

  private tick(periodic = false): void {
    // Nothing started (a refusal, a plan awaiting confirmation): no empty line of zeros.
    if (this.phaseName === undefined) return;
    // A phase still preparing (a rollback reading its run) has nothing to report yet; its last line still says so.
    if (periodic && this.byType.size === 0 && !this.parked) return;
    const stats = this.client?.stats();
    const seconds = (performance.now() - this.started) / 1000;
    const rate = stats
      ? ` · ${(stats.completed / Math.max(seconds, 1)).toFixed(1)} req/s${stats.throttled ? ` · ${stats.throttled} × 429` : ''}`
      : '';
    const waiting = this.parked ? ` · ${this.parked} ${waitingWords(this.parked)}` : '';
    const types = [...this.byType].map(([type, counts]) => `${typeWords(type)}: ${this.countsText(counts)}`);
    this.out.write(`  [${this.phaseName}] ${types.length ? types.join(' · ') : 'no records'}${waiting}${rate}\n`);
  }

  /** The current phase's final line, once (later calls do nothing). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tick();
  }
}
