import { type Ledger, recordKey, RecordTally } from '../ledger';
// The ledger's public surface counts a run but does not list its records; the report needs each one.
import { scanJournal } from '../ledger/journal-file';
import type { RecordState, RunCounts } from '../model/journal';
import { ObjectType } from '../model/object-types';
import type { ReconciliationScope } from '../model/reports';

/** The final state of one source record: the latest `record` entry for it in the scope. */
export interface LatestRecord {
  objectType: ObjectType;
  sourceId: string;
  runId: string;
  result: RecordState;
}

export interface LedgerRecords {
  scope: ReconciliationScope;
  /** objectType → sourceId → latest record. */
  byType: Map<ObjectType, Map<string, LatestRecord>>;
  /** The ledger's own counts of the same records (latest entry per source record wins). */
  counts: RunCounts;
}

function add(byType: LedgerRecords['byType'], record: LatestRecord): void {
  let records = byType.get(record.objectType);
  if (!records) byType.set(record.objectType, (records = new Map()));
  records.set(record.sourceId, record);
}

/**
 * The records of one run (its journal, latest entry per record), or without a run id the workspace's
 * current state across runs (the ledger index: what delta and rollback also see).
 */
export async function ledgerRecords(ledger: Ledger, runId?: string): Promise<LedgerRecords> {
  const byType: LedgerRecords['byType'] = new Map();
  if (runId !== undefined) {
    const details = await ledger.readRun(runId);
    const counts = await ledger.countRun(runId);
    await scanJournal(ledger.paths.journal(runId), (entry) => {
      if (entry.type === 'record')
        add(byType, {
          objectType: entry.objectType,
          sourceId: entry.sourceId,
          runId: entry.runId,
          result: entry.result,
        });
    });
    return { scope: { mode: 'run', runId, kind: details.meta.kind, status: details.meta.status }, byType, counts };
  }
  const snapshot = ledger.indexSnapshot();
  const tally = new RecordTally();
  for (const [key, state] of snapshot.records) {
    const split = key.indexOf(':');
    const objectType = ObjectType.parse(key.slice(0, split));
    const sourceId = key.slice(split + 1);
    if (recordKey(objectType, sourceId) !== key) throw new Error(`ledger index: unexpected record key ${key}`);
    tally.add({ objectType, sourceId, result: state.result });
    add(byType, { objectType, sourceId, runId: state.runId, result: state.result });
  }
  const runIds = snapshot.runs.filter((r) => r.kind !== 'dry-run').map((r) => r.id);
  return { scope: { mode: 'workspace', runIds }, byType, counts: tally.counts() };
}
