import * as vscode from 'vscode';

import type { ProgressSink, RecordOutcomeKind } from '../engine/progress';
import { waitingWords } from '../engine/progress';
import type { IntercomClient } from '../intercom';
import type { ObjectType } from '../model/object-types';

/**
 * Where a run reports: every record's outcome and the run's messages go to the log channel, the
 * phase to the progress notification, and live counts with the request rate to a status bar item.
 */
export class RunProgress implements ProgressSink {
  readonly counts = { migrated: 0, skipped: 0, failed: 0 };
  private phaseName = 'starting';
  private readonly status: vscode.StatusBarItem;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly started = performance.now();
  private parked = 0;

  constructor(
    private readonly label: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly client: IntercomClient,
    private readonly notify: (message: string) => void,
    /** What a "migrated" outcome means to the reader: a rollback undoes. */
    private readonly done: string = 'migrated',
  ) {
    this.status = vscode.window.createStatusBarItem('st2ic.run', vscode.StatusBarAlignment.Left, 100);
    this.status.name = 'Migration run';
    this.status.command = 'st2ic.showOutput';
    this.status.show();
    this.timer = setInterval(() => this.update(), 1000);
    this.update();
  }

  phase(name: string, total?: number): void {
    this.phaseName = name;
    this.log.info(`→ ${name}${total === undefined ? '' : ` (${total})`}`);
    this.notify(name);
    this.update();
  }

  record(objectType: ObjectType, sourceId: string, outcome: RecordOutcomeKind, detail: string): void {
    this.counts[outcome]++;
    const word = outcome === 'migrated' ? this.done : outcome;
    const line = `${word.padEnd(8)} ${objectType} ${sourceId}${detail ? ` ${detail}` : ''}`;
    if (outcome === 'failed') this.log.error(line);
    else this.log.info(line);
  }

  info(message: string): void {
    this.log.info(message);
  }

  warn(message: string): void {
    this.log.warn(message);
  }

  waiting(count: number): void {
    this.parked = count;
  }

  /** The figures the status bar shows, also logged when the run ends. */
  summary(): string {
    const stats = this.client.stats();
    const seconds = Math.max((performance.now() - this.started) / 1000, 1);
    const throttled = stats.throttled ? ` · ${stats.throttled}×429` : '';
    const waiting = this.parked ? ` · ${this.parked} ${waitingWords(this.parked)}` : '';
    return `${this.counts.migrated} ${this.done} · ${this.counts.skipped} skipped · ${this.counts.failed} failed${waiting} · ${(stats.completed / seconds).toFixed(1)} req/s${throttled}`;
  }

  private update(): void {
    this.status.text = `$(sync~spin) ${this.label}: ${this.summary()}`;
    this.status.tooltip = `${this.label} run, phase ${this.phaseName}. Click to show the output.`;
    this.status.backgroundColor =
      this.counts.failed > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.status.dispose();
  }
}
