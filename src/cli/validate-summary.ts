import type { ReconciliationReport } from '../model/reports';

/**
 * The lines `st2ic validate` prints: the totals, with what they leave out named (types no ledger
 * record covers, records other runs hold), then the read-back per type and what was not compared.
 */
export function validateSummary(report: ReconciliationReport, runId?: string): string {
  const { totals, fieldCheck } = report;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const out: string[] = [];
  const notCovered = report.types.filter((t) => !t.covered && t.source > 0);
  const otherRuns = report.types.reduce((n, t) => n + (t.covered ? t.otherRuns : 0), 0);
  const leftOut = [
    notCovered.length
      ? `${fmt(notCovered.reduce((n, t) => n + t.source, 0))} not covered (${notCovered.map((t) => t.objectType).join(', ')}: no ledger record of these types, so none expected)`
      : '',
    otherRuns ? `${fmt(otherRuns)} recorded by other runs` : '',
  ].filter(Boolean);
  out.push(
    `Reconciliation${runId ? ` of ${runId}` : ' of the workspace'}: source ${fmt(totals.source)}, migrated ${fmt(totals.migrated)}, skipped ${fmt(totals.skipped)}, failed ${fmt(totals.failed)}, unaccounted ${fmt(totals.unaccounted)}${leftOut.length ? `; of the source, ${leftOut.join(' and ')}` : ''}`,
  );
  out.push(
    `Read back from Intercom and compared with the source (${fieldCheck.sample === 'all' ? 'every migrated record' : `up to ${fieldCheck.sample} per type`}):`,
  );
  for (const t of fieldCheck.types) {
    if (t.checked === 0) continue;
    out.push(
      `  ${t.objectType.padEnd(16)} ${String(t.fidelity).padStart(6)}%  ${t.checked - t.withMismatches} of ${t.checked} exact`,
    );
  }
  const migratedUnread = fieldCheck.types.filter((t) => t.checked === 0 && t.migrated > 0);
  if (migratedUnread.length)
    out.push(
      `  not read back: ${migratedUnread.map((t) => `${t.objectType} (${fmt(t.migrated)} migrated)`).join(', ')}`,
    );
  for (const u of fieldCheck.unchecked) out.push(`  not compared: ${u.objectType} ${u.what} (${fmt(u.count)})`);
  out.push(`${fieldCheck.mismatches.length} difference(s)`);
  return `${out.join('\n')}\n`;
}
