import type { ErrorInfo, RecordCounts, RecordEntry, RecordState, RunCounts } from '../model/journal';
import type { ObjectType } from '../model/object-types';

/**
 * Report counts from `record` entries. A source record can be recorded more than once (a failed
 * attempt, then a resume that migrates it): the latest entry per (objectType, sourceId) wins.
 */
export class RecordTally {
  private readonly latest = new Map<string, { objectType: ObjectType; result: RecordState }>();

  add(entry: Pick<RecordEntry, 'objectType' | 'sourceId' | 'result'>): void {
    this.latest.set(recordKey(entry.objectType, entry.sourceId), {
      objectType: entry.objectType,
      result: entry.result,
    });
  }

  get size(): number {
    return this.latest.size;
  }

  /** Source records whose latest entry is a failure, with its error. */
  failures(): { objectType: ObjectType; sourceId: string; error: ErrorInfo }[] {
    const out: { objectType: ObjectType; sourceId: string; error: ErrorInfo }[] = [];
    for (const [key, { objectType, result }] of this.latest) {
      if (result.state === 'failed')
        out.push({ objectType, sourceId: key.slice(objectType.length + 1), error: result.error });
    }
    return out;
  }

  counts(): RunCounts {
    const counts: RunCounts = {};
    for (const { objectType, result } of this.latest.values()) {
      const c = (counts[objectType] ??= emptyCounts());
      if (result.state === 'migrated') c.migrated++;
      else if (result.state === 'skipped') {
        c.skipped++;
        c.skippedReasons[result.reason] = (c.skippedReasons[result.reason] ?? 0) + 1;
      } else {
        c.failed++;
        const reason = result.error.field
          ? `${result.error.errorClass}: ${result.error.field}`
          : result.error.errorClass;
        c.failedReasons[reason] = (c.failedReasons[reason] ?? 0) + 1;
      }
    }
    return counts;
  }
}

function emptyCounts(): RecordCounts {
  return { migrated: 0, skipped: 0, failed: 0, skippedReasons: {}, failedReasons: {} };
}

/** objectType names contain no ':', so the first ':' splits the key unambiguously. */
export function recordKey(objectType: ObjectType, sourceId: string): string {
  return `${objectType}:${sourceId}`;
}
