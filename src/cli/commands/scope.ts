import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import type { ScopeReport } from '../../model/scope';
import { buildScope, writeScopeReports } from '../../reports/scope';
import { formatMinutes } from '../../reports/scope-markdown';
import { openSource } from '../../source/open-source';
import { parseSourceUrl } from '../../source/source-url';
import { isSourceInputError } from '../common';

const USAGE = 'st2ic scope --source sqlite:<path>|mssql://user@host:port/db|https://user@site [--attachments <dir>] [--workspace <dir>] [--prefix <table prefix>] [--json]';

export const scopeCommand: CliCommand = {
  name: 'scope',
  summary: 'Count what a SmarterTrack source holds, flag problems, estimate Intercom calls; writes migration/reports/scope.{md,json}',
  usage: USAGE,
  async run(argv, env) {
    let values: { source?: string; attachments?: string; workspace?: string; prefix?: string; json?: boolean };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { source: { type: 'string' }, attachments: { type: 'string' }, workspace: { type: 'string' }, prefix: { type: 'string' }, json: { type: 'boolean' } },
        strict: true,
      }));
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\nUsage: ${USAGE}`);
    }
    if (!values.source) throw new UsageError(`--source is required.\nUsage: ${USAGE}`);
    const attachmentsRoot = values.attachments ? path.resolve(values.attachments) : null;
    if (attachmentsRoot && !(existsSync(attachmentsRoot) && statSync(attachmentsRoot).isDirectory())) {
      throw new UsageError(`--attachments: not a folder: ${attachmentsRoot}`);
    }
    const workspace = path.resolve(values.workspace ?? '.');

    let reader;
    try {
      reader = await openSource(parseSourceUrl(values.source), { attachmentsRoot, ...(values.prefix ? { tablePrefix: values.prefix } : {}) });
    } catch (error) {
      if (isSourceInputError(error)) {
        throw new UsageError((error as Error).message);
      }
      throw error;
    }
    let report: ScopeReport;
    try {
      report = await buildScope(reader, { attachmentsRoot, clock: env.clock });
    } finally {
      await reader.close();
    }
    const files = await writeScopeReports(report, workspace);
    process.stdout.write(values.json ? JSON.stringify(summaryJson(report, files), null, 2) + '\n' : summaryText(report, files));
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
  const lines = [`Scope of ${report.source.engine} source ${report.source.location} (prefix ${report.source.tablePrefix})`, ''];
  const counts = Object.entries(report.counts).map(([k, v]) => `${k} ${fmt(v ?? 0)}`);
  lines.push(`Counts: ${counts.join(', ')}`, '');
  if (report.problems.length === 0) lines.push('Problems: none');
  else {
    lines.push('Problems:');
    for (const p of report.problems) lines.push(`  ${p.severity.padEnd(7)} ${fmt(p.count).padStart(8)}  ${p.title}`);
  }
  lines.push('', `To rebuild by hand: ${report.rebuild.length ? report.rebuild.map((r) => `${r.title} (${fmt(r.count)})`).join('; ') : 'nothing'}`);
  lines.push(`Intercom calls: about ${fmt(report.estimate.totalCalls)}, ${formatMinutes(report.estimate.minutes)} at ${fmt(report.estimate.requestsPerMinute)}/min`);
  if (report.preflight.applicable) {
    const { warnings, checklist } = report.preflight;
    lines.push('', `Pre-flight: ${warnings.length ? count(warnings.length, 'warning') : 'no warnings'}; ${count(checklist.length, 'item')} to confirm in scope.md`);
    for (const w of warnings) lines.push(`  - ${w}`);
  }
  lines.push('', `Reports: ${files.markdown}`, `         ${files.json}`, '');
  return lines.join('\n');
}
