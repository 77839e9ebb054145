import type { Hash } from 'node:crypto';

import type { IntentEntry, JournalEntry, OutcomeEntry, RunOrigin, RunStatus } from '../model/journal';
import { RecordTally } from './counts';
import { type JournalScan, scanJournal } from './journal-file';

/** What one run's journal says, folded in order: enough to resume it or report on it. */
export class RunState {
  lastSeq = 0;
  attempt = 0;
  status: RunStatus | undefined;
  /** When the latest run-status entry was written (run.json's finishedAt, when it ends the run). */
  statusAt: string | undefined;
  /** The run's origin, from the first attempt entry that carries it (format 1); undefined in format-0 journals. */
  origin: RunOrigin | undefined;
  /** The run id the entries carry (all the same in a sound journal). */
  runId: string | undefined;
  readonly pending = new Map<number, IntentEntry>();
  readonly tally = new RecordTally();
  /** Seqs of intents with an outcome (any result): an outcome twice is a usage error. */
  readonly resolved = new Set<number>();

  apply(entry: JournalEntry): void {
    if (entry.seq > this.lastSeq) this.lastSeq = entry.seq;
    this.runId ??= entry.runId;
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
      case 'run-status':
        this.status = entry.status;
        this.statusAt = entry.at;
        this.attempt = Math.max(this.attempt, entry.attempt);
        this.origin ??= entry.run;
        return;
      case 'watermark':
      case 'checkpoint':
        return; // written by older versions only; nothing reads them
    }
  }

  pendingIntents(): IntentEntry[] {
    return [...this.pending.values()].sort((a, b) => a.seq - b.seq);
  }
}

export async function foldRunJournal(
  file: string,
  onEntry?: (entry: JournalEntry, offset: number) => void,
  options: { hash?: Hash } = {},
): Promise<{ state: RunState; scan: JournalScan }> {
  const state = new RunState();
  const scan = await scanJournal(
    file,
    (entry, offset) => {
      state.apply(entry);
      onEntry?.(entry, offset);
    },
    options,
  );
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
