import type { CheckpointEntry, IntentEntry, JournalEntry, OutcomeEntry, RunStatus } from '../model/journal';
import { RecordTally } from './counts';
import { scanJournal, type JournalScan } from './journal-file';

/** What one run's journal says, folded in order: enough to resume it or report on it. */
export class RunState {
  lastSeq = 0;
  attempt = 0;
  status: RunStatus | undefined;
  readonly pending = new Map<number, IntentEntry>();
  readonly tally = new RecordTally();
  lastCheckpoint: CheckpointEntry | undefined;
  /** Seqs of intents with an outcome (any result): an outcome twice is a usage error. */
  readonly resolved = new Set<number>();

  apply(entry: JournalEntry): void {
    if (entry.seq > this.lastSeq) this.lastSeq = entry.seq;
    switch (entry.type) {
      case 'intent':
        this.pending.set(entry.seq, entry);
        return;
      case 'outcome':
        this.pending.delete(entry.intentSeq);
        this.resolved.add(entry.intentSeq);
        return;
      case 'record':
        this.tally.add(entry);
        return;
      case 'checkpoint':
        this.lastCheckpoint = entry;
        return;
      case 'run-status':
        this.status = entry.status;
        this.attempt = Math.max(this.attempt, entry.attempt);
        return;
      case 'watermark':
        return;
    }
  }

  pendingIntents(): IntentEntry[] {
    return [...this.pending.values()].sort((a, b) => a.seq - b.seq);
  }
}

export async function foldRunJournal(
  file: string,
  onEntry?: (entry: JournalEntry, offset: number) => void,
): Promise<{ state: RunState; scan: JournalScan }> {
  const state = new RunState();
  const scan = await scanJournal(file, (entry, offset) => {
    state.apply(entry);
    onEntry?.(entry, offset);
  });
  return { state, scan };
}

/** A write of a run that Intercom applied: the intent and its outcome. */
export interface AppliedWrite {
  intent: IntentEntry;
  outcome: OutcomeEntry & { outcome: { result: 'applied' } };
}

export function isApplied(entry: OutcomeEntry): entry is AppliedWrite['outcome'] {
  return entry.outcome.result === 'applied';
}
