import type { PhaseInputs } from './phase-state';
import { rolledBackBy } from './rolled-back';

// The context keys the manifest's `when` and `enablement` clauses read. Kept free of `vscode` so the
// manifest test can check that every key a clause names is one the extension sets.

export const CONTEXT_KEYS = [
  /** The extension has read the migration folder once: until then the views' welcome says so, not "nothing yet". */
  'st2ic.ready',
  'st2ic.hasMigrationFolder',
  /** migration/mapping.json exists. */
  'st2ic.hasMap',
  /** 'draft' | 'reviewed' | 'approved', or '' without a map. */
  'st2ic.mapStatus',
  /** Any run in the ledger (a journal or report to open). */
  'st2ic.hasRuns',
  /** A sample, full or delta run not rolled back since: something to validate. */
  'st2ic.hasLoadRuns',
  /** A run that wrote to Intercom (not a dry run, not a rollback) and is not rolled back yet: something to roll back. */
  'st2ic.hasUndoableRuns',
  /** A full (or adopt) run: what a delta starts from. */
  'st2ic.hasFullRun',
  /** A run started from this window is in progress: no second one may start. */
  'st2ic.runActive',
  'st2ic.sandboxRunning',
  /** migration/reports/scope.json exists (the walkthrough's Scope step is done). */
  'st2ic.scoped',
  /** The map is reviewed or approved and still matches its stamp. */
  'st2ic.mapConfirmed',
  /** A sample run completed (the walkthrough's Sample step is done, rolled back or not). */
  'st2ic.hasSampleRun',
  /** The last Test of the configured source passed (the walkthrough's Connect SmarterTrack step is done). */
  'st2ic.sourceConnected',
  /** The last Test of the configured Intercom workspace passed (the Connect Intercom step is done). */
  'st2ic.intercomConnected',
] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];
export type ContextValues = Record<ContextKey, boolean | string>;

/**
 * What the migration folder says; the window's own state (active run, sandbox) and which connections
 * a Test proved (workspace state) are passed beside it.
 */
export function contextValuesOf(
  folder: { exists: boolean; inputs?: Pick<PhaseInputs, 'mapping' | 'runs'> & Partial<Pick<PhaseInputs, 'scope'>> },
  window: { runActive: boolean; sandboxRunning: boolean },
  verified: { source: boolean; intercom: boolean } = { source: false, intercom: false },
): ContextValues {
  const runs = folder.inputs?.runs ?? [];
  const mapping = folder.inputs?.mapping;
  const undone = rolledBackBy(runs);
  const standing = runs.filter((r) => !undone.has(r.id));
  return {
    'st2ic.ready': true,
    'st2ic.hasMigrationFolder': folder.exists,
    'st2ic.hasMap': mapping !== undefined,
    'st2ic.mapStatus': mapping?.status ?? '',
    'st2ic.hasRuns': runs.length > 0,
    'st2ic.hasLoadRuns': standing.some((r) => r.kind === 'sample' || r.kind === 'full' || r.kind === 'delta'),
    'st2ic.hasUndoableRuns': standing.some((r) => r.kind !== 'rollback' && r.kind !== 'dry-run'),
    'st2ic.hasFullRun': runs.some((r) => r.kind === 'full' || r.kind === 'adopt'),
    'st2ic.runActive': window.runActive,
    'st2ic.sandboxRunning': window.sandboxRunning,
    'st2ic.scoped': folder.inputs?.scope !== undefined,
    'st2ic.mapConfirmed': mapping?.status === 'reviewed' || mapping?.status === 'approved',
    'st2ic.hasSampleRun': runs.some((r) => r.kind === 'sample' && r.status === 'completed'),
    'st2ic.sourceConnected': verified.source,
    'st2ic.intercomConnected': verified.intercom,
  };
}
