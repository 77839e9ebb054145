import type { ObjectType } from '../model/object-types';

export type RecordOutcomeKind = 'migrated' | 'skipped' | 'failed';

/** What a run tells whoever drives it (CLI on stderr, the extension in its output channel and status bar). */
export interface ProgressSink {
  phase(name: string, total?: number): void;
  record(objectType: ObjectType, sourceId: string, outcome: RecordOutcomeKind, detail: string): void;
  /** Free-text lines worth showing (plans, warnings). */
  info(message: string): void;
  warn(message: string): void;
  /** Records parked on a write whose outcome Intercom has not confirmed yet (the run goes on meanwhile). */
  waiting?(count: number): void;
}

/** "writes waiting for Intercom to confirm" (after the count). */
export function waitingWords(count: number): string {
  return `${count === 1 ? 'write' : 'writes'} waiting for Intercom to confirm`;
}

const silentProgress: ProgressSink = { phase() {}, record() {}, info() {}, warn() {} };

/** Counts outcomes as they stream by; drivers show these live. */
export class ProgressCounter implements ProgressSink {
  readonly counts = { migrated: 0, skipped: 0, failed: 0 };
  private readonly failedOnce = new Set<string>();
  currentPhase = '';
  phaseTotal: number | undefined;
  phaseDone = 0;

  constructor(private readonly inner: ProgressSink = silentProgress) {}

  phase(name: string, total?: number): void {
    this.currentPhase = name;
    this.phaseTotal = total;
    this.phaseDone = 0;
    this.inner.phase(name, total);
  }

  record(objectType: ObjectType, sourceId: string, outcome: RecordOutcomeKind, detail: string): void {
    // A record asked again after it failed (the run's second pass) counts once, as it ended.
    const key = `${objectType}:${sourceId}`;
    if (this.failedOnce.delete(key)) this.counts.failed--;
    if (outcome === 'failed') this.failedOnce.add(key);
    this.counts[outcome]++;
    this.phaseDone++;
    this.inner.record(objectType, sourceId, outcome, detail);
  }

  info(message: string): void {
    this.inner.info(message);
  }

  warn(message: string): void {
    this.inner.warn(message);
  }

  waiting(count: number): void {
    this.inner.waiting?.(count);
  }
}
