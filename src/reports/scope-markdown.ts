import { OBJECT_TYPES } from '../model/object-types';
import type { ProblemItem, ScopeReport } from '../model/scope';
import { rebuildSectionMarkdown } from './rebuild/section-markdown';

/** How many ids a problem lists in Markdown; scope.json has them all. */
export const MARKDOWN_ID_CAP = 50;

const fmt = (n: number) => n.toLocaleString('en-US');

function describeItem(item: ProblemItem): string {
  const bits: string[] = [];
  if (item.parentLabel) bits.push(item.parentLabel);
  else if (item.parentKind && item.parentId !== undefined && item.parentId !== item.id)
    bits.push(`${item.parentKind} ${item.parentId}`);
  else if (item.parentKind && item.parentId !== undefined) bits.push(item.parentKind);
  if (item.fieldId !== undefined) bits.push(`field ${item.fieldId}`);
  if (item.length !== undefined) bits.push(`${fmt(item.length)} ${item.fieldId !== undefined ? 'chars' : 'bytes'}`);
  if (item.parts !== undefined) bits.push(`${fmt(item.parts)} parts`);
  if (item.email !== undefined) bits.push(`${item.email}: users ${(item.userIds ?? []).join(', ')}`);
  if (item.reference !== undefined) bits.push(`${item.reference} ${item.referencedId ?? '?'} missing`);
  if (item.detail) bits.push(item.detail);
  const name = item.label ?? String(item.id);
  return bits.length ? `${name} (${bits.join('; ')})` : name;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** scope.md: the scope for people. */
export function scopeMarkdown(report: ScopeReport): string {
  const out: string[] = [];
  const s = report.source;
  out.push('# Migration scope', '');
  out.push(
    `Generated ${report.generatedAt} from ${s.engine} source \`${s.location}\` (table prefix \`${s.tablePrefix}\`).`,
  );
  out.push(
    `Attachments root: ${report.attachmentsRoot ? `\`${report.attachmentsRoot}\`` : 'not given (files not checked)'}.`,
    '',
  );

  out.push('## What the source holds', '', '| Object | Count |', '|---|---:|');
  for (const type of OBJECT_TYPES) out.push(`| ${type} | ${fmt(report.counts[type] ?? 0)} |`);
  out.push('');

  out.push('## Problems', '');
  if (report.problems.length === 0) out.push('None found.', '');
  else {
    out.push('| Severity | Problem | Records |', '|---|---|---:|');
    for (const p of report.problems) out.push(`| ${p.severity} | ${escapeCell(p.title)} | ${fmt(p.count)} |`);
    out.push('');
    for (const p of report.problems) {
      out.push(`### ${p.title} (${fmt(p.count)})`, '', p.advice, '');
      const shown = p.items.slice(0, MARKDOWN_ID_CAP).map(describeItem);
      out.push(
        `Ids: ${shown.join(', ')}${p.count > shown.length ? `, … and ${fmt(p.count - shown.length)} more (all in scope.json)` : ''}`,
        '',
      );
    }
  }

  out.push('## To rebuild by hand in Intercom', '');
  if (report.rebuild.length === 0) out.push('Nothing found.', '');
  for (const section of report.rebuild) {
    const heading = `${section.title} (${fmt(section.count)})`;
    out.push(...rebuildSectionMarkdown(section, { level: 3, heading, cap: MARKDOWN_ID_CAP, moreIn: 'scope.json' }));
  }

  const e = report.estimate;
  out.push('## Intercom API calls (estimate)', '', '| Object | Calls | How |', '|---|---:|---|');
  for (const line of e.lines) out.push(`| ${line.object} | ${fmt(line.calls)} | ${escapeCell(line.how)} |`);
  out.push(`| **total** | **${fmt(e.totalCalls)}** | |`, '');
  out.push(
    `At ${fmt(e.requestsPerMinute)} requests per minute: about ${formatMinutes(e.minutes)} of API time (retries, uploads and search lag not included).`,
    '',
  );
  if (e.asIntercomTickets) {
    const t = e.asIntercomTickets;
    out.push(
      `With every department's tickets sent to Intercom tickets instead (mapping.json chooses per department): ${fmt(t.line.calls)} calls for tickets (${escapeCell(t.line.how)}), ${fmt(t.totalCalls)} in all, about ${formatMinutes(t.minutes)}.`,
      '',
    );
  }

  out.push(...preflightMarkdown(report));

  out.push('## Source', '');
  out.push(`- Tables read: ${s.tables.length}`);
  out.push(
    `- Missing optional tables: ${s.missingOptionalTables.length ? s.missingOptionalTables.join(', ') : 'none'}`,
  );
  out.push(
    `- Missing optional columns (read as empty): ${s.missingOptionalColumns.length ? s.missingOptionalColumns.join(', ') : 'none'}`,
  );
  for (const hint of s.versionHints) out.push(`- ${hint}`);
  out.push('');
  return out.join('\n');
}

export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.max(1, Math.round(minutes * 60))} s`;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  return `${Math.floor(minutes / 60)} h ${Math.round(minutes % 60)} min`;
}

/** Pre-flight section (SQL Server sources only; nothing for SQLite). */
function preflightMarkdown(report: ScopeReport): string[] {
  const p = report.preflight;
  if (!p.applicable || !p.facts) return [];
  const f = p.facts;
  const mb = (n: number | null) => (n === null ? 'unknown' : `${fmt(Math.round(n / 1024 / 1024))} MB`);
  const backup = !f.lastFullBackup
    ? 'unknown (msdb not readable)'
    : f.lastFullBackup.finishedAt
      ? `${f.lastFullBackup.finishedAt} (${p.lastFullBackupAgeDays ?? '?'} days ago)`
      : 'none recorded';
  const out = ['## Pre-flight (SQL Server)', ''];
  out.push(
    `- Server: ${escapeCell(f.serverVersion?.split('\n')[0]?.trim() ?? 'unknown')}${f.edition ? `, ${f.edition}` : ''}${f.productVersion ? ` (${f.productVersion})` : ''}`,
  );
  out.push(`- Database: ${f.databaseName ?? 'unknown'}, data ${mb(f.dataBytes)}, log ${mb(f.logBytes)}`);
  out.push(`- Last full backup: ${backup}`, '');
  if (p.warnings.length) {
    out.push('Warnings:', '');
    for (const w of p.warnings) out.push(`- ${escapeCell(w)}`);
    out.push('');
  }
  out.push('Confirm before migrating (the database cannot tell):', '');
  for (const c of p.checklist) out.push(`- [ ] ${c.item} _${c.why}_`);
  out.push('');
  if (f.tableRows.length) {
    out.push('<details><summary>Rows per table</summary>', '', '| Table | Rows |', '|---|---:|');
    for (const t of f.tableRows) out.push(`| ${escapeCell(t.table)} | ${fmt(t.rows)} |`);
    out.push('', '</details>', '');
  }
  return out;
}
