import type { RunKind, RunStatus } from '../model/journal';

// Which runs a completed rollback undid, for the views, the pickers and the context keys: such a run
// is shown as rolled back and offers neither Validate nor Roll Back. Pure (unit-tested).

interface RunLike {
  id: string;
  kind: RunKind;
  status: RunStatus;
  rollbackOf?: string | undefined;
}

/** Run id → the id of the completed rollback that undid it. */
export function rolledBackBy(runs: readonly RunLike[]): Map<string, string> {
  const by = new Map<string, string>();
  for (const r of runs)
    if (r.kind === 'rollback' && r.status === 'completed' && r.rollbackOf) by.set(r.rollbackOf, r.id);
  return by;
}
