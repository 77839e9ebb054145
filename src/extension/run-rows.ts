import type { UndoCounts } from '../ledger';
import { findingsOf } from '../reports/run-findings';
import type { RunEntry } from './ledger-runs';
import { countsText } from './run-counts';

// What the Runs view shows for one run of the ledger (vscode-free, so it is unit-tested against the
// manifest's menus): a rollback counts the writes it undid, a run rolled back since is marked and
// offers neither Validate nor Roll Back, a run that left something to act on is a warning.

export type RunLook =
  'completed' | 'completedWithFindings' | 'running' | 'interrupted' | 'failed' | 'cancelled' | 'rolledBack';

export interface RunRow {
  label: string;
  description: string;
  tooltip: string[];
  look: RunLook;
  /** Read by the manifest's view/item/context menus: `run.<kind>.<status or rolledBack>[.report]`. */
  contextValue: string;
}

/** "489 undone · 3 already gone · 1 failed". */
export function undoText(undo: UndoCounts): string {
  return [
    `${undo.undone} undone`,
    ...(undo.alreadyGone ? [`${undo.alreadyGone} already gone`] : []),
    ...(undo.failed ? [`${undo.failed} failed`] : []),
  ].join(' · ');
}

export function describeRun(entry: RunEntry, context: { rolledBackBy?: string; hasReport: boolean }): RunRow {
  const { summary, counts, undo } = entry;
  const meta = summary.meta;
  const status = summary.interrupted ? 'interrupted' : meta.status;
  const when = meta.startedAt.replace('T', ' ').slice(0, 16);
  const figures = undo ? undoText(undo) : countsText(counts);
  const findings = undo ? [] : findingsOf(counts);
  const failedUndo = (undo?.failed ?? 0) > 0;
  const look: RunLook = context.rolledBackBy
    ? 'rolledBack'
    : summary.interrupted
      ? 'interrupted'
      : meta.status === 'completed'
        ? findings.length > 0 || failedUndo
          ? 'completedWithFindings'
          : 'completed'
        : meta.status;
  return {
    label: `${meta.kind}${meta.rollbackOf ? ` of ${meta.rollbackOf}` : ''} · ${status}`,
    description: [...(context.rolledBackBy ? [`rolled back by ${context.rolledBackBy}`] : []), when, figures].join(
      ' · ',
    ),
    tooltip: [
      `**${meta.id}**`,
      `${meta.kind}, ${status}, ${meta.attempts} attempt(s)`,
      ...(context.rolledBackBy ? [`Rolled back by ${context.rolledBackBy}: its writes are undone in Intercom.`] : []),
      `Source: ${meta.source.description}`,
      `Map ${meta.mappingHash.slice(0, 12)}`,
      figures,
      ...(undo?.covered ? [`${undo.covered} other write(s) went with the objects deleted`] : []),
      ...findings.map((f) => `⚠ ${f.text}`),
    ],
    look,
    contextValue: `run.${meta.kind}.${context.rolledBackBy ? 'rolledBack' : meta.status}${context.hasReport ? '.report' : ''}`,
  };
}
