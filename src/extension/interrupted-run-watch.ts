import type { PhaseInputs } from './phase-state';

type Runs = PhaseInputs['runs'];

/** How long a window waits for a run that looks alive to show as interrupted (15 × 2 s). */
const TRIES = 15;
const PAUSE_MS = 2000;

/**
 * Finds the interrupted run to tell about once a window starts. After a reload, the window that ran
 * the run may still be shutting down and hold its lock for a moment: the run then reads as running,
 * not interrupted. While a run reads as running and this window runs nothing, the ledger is read
 * again every 2 s for up to 30 s, so the notice comes as soon as the lock is gone.
 */
export async function interruptedRunToTell<T>(options: {
  runs: () => Runs;
  /** The notice for the newest interrupted run, if any (editor-wording's interruptedRunNotice). */
  noticeOf: (runs: Runs) => T | undefined;
  /** Reads the ledger again (the views' refresh), after which `runs()` is current. */
  refresh: () => Promise<void>;
  /** True once this window starts a run of its own: the lock is then ours, and the watch ends. */
  runActive: () => boolean;
  wait?: (ms: number) => Promise<void>;
  tries?: number;
}): Promise<T | undefined> {
  const wait = options.wait ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tries = options.tries ?? TRIES;
  for (let attempt = 0; ; attempt++) {
    const notice = options.noticeOf(options.runs());
    if (notice !== undefined) return notice;
    const alive = options.runs().some((r) => r.status === 'running' && !r.interrupted);
    if (!alive || attempt >= tries || options.runActive()) return undefined;
    await wait(PAUSE_MS);
    await options.refresh();
  }
}
