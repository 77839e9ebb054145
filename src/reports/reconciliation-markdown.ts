import type { ReconciliationReport } from '../model/reports';
import { MARKDOWN_ID_CAP } from './scope-markdown';

const fmt = (n: number) => n.toLocaleString('en-US');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** reconciliation-<run>.md: the reconciliation for people. */
export function reconciliationMarkdown(report: ReconciliationReport, csvName: string): string {
  const out: string[] = [];
  const scope = report.scope;
  out.push('# Reconciliation', '');
  out.push(
    scope.mode === 'run'
      ? `Run \`${scope.runId}\` (${scope.kind}, ${scope.status}), generated ${report.generatedAt}.`
      : `Current state of the workspace across ${fmt(scope.runIds.length)} run(s) (latest record per source record), generated ${report.generatedAt}.`,
  );
  out.push(
    `Source: ${report.source.engine} \`${report.source.location}\` (table prefix \`${report.source.tablePrefix}\`).`,
  );
  out.push(
    `Every skipped, failed and unaccounted record, every cut value and every placeholder opener is listed in \`${csvName}\`.`,
    '',
  );

  const t = report.totals;
  const gaps = report.types.filter((x) => x.unaccounted > 0);
  const failedTypes = report.types.filter((x) => x.failed > 0);
  out.push('## Verdict', '');
  out.push(
    `- ${fmt(t.migrated)} migrated, ${fmt(t.skipped)} skipped, ${fmt(t.failed)} failed, ${fmt(t.unaccounted)} unaccounted.`,
  );
  out.push(
    gaps.length
      ? `- **Gap:** ${gaps.map((x) => `${fmt(x.unaccounted)} ${x.objectType}`).join(', ')} without any record in the ledger.`
      : '- No gap: every source record of the covered object types has a record in the ledger.',
  );
  if (failedTypes.length)
    out.push(`- **Failed:** ${failedTypes.map((x) => `${fmt(x.failed)} ${x.objectType}`).join(', ')}.`);
  const cutTypes = report.types.filter((x) => x.cut > 0);
  if (cutTypes.length)
    out.push(
      `- **Cut:** ${cutTypes.map((x) => `${fmt(x.cut)} ${x.objectType}`).join(', ')} migrated with a value cut to an Intercom limit (each in \`${csvName}\`).`,
    );
  const ticketTypes = report.types.filter((x) => x.asIntercomTickets > 0);
  if (ticketTypes.length)
    out.push(
      `- As Intercom tickets: ${ticketTypes.map((x) => `${fmt(x.asIntercomTickets)} of ${fmt(x.migrated)} migrated ${x.objectType}`).join(', ')} (the rest are conversations).`,
    );
  const openerTypes = report.types.filter((x) => x.placeholderOpeners > 0);
  if (openerTypes.length)
    out.push(
      `- Openers: ${openerTypes.map((x) => `${fmt(x.placeholderOpeners)} ${x.objectType} (${fmt(x.agentOpened)} opened by an agent)`).join(', ')} open with a placeholder of ours, not a customer message.`,
    );
  const mismatched = report.fieldCheck.types.reduce((n, x) => n + x.withMismatches, 0);
  const checked = report.fieldCheck.types.reduce((n, x) => n + x.checked, 0);
  const fidelity = report.fieldCheck.types
    .filter((x) => x.checked > 0)
    .map((x) => `${x.objectType} ${x.fidelity}%`)
    .join(', ');
  out.push(
    mismatched
      ? `- **Read back:** ${fmt(mismatched)} of ${fmt(checked)} records read back from Intercom differ from the source (${fmt(report.fieldCheck.mismatches.length)} difference(s)). Fidelity: ${fidelity}.`
      : `- Read back: all ${fmt(checked)} records read back from Intercom hold what the source holds. Fidelity: ${fidelity || 'nothing read back'}.`,
  );
  const others = report.types.reduce((n, x) => n + x.otherRuns, 0);
  if (scope.mode === 'run' && others)
    out.push(
      `- ${fmt(others)} source record(s) were recorded by other runs of this workspace (not a gap of this run).`,
    );
  out.push('');

  out.push('## Per object type', '');
  const runMode = scope.mode === 'run';
  out.push(
    `| Object | Source | Migrated | Skipped | Failed | Unaccounted |${runMode ? ' Other runs |' : ''} Not in source |`,
    `|---|---:|---:|---:|---:|---:|${runMode ? '---:|' : ''}---:|`,
  );
  for (const x of report.types) {
    const unaccounted = x.covered ? fmt(x.unaccounted) : 'not covered';
    out.push(
      `| ${x.objectType} | ${fmt(x.source)} | ${fmt(x.migrated)} | ${fmt(x.skipped)} | ${fmt(x.failed)} | ${unaccounted} |${runMode ? ` ${fmt(x.otherRuns)} |` : ''} ${fmt(x.notInSource)} |`,
    );
  }
  out.push(
    '',
    '"Not covered": what is reported holds no ledger record of this type, so its source records (counted in the Source column) are neither expected nor counted as unaccounted.',
    '',
  );

  const withReasons = report.types.filter((x) => x.skippedReasons.length || x.failedReasons.length || x.unaccounted);
  if (withReasons.length) out.push('## Skipped, failed and unaccounted', '');
  for (const x of withReasons) {
    out.push(`### ${x.objectType}`, '');
    for (const r of x.skippedReasons) out.push(`- skipped ${fmt(r.count)}: ${cell(r.reason)}`);
    for (const r of x.failedReasons)
      out.push(`- failed ${fmt(r.count)}: ${r.errorClass}${r.field ? ` (field \`${r.field}\`)` : ''}`);
    if (x.unaccounted) {
      const shown = x.unaccountedIds.slice(0, MARKDOWN_ID_CAP);
      out.push(
        `- unaccounted ${fmt(x.unaccounted)}: ${shown.join(', ')}${x.unaccounted > shown.length ? `, … (all in ${csvName})` : ''}`,
      );
    }
    out.push('');
  }

  const fc = report.fieldCheck;
  out.push('## Read back from Intercom and compared with the source', '');
  out.push(
    `${fc.sample === 'all' ? 'Every migrated record' : `Up to ${fmt(fc.sample)} migrated records per type, spread over the source ids,`} read back through Intercom's API and compared with the source as SmarterTrack holds it now: every word of each message in order, author, created_at to the second, files (name, size, content), titles, contact and company fields, custom attributes. The comparison shares no code with the migration's transforms.`,
    '',
  );
  out.push('| Object | Migrated | Checked | Exact | Fidelity |', '|---|---:|---:|---:|---:|');
  for (const x of fc.types)
    out.push(
      `| ${x.objectType} | ${fmt(x.migrated)} | ${fmt(x.checked)} | ${fmt(x.checked - x.withMismatches)} | ${x.fidelity === null ? '–' : `${x.fidelity}%`} |`,
    );
  out.push('');
  for (const u of fc.unchecked) out.push(`- Not compared: ${u.objectType} ${u.what} (${fmt(u.count)}).`);
  if (fc.unchecked.length) out.push('');
  if (fc.mismatches.length) {
    out.push('| Object | Source id | Intercom id | Field | Source | Intercom |', '|---|---|---|---|---|---|');
    for (const m of fc.mismatches)
      out.push(
        `| ${m.objectType} | ${m.sourceId} | ${m.intercomId} | ${cell(m.field)} | ${cell(m.expected)} | ${cell(m.actual)} |`,
      );
    out.push('');
  }
  return out.join('\n');
}
