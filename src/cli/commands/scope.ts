import type { ScopeReport } from '../../model/scope';
import { buildScope, writeScopeReports } from '../../reports/scope';
import { formatMinutes } from '../../reports/scope-markdown';
import type { CliCommand } from '../command';
import { attachmentsOf, readerFrom, workspaceOf } from '../common';
import { ExitCode } from '../exit-codes';
import { parseVerb } from '../flags';
import { VERBS } from '../verbs';

const spec = VERBS.scope;

export const scopeCommand: CliCommand = {
  name: spec.verb,
  summary: spec.summary,
  specs: [spec],
  async run(argv, env) {
    const { values } = parseVerb(spec, argv);
    const attachmentsRoot = attachmentsOf(values);
    const workspace = workspaceOf(values);
    const reader = await readerFrom(values, values.prefix !== undefined ? { tablePrefix: values.prefix } : {});
    let report: ScopeReport;
    try {
      report = await buildScope(reader, { attachmentsRoot, clock: env.clock });
    } finally {
      await reader.close();
    }
    const files = await writeScopeReports(report, workspace);
    process.stdout.write(
      values.json ? JSON.stringify(summaryJson(report, files), null, 2) + '\n' : summaryText(report, files),
    );
    return ExitCode.Done;
  },
};

function summaryJson(report: ScopeReport, files: { markdown: string; json: string }) {
  return {
    counts: report.counts,
    problems: Object.fromEntries(report.problems.map((p) => [p.code, p.count])),
    rebuild: Object.fromEntries(report.rebuild.map((r) => [r.area, r.count])),
    estimate: { totalCalls: report.estimate.totalCalls, minutes: report.estimate.minutes },
    preflight: { applicable: report.preflight.applicable, warnings: report.preflight.warnings },
    reports: files,
  };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function summaryText(report: ScopeReport, files: { markdown: string; json: string }): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `Scope of ${report.source.engine} source ${report.source.location} (prefix ${report.source.tablePrefix})`,
    '',
  ];
  const counts = Object.entries(report.counts).map(([k, v]) => `${k} ${fmt(v ?? 0)}`);
  lines.push(`Counts: ${counts.join(', ')}`, '');
  if (report.problems.length === 0) lines.push('Problems: none');
  else {
    lines.push('Problems:');
    for (const p of report.problems) lines.push(`  ${p.severity.padEnd(7)} ${fmt(p.count).padStart(8)}  ${p.title}`);
  }
  lines.push(
    '',
    `To rebuild by hand: ${report.rebuild.length ? report.rebuild.map((r) => `${r.title} (${fmt(r.count)})`).join('; ') : 'nothing'}`,
  );
  lines.push(
    `Intercom calls: about ${fmt(report.estimate.totalCalls)}, ${formatMinutes(report.estimate.minutes)} at ${fmt(report.estimate.requestsPerMinute)}/min`,
  );
  if (report.preflight.applicable) {
    const { warnings, checklist } = report.preflight;
    lines.push(
      '',
      `Pre-flight: ${warnings.length ? count(warnings.length, 'warning') : 'no warnings'}; ${count(checklist.length, 'item')} to confirm in scope.md`,
    );
    for (const w of warnings) lines.push(`  - ${w}`);
  }
  lines.push('', `Reports: ${files.markdown}`, `         ${files.json}`, '');
  return lines.join('\n');
}
