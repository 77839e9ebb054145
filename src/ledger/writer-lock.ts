import type { RunKind } from '../model/journal';
import { LedgerLockedError } from './errors';
import { acquireLock, type HeldLock, type LockHolder } from './lock';
import type { HolderVerdict, ProcessProbe } from './process-identity';

/** What a process that writes to Intercom through a workspace is about to do. */
export interface WriterRequest {
  kind: RunKind;
  /** Rollback runs: the run being undone. */
  rollbackOf?: string;
}

/** The command that starts or resumes a run of this kind (what a person types to go on with it). */
export function commandFor(kind: string, rollbackOf?: string): string {
  if (kind === 'full') return 'st2ic migrate';
  if (kind === 'rollback') return `st2ic rollback ${rollbackOf ?? '<run-id>'}`;
  return `st2ic ${kind}`;
}

/** "a full run", "an adopt run": a run of this kind, in words. */
export function aRunOf(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} run`;
}

/** "a full run (2026…-full-3fa9)", "a rollback of run X (Y)", "a delta run (its run not chosen yet)". */
function describeHolderRun(holder: Pick<LockHolder, 'kind' | 'runId' | 'rollbackOf'>): string {
  const what =
    holder.kind === 'rollback'
      ? `a rollback${holder.rollbackOf ? ` of run ${holder.rollbackOf}` : ''}`
      : aRunOf(holder.kind ?? 'migration');
  return `${what}${holder.runId ? ` (${holder.runId})` : ' (its run not chosen yet)'}`;
}

function writerLockedMessage(file: string, holder: LockHolder, verdict: HolderVerdict): string {
  const who = `pid ${holder.pid} on host ${holder.hostname}, writing ${describeHolderRun(holder)} since ${holder.since}`;
  const head = `Another st2ic process holds this workspace's writer lock: ${who} (${file}).`;
  if (verdict.state === 'alive') {
    return `${head} Only one process may write to Intercom through a workspace, or records are written twice. Wait for it to end, or stop it (Ctrl-C, or Cancel in VS Code) and run this command again: an interrupted run resumes where it stopped.`;
  }
  if (verdict.reason.includes('another host')) {
    return `${head} It ${verdict.reason.replace(/^it /, '')}. If that process is gone for good (its machine is down, or its container restarted under a new host name), run the same command with --take-over: the interrupted run is resumed and its writes of unknown outcome are looked up in Intercom before anything is sent. Never take over from a process that still runs.`;
  }
  return `${head} ${verdict.reason[0]!.toUpperCase()}${verdict.reason.slice(1)}. If that process is not st2ic, run the same command with --take-over.`;
}

/**
 * One writer per workspace: `migration/writer.lock`, held for the whole of a command that writes to
 * Intercom (start or resume of any run kind but dry-run, rollback), released when the ledger closes.
 */
export async function acquireWriterLock(
  file: string,
  request: WriterRequest,
  options: { warn: (m: string) => void; takeOver: boolean; probe?: ProcessProbe },
): Promise<{ lock: HeldLock; replaced?: LockHolder }> {
  return acquireLock(
    file,
    { kind: request.kind, ...(request.rollbackOf ? { rollbackOf: request.rollbackOf } : {}) },
    {
      warn: options.warn,
      takeOver: options.takeOver,
      ...(options.probe ? { probe: options.probe } : {}),
      refuse: (holder, verdict) =>
        new LedgerLockedError(
          file,
          holder,
          writerLockedMessage(file, holder, verdict),
          verdict.state === 'unverifiable',
        ),
    },
  );
}
