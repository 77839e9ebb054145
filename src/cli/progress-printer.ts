import type { IntercomClient } from '../intercom';
import { waitingWords, type ProgressSink, type RecordOutcomeKind } from '../engine/progress';
import type { ObjectType } from '../model/object-types';

/**
 * Progress on stderr (stdout stays for --json): phases, warnings, failed records as they happen,
 * and a line of counts and request rate every few seconds.
 */
export class ProgressPrinter implements ProgressSink {
  private readonly counts = { migrated: 0, skipped: 0, failed: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();
  private phaseName = '';
  private parked = 0;

  constructor(private readonly client: IntercomClient | undefined, private readonly out: NodeJS.WritableStream = process.stderr, everyMs = 2000) {
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  phase(name: string): void {
    this.phaseName = name;
    this.out.write(`→ ${name}\n`);
  }

  record(objectType: ObjectType, sourceId: string, outcome: RecordOutcomeKind, detail: string): void {
    this.counts[outcome]++;
    if (outcome === 'failed') this.out.write(`  ✗ ${objectType} ${sourceId}: ${detail}\n`);
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

  private tick(): void {
    const stats = this.client?.stats();
    const seconds = (performance.now() - this.started) / 1000;
    const rate = stats ? ` · ${(stats.completed / Math.max(seconds, 1)).toFixed(1)} req/s${stats.throttled ? ` · ${stats.throttled} × 429` : ''}` : '';
    const waiting = this.parked ? ` · ${this.parked} ${waitingWords(this.parked)}` : '';
    this.out.write(`  [${this.phaseName}] migrated ${this.counts.migrated} · skipped ${this.counts.skipped} · failed ${this.counts.failed}${waiting}${rate}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tick();
  }
}
