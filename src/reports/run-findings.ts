import type { RunCounts } from '../model/journal';
import type { ObjectType } from '../model/object-types';

// What a finished run left for the admin to act on, read from its counts (the ledger's record
// entries): agents no Intercom admin matched, departments without a team, records skipped or failed.
// A run that completed with any of these is shown as a warning, never as a green check. Pure, so the
// rules are unit-tested.

type FindingId = 'unmatchedAgents' | 'missingTeams' | 'failed' | 'skipped';

export interface Finding {
  id: FindingId;
  count: number;
  /** For a tree description: "12 of 12 agents unmatched". */
  short: string;
  /** For a tooltip or a notification: what it means for the migrated data. */
  text: string;
}

/**
 * Skips that follow from the map by design and need nothing from anyone: groups route through their
 * department's team, brands travel as a value, custom fields not mapped to an attribute are dropped,
 * notes or tags. Agents and departments are findings of their own.
 */
const REFERENCE_TYPES = new Set<ObjectType>(['agents', 'departments', 'groups', 'brands', 'customFields']);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The most frequent reasons, for a tooltip: "deleted in SmarterTrack (20), draft: never sent (7)". */
function topReasons(reasons: Record<string, number>, limit = 3): string {
  const sorted = Object.entries(reasons).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const shown = sorted.slice(0, limit).map(([reason, n]) => `${reason} (${n})`);
  return sorted.length > limit ? `${shown.join('; ')}; and ${sorted.length - limit} other reason(s)` : shown.join('; ');
}

export function findingsOf(counts: RunCounts): Finding[] {
  const found: Finding[] = [];
  const agents = counts.agents;
  if (agents && agents.skipped > 0) {
    const all = agents.migrated + agents.skipped + agents.failed;
    found.push({
      id: 'unmatchedAgents',
      count: agents.skipped,
      short: `${agents.skipped} of ${all} agents unmatched`,
      text: `${agents.skipped} of ${plural(all, 'agent', 'agents')} match no Intercom admin by email: the fallback admin stands in on their conversations`,
    });
  }
  const departments = counts.departments;
  if (departments && departments.skipped > 0) {
    const all = departments.migrated + departments.skipped + departments.failed;
    found.push({
      id: 'missingTeams',
      count: departments.skipped,
      short: `${departments.skipped} of ${all} teams missing`,
      text: `${departments.skipped} of ${plural(all, 'department has', 'departments have')} no Intercom team: their conversations stay unassigned to a team`,
    });
  }
  let failed = 0;
  let skipped = 0;
  const failedReasons: Record<string, number> = {};
  const skippedReasons: Record<string, number> = {};
  for (const [type, c] of Object.entries(counts) as [ObjectType, NonNullable<RunCounts[ObjectType]>][]) {
    if (!c) continue;
    failed += c.failed;
    for (const [r, n] of Object.entries(c.failedReasons))
      failedReasons[`${type}: ${r}`] = (failedReasons[`${type}: ${r}`] ?? 0) + n;
    if (REFERENCE_TYPES.has(type)) continue;
    skipped += c.skipped;
    for (const [r, n] of Object.entries(c.skippedReasons))
      skippedReasons[`${type}: ${r}`] = (skippedReasons[`${type}: ${r}`] ?? 0) + n;
  }
  if (failed > 0)
    found.push({
      id: 'failed',
      count: failed,
      short: `${failed} failed`,
      text: `${plural(failed, 'record', 'records')} failed: ${topReasons(failedReasons)}`,
    });
  if (skipped > 0)
    found.push({
      id: 'skipped',
      count: skipped,
      short: `${skipped} skipped`,
      text: `${plural(skipped, 'record', 'records')} skipped: ${topReasons(skippedReasons)}`,
    });
  return found;
}

/** The findings about the workspace (admins and teams), which the Configure phase shows. */
export function workspaceFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.id === 'unmatchedAgents' || f.id === 'missingTeams');
}

/** A reconciliation's gaps, from reconciliation-<run>.json: what Validate shows instead of a bare "reconciled". */
export interface ValidationSummary {
  runId: string;
  /** The reconciled run's kind: a sample's out-of-sample records are not a gap. */
  kind: string;
  failed: number;
  unaccounted: number;
  differences: number;
}

export function validationFindings(v: ValidationSummary): { short: string[]; attention: boolean } {
  const short: string[] = [];
  let attention = false;
  if (v.unaccounted > 0) {
    // A sample reconciles against the whole source: the records it did not take are not missing.
    if (v.kind === 'sample') short.push(`${v.unaccounted} source records outside the sample`);
    else {
      short.push(`${v.unaccounted} unaccounted`);
      attention = true;
    }
  }
  if (v.failed > 0) {
    short.push(`${v.failed} failed`);
    attention = true;
  }
  if (v.differences > 0) {
    short.push(`${plural(v.differences, 'difference', 'differences')} from the source`);
    attention = true;
  }
  return { short, attention };
}
