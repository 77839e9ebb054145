import type { JournalEntry } from '../model/journal';

/**
 * What a rollback run did, from its journal: a rollback journals undo intents and their outcomes, no
 * record entries, so the record counts of a rollback are all zero. Each write of the target run counts
 * once, by its latest outcome (a failed undo that a resumed attempt carried out is undone).
 */
export interface UndoCounts {
  /** Undo calls that changed Intercom (RollbackResult.undone). */
  undone: number;
  /** The object was gone already (404). */
  alreadyGone: number;
  /** Writes that went with an object deleted (a note on a deleted conversation). */
  covered: number;
  /** Undo calls whose latest outcome is a failure. */
  failed: number;
}

type State = 'undone' | 'gone' | 'covered' | 'failed';

export class UndoTally {
  private readonly targetOf = new Map<number, string>();
  private readonly states = new Map<string, State>();

  add(entry: JournalEntry): void {
    if (entry.type === 'intent') {
      if (entry.undoes) this.targetOf.set(entry.seq, `${entry.undoes.runId}:${entry.undoes.seq}`);
      return;
    }
    if (entry.type !== 'outcome') return;
    const target = this.targetOf.get(entry.intentSeq);
    if (target === undefined) return;
    const { outcome } = entry;
    if (outcome.result === 'applied') {
      // The rollback marks these two in relatedIds (src/engine/rollback.ts); a plain applied outcome changed Intercom.
      const related = outcome.relatedIds ?? {};
      this.states.set(
        target,
        related.coveredBy !== undefined ? 'covered' : related.note === 'already gone' ? 'gone' : 'undone',
      );
    } else if (outcome.result === 'failed' && this.states.get(target) === undefined) {
      this.states.set(target, 'failed');
    }
  }

  counts(): UndoCounts {
    const counts: UndoCounts = { undone: 0, alreadyGone: 0, covered: 0, failed: 0 };
    for (const state of this.states.values()) {
      if (state === 'undone') counts.undone++;
      else if (state === 'gone') counts.alreadyGone++;
      else if (state === 'covered') counts.covered++;
      else counts.failed++;
    }
    return counts;
  }
}
