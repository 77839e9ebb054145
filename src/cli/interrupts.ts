import { ExitCode } from './exit-codes';

/**
 * Ctrl-C (or SIGTERM) once: stop after the writes in flight, and end as usual. Twice: stop at once,
 * after `summary` said what was done (every write was journaled before it was sent, so the same
 * command resumes and looks up what was in flight). Returns the function that removes the handlers.
 */
export function handleInterrupts(stopGently: () => void, summary: () => void): () => void {
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) {
      process.stderr.write(
        '\nStopping after the writes in flight (Ctrl-C again stops at once; either way the run can be resumed)…\n',
      );
      stopGently();
      return;
    }
    summary();
    process.stderr.write(
      'Stopped at once. Run the same command again to resume: writes that were in flight are looked up in Intercom before anything is sent.\n',
    );
    process.exit(ExitCode.Failed);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
