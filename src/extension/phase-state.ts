import type { RunCounts, RunKind, RunStatus } from '../model/journal';
import type { ReviewStatus } from '../model/mapping';
import { totals } from './run-counts';

/** What the Migration view shows for one phase (pure, so it is unit-tested). */
export interface PhaseState {
  id: 'scope' | 'configure' | 'mapping' | 'sample' | 'full' | 'delta' | 'validate';
  label: string;
  status: 'done' | 'attention' | 'failed' | 'running' | 'todo';
  description: string;
  tooltip: string;
}

export interface PhaseInputs {
  scope?: { tickets: number; endUsers: number; problems: number; generatedAt: string };
  hasWorkspacePlan: boolean;
  mapping?: { status: ReviewStatus; by?: string };
  /** Oldest first, as the ledger lists them. */
  runs: { id: string; kind: RunKind; status: RunStatus; interrupted: boolean; counts: RunCounts; rollbackOf?: string }[];
  /** Run ids (or "current") with a reconciliation report. */
  reconciled: string[];
}

function runPhase(id: 'sample' | 'full' | 'delta', label: string, inputs: PhaseInputs): PhaseState {
  const runs = inputs.runs.filter((r) => r.kind === id);
  const last = runs.at(-1);
  if (!last) {
    const needed = id === 'sample' ? 'reviewed' : 'approved';
    const allowed = inputs.mapping && (inputs.mapping.status === needed || inputs.mapping.status === 'approved');
    return { id, label, status: 'todo', description: allowed ? 'ready' : `needs the map ${needed}`, tooltip: `No ${label.toLowerCase()} run yet.` };
  }
  const t = totals(last.counts);
  const figures = `${t.migrated} migrated · ${t.skipped} skipped · ${t.failed} failed`;
  const runCount = runs.length > 1 ? ` (${runs.length} runs)` : '';
  const tooltip = `Last run ${last.id}: ${last.interrupted ? 'interrupted' : last.status}\n${figures}`;
  if (last.status === 'running' && !last.interrupted) return { id, label, status: 'running', description: `running · ${figures}`, tooltip };
  const rolledBack = inputs.runs.some((r) => r.kind === 'rollback' && r.rollbackOf === last.id && r.status === 'completed');
  if (rolledBack) return { id, label, status: 'todo', description: `rolled back · was ${figures}`, tooltip: `${tooltip}\nRolled back since.` };
  if (last.status === 'completed') return { id, label, status: t.failed > 0 ? 'attention' : 'done', description: `${figures}${runCount}`, tooltip };
  return { id, label, status: 'failed', description: `${last.interrupted ? 'interrupted' : last.status} · ${figures} · run again to resume`, tooltip };
}

export function describePhases(inputs: PhaseInputs): PhaseState[] {
  const scope: PhaseState = inputs.scope
    ? {
        id: 'scope', label: 'Scope', status: inputs.scope.problems > 0 ? 'attention' : 'done',
        description: `${inputs.scope.tickets} tickets · ${inputs.scope.endUsers} end users · ${inputs.scope.problems} kinds of problem`,
        tooltip: `migration/reports/scope.md, generated ${inputs.scope.generatedAt}`,
      }
    : { id: 'scope', label: 'Scope', status: 'todo', description: 'not scoped yet', tooltip: 'Count what the source holds and what will not move cleanly.' };
  const applied = inputs.runs.some((r) => r.kind !== 'rollback' && r.kind !== 'dry-run' && r.status === 'completed');
  const configure: PhaseState = {
    id: 'configure', label: 'Configure workspace',
    status: applied ? 'done' : inputs.hasWorkspacePlan ? 'attention' : 'todo',
    description: applied ? 'applied by a run' : inputs.hasWorkspacePlan ? 'plan ready; applied by the next run' : 'no plan yet',
    tooltip: 'Admins and teams matched, data attributes created: the first step of every run. The plan is migration/reports/workspace-plan.md.',
  };
  const m = inputs.mapping;
  const mapping: PhaseState = !m
    ? { id: 'mapping', label: 'Mapping', status: 'todo', description: 'not proposed yet', tooltip: 'migration/mapping.json does not exist.' }
    : {
        id: 'mapping', label: 'Mapping', status: m.status === 'approved' ? 'done' : m.status === 'reviewed' ? 'attention' : 'todo',
        description: `${m.status}${m.by ? ` by ${m.by}` : ''}`,
        tooltip: m.status === 'draft' ? 'Review migration/mapping.json, then confirm it: nothing moves before that.' : m.status === 'reviewed' ? 'Sample runs are allowed; approve the map for full and delta runs.' : 'Full and delta runs are allowed.',
      };
  const lastLoad = inputs.runs.filter((r) => r.kind === 'sample' || r.kind === 'full' || r.kind === 'delta').at(-1);
  const validated = lastLoad && inputs.reconciled.includes(lastLoad.id);
  const validate: PhaseState = {
    id: 'validate', label: 'Validate',
    status: validated ? 'done' : 'todo',
    description: validated ? `reconciled ${lastLoad.id}` : lastLoad ? `last run ${lastLoad.id} not reconciled` : 'after a run',
    tooltip: 'Reconciliation: ledger counts against the source, and a sample read back from Intercom.',
  };
  return [scope, configure, mapping, runPhase('sample', 'Sample', inputs), runPhase('full', 'Full migration', inputs), runPhase('delta', 'Delta', inputs), validate];
}
