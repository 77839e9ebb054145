import { z } from 'zod';

import {
  IntentBody,
  type IntentEntry,
  type JournalEntry,
  JsonValue,
  RECORD_CREATING_OPS,
  RecordState,
  RunId,
  RunKind,
  type RunMeta,
} from '../model/journal';
import type { ObjectType } from '../model/object-types';
import { recordKey } from './counts';

/** Where a source record lives in Intercom, across runs. */
export const IdMapping = z.object({
  intercomId: z.string(),
  /** The run that last wrote or recorded it. */
  runId: RunId,
  /** The run whose create produced it; absent when it existed before the migration. */
  createdByRun: RunId.optional(),
  existedBefore: z.boolean(),
  /** The first before-image captured for a pre-existing object: its state before the migration touched it. */
  beforeImage: JsonValue.optional(),
});
export type IdMapping = z.infer<typeof IdMapping>;

export const RecordStateAt = z.object({ runId: RunId, result: RecordState });
export type RecordStateAt = z.infer<typeof RecordStateAt>;

const OpenIntent = IntentBody.pick({
  op: true,
  objectType: true,
  sourceId: true,
  target: true,
  existedBefore: true,
  beforeImage: true,
  undoes: true,
});
type OpenIntent = z.infer<typeof OpenIntent>;

export const IndexSnapshot = z.object({
  runs: z.array(z.object({ id: RunId, kind: RunKind, rollbackOf: RunId.optional(), completed: z.boolean() })),
  ids: z.array(z.tuple([z.string(), IdMapping])),
  records: z.array(z.tuple([z.string(), RecordStateAt])),
  openIntents: z.array(z.tuple([RunId, z.array(z.tuple([z.number().int(), OpenIntent]))])),
});
export type IndexSnapshot = z.infer<typeof IndexSnapshot>;

interface Slot {
  mapping: IdMapping | undefined;
  record: RecordStateAt | undefined;
}

interface RunInfo {
  /** The one copy of the run id every mapping points to (100k copies of a 30-char id add up). */
  id: string;
  kind: RunKind;
  rollbackOf?: string;
  completed: boolean;
}

/**
 * The cross-run index, folded from journal entries in run order (run ids sort by start time). It is
 * derived data: `rebuild` from the journals always gives the same state as the cached snapshot.
 *
 * Rules: applied creates (create/reply/note) and migrated records map (objectType, sourceId) to an
 * Intercom id; updates of pre-existing objects keep the first before-image. Dry runs do not count.
 * A rollback's applied undo removes what its target run established for that record; a completed
 * rollback removes every record state of its target.
 */
export class LedgerIndex {
  private readonly runs = new Map<string, RunInfo>();
  /** One slot per source record holding both facts: one key string and one map entry per record. */
  private readonly slots = new Map<string, Slot>();
  private idCount = 0;
  private recordCount = 0;
  /** Intents still waiting for their outcome, per run: only these need remembering to apply outcomes. */
  private readonly openIntents = new Map<string, Map<number, OpenIntent>>();

  beginRun(meta: Pick<RunMeta, 'id' | 'kind' | 'rollbackOf'>): void {
    if (this.runs.has(meta.id)) return;
    this.runs.set(meta.id, { id: meta.id, kind: meta.kind, rollbackOf: meta.rollbackOf, completed: false });
  }

  hasRun(runId: string): boolean {
    return this.runs.has(runId);
  }

  apply(entry: JournalEntry): void {
    const run = this.runs.get(entry.runId);
    if (!run) throw new Error(`index: entry for unknown run ${entry.runId}`);
    if (run.kind === 'dry-run') return;
    const runId = run.id;
    switch (entry.type) {
      case 'intent':
        this.openIntentsOf(entry.runId).set(entry.seq, pickOpen(entry));
        return;
      case 'outcome': {
        const open = this.openIntents.get(entry.runId);
        const intent = open?.get(entry.intentSeq);
        if (!intent) return;
        open?.delete(entry.intentSeq);
        if (entry.outcome.result === 'applied') this.applyWrite(runId, intent, entry.outcome.intercomId);
        return;
      }
      case 'record': {
        const key = recordKey(entry.objectType, entry.sourceId);
        let result = entry.result;
        if (result.state === 'migrated') {
          const existing = this.slots.get(key)?.mapping;
          // Keep one copy of the id string for both facts.
          const intercomId = existing?.intercomId === result.intercomId ? existing.intercomId : result.intercomId;
          result = { ...result, intercomId };
          this.setMapping(key, {
            ...existing,
            intercomId,
            runId,
            existedBefore: existing?.existedBefore ?? result.existedBefore ?? false,
          });
        }
        this.setRecord(key, { runId, result });
        return;
      }
      case 'run-status':
        run.completed = entry.status === 'completed';
        if (run.kind === 'rollback' && run.rollbackOf && run.completed) this.forgetRunRecords(run.rollbackOf);
        return;
      case 'watermark':
      case 'checkpoint':
        return; // written by older versions only; nothing reads them
    }
  }

  private applyWrite(runId: string, intent: OpenIntent, intercomId: string): void {
    const key = recordKey(intent.objectType, intent.sourceId);
    if (intent.undoes) {
      const target = intent.undoes.runId;
      const slot = this.slots.get(key);
      if (slot?.record?.runId === target) this.setRecord(key, undefined);
      if (slot?.mapping && RECORD_CREATING_OPS.includes(intent.undoes.op) && slot.mapping.createdByRun === target)
        this.setMapping(key, undefined);
      return;
    }
    const existing = this.slots.get(key)?.mapping;
    if (RECORD_CREATING_OPS.includes(intent.op)) {
      this.setMapping(key, { intercomId, runId, createdByRun: runId, existedBefore: false });
    } else if (intent.op === 'update' && intent.existedBefore) {
      this.setMapping(key, {
        intercomId: existing?.intercomId ?? intent.target.intercomId ?? intercomId,
        runId,
        createdByRun: existing?.createdByRun,
        existedBefore: existing?.existedBefore ?? true,
        beforeImage: existing?.beforeImage ?? intent.beforeImage,
      });
    }
  }

  private setMapping(key: string, mapping: IdMapping | undefined): void {
    const slot = this.slotFor(key);
    this.idCount += (mapping ? 1 : 0) - (slot.mapping ? 1 : 0);
    slot.mapping = mapping && compactMapping(mapping);
    this.dropIfEmpty(key, slot);
  }

  private setRecord(key: string, record: RecordStateAt | undefined): void {
    const slot = this.slotFor(key);
    this.recordCount += (record ? 1 : 0) - (slot.record ? 1 : 0);
    slot.record = record;
    this.dropIfEmpty(key, slot);
  }

  private slotFor(key: string): Slot {
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { mapping: undefined, record: undefined }));
    return slot;
  }

  private dropIfEmpty(key: string, slot: Slot): void {
    if (!slot.mapping && !slot.record) this.slots.delete(key);
  }

  private forgetRunRecords(runId: string): void {
    for (const [key, slot] of this.slots) {
      if (slot.record?.runId === runId) this.setRecord(key, undefined);
      if (slot.mapping?.createdByRun === runId) this.setMapping(key, undefined);
    }
  }

  private openIntentsOf(runId: string): Map<number, OpenIntent> {
    let open = this.openIntents.get(runId);
    if (!open) this.openIntents.set(runId, (open = new Map()));
    return open;
  }

  /** Some run has a write of this record whose outcome is unknown (a lookup decides it before anything is sent). */
  hasOpenIntent(objectType: ObjectType, sourceId: string): boolean {
    for (const open of this.openIntents.values()) {
      for (const intent of open.values())
        if (intent.objectType === objectType && intent.sourceId === sourceId) return true;
    }
    return false;
  }

  intercomIdFor(objectType: ObjectType, sourceId: string): string | undefined {
    return this.slots.get(recordKey(objectType, sourceId))?.mapping?.intercomId;
  }

  mapping(objectType: ObjectType, sourceId: string): IdMapping | undefined {
    return this.slots.get(recordKey(objectType, sourceId))?.mapping;
  }

  recordState(objectType: ObjectType, sourceId: string): RecordStateAt | undefined {
    return this.slots.get(recordKey(objectType, sourceId))?.record;
  }

  get size(): { ids: number; records: number } {
    return { ids: this.idCount, records: this.recordCount };
  }

  private sortedSlots(): [string, Slot][] {
    return [...this.slots].sort(byKey);
  }

  snapshot(): IndexSnapshot {
    return {
      runs: [...this.runs].sort(byKey).map(([, info]) => withoutUndefined({ ...info })),
      ids: this.sortedSlots().flatMap(([key, slot]): [string, IdMapping][] =>
        slot.mapping ? [[key, slot.mapping]] : [],
      ),
      records: this.sortedSlots().flatMap(([key, slot]): [string, RecordStateAt][] =>
        slot.record ? [[key, slot.record]] : [],
      ),
      openIntents: [...this.openIntents].filter(([, open]) => open.size > 0).map(([runId, open]) => [runId, [...open]]),
    };
  }

  static fromSnapshot(snapshot: IndexSnapshot): LedgerIndex {
    const index = new LedgerIndex();
    for (const run of snapshot.runs)
      index.runs.set(run.id, { id: run.id, kind: run.kind, rollbackOf: run.rollbackOf, completed: run.completed });
    const canonical = (runId: string): string => index.runs.get(runId)?.id ?? runId;
    for (const [key, mapping] of snapshot.ids) {
      mapping.runId = canonical(mapping.runId);
      if (mapping.createdByRun) mapping.createdByRun = canonical(mapping.createdByRun);
      index.setMapping(key, mapping);
    }
    for (const [key, state] of snapshot.records) index.setRecord(key, { ...state, runId: canonical(state.runId) });
    for (const [runId, open] of snapshot.openIntents) index.openIntents.set(runId, new Map(open));
    return index;
  }
}

const byKey = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Same fields every time, absent ones left out: small objects sharing one shape (100k of them). */
function compactMapping(m: IdMapping): IdMapping {
  const { intercomId, runId, existedBefore, createdByRun } = m;
  if (m.beforeImage !== undefined) return withoutUndefined(m);
  // Literals, not added properties: all fields stay inside the object.
  return createdByRun === undefined
    ? { intercomId, runId, existedBefore }
    : { intercomId, runId, createdByRun, existedBefore };
}

function pickOpen(entry: IntentEntry): OpenIntent {
  const { op, objectType, sourceId, target, existedBefore, beforeImage, undoes } = entry;
  return withoutUndefined({ op, objectType, sourceId, target, existedBefore, beforeImage, undoes });
}
