import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { stringify } from 'csv-stringify/sync';

import type { IntercomClient } from '../intercom';
import type { Ledger } from '../ledger';
import { type Clock, systemClock } from '../model/clock';
import type { MappingFile } from '../model/mapping';
import { OBJECT_TYPES, type ObjectType } from '../model/object-types';
import {
  RECONCILIATION_CSV_COLUMNS,
  ReconciliationReport,
  type ReconciliationRow,
  type TypeReconciliation,
} from '../model/reports';
import { migrationPaths } from '../model/workspace-paths';
import type { SourceReader } from '../source';
import { type LatestRecord, ledgerRecords } from './ledger-records';
import { reconciliationMarkdown } from './reconciliation-markdown';
import { sourceIdsOf } from './source-ids';
import type { FetchFile, SampleSize } from './verify/types';
import { verifyMigration } from './verify/verify';

/** How many unaccounted ids a type lists in the JSON and Markdown; the CSV has them all. */
const UNACCOUNTED_ID_CAP = 100;

export interface ReconciliationInput {
  ledger: Ledger;
  reader: SourceReader;
  client: IntercomClient;
  map: MappingFile;
  /** Omitted: the workspace's current state across runs (latest record entry per source record). */
  runId?: string;
  /** Migrated records read back per checked type (default: all of them), or a number for a quick look. */
  sample?: SampleSize;
  clock?: Clock;
  /** Downloads a file Intercom serves, to compare its content; omitted: names and sizes only. */
  fetchFile?: FetchFile;
}

/** The report plus every skipped, failed and unaccounted record (the CSV). */
export interface Reconciliation {
  report: ReconciliationReport;
  rows: ReconciliationRow[];
}

const DEFAULT_SAMPLE: SampleSize = 'all';

/**
 * Reconciles the ledger with the source and with Intercom. Counts come from the ledger's `record`
 * entries, the latest per source record; source counts from reader.insights.counts(). For every
 * object type the scope covers, each source record without any record entry is listed as
 * unaccounted, so a gap shows instead of hiding in a total.
 */
export async function buildReconciliation(input: ReconciliationInput): Promise<Reconciliation> {
  const { ledger, reader } = input;
  const records = await ledgerRecords(ledger, input.runId);
  const sourceCounts = await reader.insights.counts();
  const rows: ReconciliationRow[] = [];
  const types: TypeReconciliation[] = [];

  for (const objectType of OBJECT_TYPES) {
    const recs = records.byType.get(objectType) ?? new Map<string, LatestRecord>();
    const counts = records.counts[objectType] ?? {
      migrated: 0,
      skipped: 0,
      failed: 0,
      skippedReasons: {},
      failedReasons: {},
    };
    const covered = recs.size > 0;
    const unaccountedIds: string[] = [];
    let unaccounted = 0;
    let otherRuns = 0;
    let notInSource = 0;
    if (covered) {
      let matched = 0;
      // Attachment ids repeat across owners (ticket and call-log attachments are numbered apart) and
      // the engine journals the bare id: count each id once so matches are never counted twice.
      const seen = new Set<string>();
      for await (const id of sourceIdsOf(reader, objectType)) {
        if (seen.has(id)) continue;
        seen.add(id);
        if (recs.has(id)) {
          matched++;
          continue;
        }
        // A run's reconciliation: a record another run of the workspace handled (a sample before a
        // full run, a delta after it) is not a gap of this run.
        if (input.runId !== undefined && ledger.recordState(objectType, id) !== undefined) {
          otherRuns++;
          continue;
        }
        unaccounted++;
        if (unaccountedIds.length < UNACCOUNTED_ID_CAP) unaccountedIds.push(id);
        rows.push({
          objectType,
          sourceId: id,
          state: 'unaccounted',
          reason: 'no record entry in the ledger',
          field: '',
          message: '',
          runId: '',
        });
      }
      notInSource = recs.size - matched;
    }
    const failedReasons = new Map<string, { errorClass: string; field: string | null; count: number }>();
    let cut = 0;
    let placeholderOpeners = 0;
    let agentOpened = 0;
    let asIntercomTickets = 0;
    for (const r of [...recs.values()].sort(bySourceId)) {
      if (r.result.state === 'migrated') {
        if (r.result.intercomObject === 'ticket') asIntercomTickets++;
        if (r.result.cut?.length) cut++;
        for (const c of r.result.cut ?? []) {
          rows.push({
            objectType,
            sourceId: r.sourceId,
            state: 'cut',
            reason: c.keptInNote ? 'cut, whole value kept in a note' : 'cut',
            field: c.field,
            message: `${c.length} characters cut to ${c.limit}`,
            runId: r.runId,
          });
        }
        if (r.result.opener) {
          placeholderOpeners++;
          if (r.result.opener === 'agent-opened') agentOpened++;
          rows.push({
            objectType,
            sourceId: r.sourceId,
            state: 'opener',
            reason: r.result.opener,
            field: '',
            message:
              r.result.opener === 'agent-opened'
                ? "opened by an agent: a placeholder opens the conversation, the agent's message follows as a reply"
                : 'no customer message first: a placeholder opens the conversation',
            runId: r.runId,
          });
        }
      } else if (r.result.state === 'skipped') {
        rows.push({
          objectType,
          sourceId: r.sourceId,
          state: 'skipped',
          reason: r.result.reason,
          field: '',
          message: '',
          runId: r.runId,
        });
      } else if (r.result.state === 'failed') {
        const { errorClass, field, message } = r.result.error;
        rows.push({
          objectType,
          sourceId: r.sourceId,
          state: 'failed',
          reason: errorClass,
          field: field ?? '',
          message,
          runId: r.runId,
        });
        const key = `${errorClass}\u0000${field ?? ''}`;
        const group = failedReasons.get(key) ?? { errorClass, field: field ?? null, count: 0 };
        group.count++;
        failedReasons.set(key, group);
      }
    }
    const source = sourceCounts[objectType] ?? 0;
    if (!covered && source === 0) continue;
    types.push({
      objectType,
      source,
      covered,
      migrated: counts.migrated,
      skipped: counts.skipped,
      failed: counts.failed,
      skippedReasons: Object.entries(counts.skippedReasons)
        .map(([reason, count]) => ({ reason, count }))
        .sort(byCountThenName((r) => r.reason)),
      failedReasons: [...failedReasons.values()].sort(byCountThenName((r) => `${r.errorClass} ${r.field ?? ''}`)),
      unaccounted,
      unaccountedIds,
      otherRuns,
      notInSource,
      cut,
      placeholderOpeners,
      asIntercomTickets,
      agentOpened,
    });
  }

  const fieldCheck = await verifyMigration({
    reader,
    client: input.client,
    map: input.map,
    ledger,
    records,
    sample: input.sample ?? DEFAULT_SAMPLE,
    ...(input.fetchFile ? { fetchFile: input.fetchFile } : {}),
  });
  const sum = (pick: (t: TypeReconciliation) => number) => types.reduce((n, t) => n + pick(t), 0);
  const description = await reader.describe();
  const report = ReconciliationReport.parse({
    kind: 'st2ic.reconciliation',
    version: 1,
    generatedAt: (input.clock ?? systemClock).now().toISOString(),
    scope: records.scope,
    source: { engine: description.engine, location: description.location, tablePrefix: description.tablePrefix },
    types,
    totals: {
      source: sum((t) => t.source),
      migrated: sum((t) => t.migrated),
      skipped: sum((t) => t.skipped),
      failed: sum((t) => t.failed),
      unaccounted: sum((t) => t.unaccounted),
    },
    fieldCheck,
  });
  return { report, rows: rows.sort(byRow) };
}

const TYPE_ORDER = new Map<ObjectType, number>(OBJECT_TYPES.map((t, i) => [t, i]));

/** Numeric ids in numeric order, composite ids (`3:17`) by their parts. */
export function compareSourceIds(a: string, b: string): number {
  const pa = a.split(':');
  const pb = b.split(':');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

const bySourceId = (a: { sourceId: string }, b: { sourceId: string }): number =>
  compareSourceIds(a.sourceId, b.sourceId);

function byRow(a: ReconciliationRow, b: ReconciliationRow): number {
  return (
    (TYPE_ORDER.get(a.objectType) ?? 0) - (TYPE_ORDER.get(b.objectType) ?? 0) ||
    compareSourceIds(a.sourceId, b.sourceId)
  );
}

function byCountThenName<T extends { count: number }>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => b.count - a.count || name(a).localeCompare(name(b));
}

/** RFC 4180: CRLF line ends, every field quoted when it holds a quote, comma or line break. */
export function reconciliationCsv(rows: readonly ReconciliationRow[]): string {
  return stringify(
    rows.map((r) => RECONCILIATION_CSV_COLUMNS.map((c) => r[c])),
    { header: true, columns: [...RECONCILIATION_CSV_COLUMNS], record_delimiter: 'windows' },
  );
}

function reconciliationBaseName(report: ReconciliationReport): string {
  return `reconciliation-${report.scope.mode === 'run' ? report.scope.runId : 'current'}`;
}

/**
 * Writes <workspace>/migration/reports/reconciliation-<run-id>.md, .json and .csv
 * (`reconciliation-current.*` for the workspace's state across runs); returns their paths.
 */
export async function writeReconciliation(
  workspace: string,
  reconciliation: Reconciliation,
): Promise<{ markdown: string; json: string; csv: string }> {
  const dir = migrationPaths(workspace).reports;
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, reconciliationBaseName(reconciliation.report));
  const files = { markdown: `${base}.md`, json: `${base}.json`, csv: `${base}.csv` };
  await writeFile(files.json, JSON.stringify(reconciliation.report, null, 2) + '\n');
  await writeFile(files.csv, reconciliationCsv(reconciliation.rows));
  await writeFile(files.markdown, reconciliationMarkdown(reconciliation.report, path.basename(files.csv)));
  return files;
}
