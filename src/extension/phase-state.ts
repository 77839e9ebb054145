import type { RunCounts, RunKind, RunStatus } from '../model/journal';
import type { ReviewStatus } from '../model/mapping';
import { allRecords, allRecordsFigures, headlineFigures, runFigures } from '../model/run-figures';
import { migrationPaths } from '../model/workspace-paths';
import { findingsOf, validationFindings, type ValidationSummary, workspaceFindings } from '../reports/run-findings';
import { rolledBackBy } from './rolled-back';

/** What the Migration view shows for one phase (pure, so it is unit-tested). */
export interface PhaseState {
  id: 'scope' | 'configure' | 'mapping' | 'sample' | 'full' | 'delta' | 'validate';
  label: string;
  status: 'done' | 'attention' | 'failed' | 'running' | 'todo';
  description: string;
  tooltip: string;
  /** What a click opens (relative to the workspace folder): the reconciliation of the run shown, when there is one. */
  opens?: string;
}

export interface PhaseInputs {
  scope?: { tickets: number; endUsers: number; problems: number; generatedAt: string };
  hasWorkspacePlan: boolean;
  mapping?: { status: ReviewStatus; by?: string };
  /** Oldest first, as the ledger lists them. */
  runs: {
    id: string;
    kind: RunKind;
    status: RunStatus;
    interrupted: boolean;
    counts: RunCounts;
    rollbackOf?: string;
  }[];
  /** Run ids (or "current") with a reconciliation report. */
  reconciled: string[];
  /** What those reports found, when their JSON could be read. */
  validations?: ValidationSummary[];
}

/** Relative to the workspace folder: the paths of a workspace named ''. */
const reconciliationOf = (runId: string) => migrationPaths('').reconciliation(runId);

function runPhase(id: 'sample' | 'full' | 'delta', label: string, inputs: PhaseInputs): PhaseState {
  const runs = inputs.runs.filter((r) => r.kind === id);
  const last = runs.at(-1);
  if (!last) {
    const needed = id === 'sample' ? 'reviewed' : 'approved';
    const allowed = inputs.mapping && (inputs.mapping.status === needed || inputs.mapping.status === 'approved');
    return {
      id,
      label,
      status: 'todo',
      description: allowed ? 'ready' : `needs the map ${needed}`,
      tooltip: `No ${label.toLowerCase()} run yet.`,
    };
  }
  // The headline counts what a person checks in Intercom; the tooltip has every record as well.
  const figures = headlineFigures(last.counts) || allRecordsFigures(last.counts);
  const runCount = runs.length > 1 ? ` (${runs.length} runs)` : '';
  const tooltip = `Last run ${last.id}: ${last.interrupted ? 'interrupted' : last.status}\n${runFigures(last.counts)}`;
  if (last.status === 'running' && !last.interrupted)
    return { id, label, status: 'running', description: `running · ${figures}`, tooltip };
  const undoneBy = rolledBackBy(inputs.runs).get(last.id);
  if (undoneBy)
    return {
      id,
      label,
      status: 'todo',
      description: `rolled back · was ${figures}`,
      tooltip: `${tooltip}\nRolled back by ${undoneBy}.`,
    };
  const findings = findingsOf(last.counts);
  if (last.status === 'completed') {
    const report = inputs.reconciled.includes(last.id) ? { opens: reconciliationOf(last.id) } : {};
    if (findings.length === 0)
      return { id, label, status: 'done', description: `${figures}${runCount}`, tooltip, ...report };
    // The findings name the skipped and failed records themselves.
    const migrated =
      headlineFigures(last.counts, { notMigrated: false }) || `${allRecords(last.counts).migrated} records migrated`;
    return {
      id,
      label,
      status: 'attention',
      description: `${migrated} · ${findings.map((f) => f.short).join(' · ')}${runCount}`,
      tooltip: `${tooltip}\n${findings.map((f) => `⚠ ${f.text}`).join('\n')}`,
      ...report,
    };
  }
  return {
    id,
    label,
    status: 'failed',
    description: `${last.interrupted ? 'interrupted' : last.status} · ${figures} · run again to resume`,
    tooltip,
  };
}

/**
 * The admins and teams the latest run that matched them found missing (delta runs do not match
 * them again; a dry run reads the same workspace).
 */
function configurePhase(inputs: PhaseInputs): PhaseState {
  const applied = inputs.runs.some((r) => r.kind !== 'rollback' && r.kind !== 'dry-run' && r.status === 'completed');
  const label = 'Configure workspace';
  const tooltip =
    'Admins and teams matched, data attributes created: the first step of every run. The plan is migration/reports/workspace-plan.md.';
  if (!applied) {
    return {
      id: 'configure',
      label,
      status: inputs.hasWorkspacePlan ? 'attention' : 'todo',
      description: inputs.hasWorkspacePlan ? 'plan ready; applied by the next run' : 'no plan yet',
      tooltip,
    };
  }
  const matched = inputs.runs
    .filter(
      (r) =>
        r.kind !== 'rollback' &&
        r.kind !== 'delta' &&
        r.status === 'completed' &&
        (r.counts.agents || r.counts.departments),
    )
    .at(-1);
  const findings = matched ? workspaceFindings(findingsOf(matched.counts)) : [];
  if (findings.length === 0)
    return { id: 'configure', label, status: 'done', description: 'applied by a run', tooltip };
  return {
    id: 'configure',
    label,
    status: 'attention',
    description: `applied · ${findings.map((f) => f.short).join(' · ')}`,
    tooltip: `${tooltip}\nAs run ${matched!.id} found:\n${findings.map((f) => `⚠ ${f.text}`).join('\n')}\nInvite the missing teammates and create the teams in Intercom (the API cannot), then map them in the Field Map's Value maps.`,
  };
}

export function describePhases(inputs: PhaseInputs): PhaseState[] {
  const scope: PhaseState = inputs.scope
    ? {
        id: 'scope',
        label: 'Scope',
        status: inputs.scope.problems > 0 ? 'attention' : 'done',
        description: `${inputs.scope.tickets} tickets · ${inputs.scope.endUsers} end users · ${inputs.scope.problems} kinds of problem`,
        tooltip: `migration/reports/scope.md, generated ${inputs.scope.generatedAt}`,
      }
    : {
        id: 'scope',
        label: 'Scope',
        status: 'todo',
        description: 'not scoped yet',
        tooltip: 'Count what the source holds and what will not move cleanly.',
      };
  const configure = configurePhase(inputs);
  const m = inputs.mapping;
  const mapping: PhaseState = !m
    ? {
        id: 'mapping',
        label: 'Mapping',
        status: 'todo',
        description: 'not proposed yet',
        tooltip: 'migration/mapping.json does not exist.',
      }
    : {
        id: 'mapping',
        label: 'Mapping',
        status: m.status === 'approved' ? 'done' : m.status === 'reviewed' ? 'attention' : 'todo',
        description: `${m.status}${m.by ? ` by ${m.by}` : ''}`,
        tooltip:
          m.status === 'draft'
            ? 'Review migration/mapping.json, then confirm it: nothing moves before that.'
            : m.status === 'reviewed'
              ? 'Sample runs are allowed; approve the map for full and delta runs.'
              : 'Full and delta runs are allowed.',
      };
  // A run rolled back since is nothing to reconcile any more.
  const undone = rolledBackBy(inputs.runs);
  const lastLoad = inputs.runs
    .filter((r) => (r.kind === 'sample' || r.kind === 'full' || r.kind === 'delta') && !undone.has(r.id))
    .at(-1);
  const validated = lastLoad && inputs.reconciled.includes(lastLoad.id);
  const found = validated ? inputs.validations?.find((v) => v.runId === lastLoad.id) : undefined;
  const gaps = found ? validationFindings(found) : { short: [], attention: false };
  const validate: PhaseState = {
    id: 'validate',
    label: 'Validate',
    status: validated ? (gaps.attention ? 'attention' : 'done') : 'todo',
    description: validated
      ? [`reconciled ${lastLoad.id}`, ...gaps.short].join(' · ')
      : lastLoad
        ? `last run ${lastLoad.id} not reconciled`
        : 'after a run',
    tooltip: `Reconciliation: ledger counts against the source, and a sample read back from Intercom.${gaps.attention ? ' The report lists every failed, unaccounted and differing record.' : ''}`,
    ...(validated ? { opens: reconciliationOf(lastLoad.id) } : {}),
  };
  return [
    scope,
    configure,
    mapping,
    runPhase('sample', 'Sample', inputs),
    runPhase('full', 'Full migration', inputs),
    runPhase('delta', 'Delta', inputs),
    validate,
  ];
}
