import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { sandboxStateSchema, type SandboxState } from './types';

/** Loads a persisted state file, or undefined when there is none yet. */
export function loadState(file: string): SandboxState | undefined {
  if (!existsSync(file)) return undefined;
  return sandboxStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Writes atomically (temp file + rename) so a crash never leaves half a state file. */
export function saveState(file: string, state: SandboxState): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(state));
  renameSync(temp, file);
}

/**
 * Debounced persistence: many writes in a burst cost one file write. The delay grows with the time
 * a write takes (10x, capped at 30 s), so a rehearsal-sized state does not spend its time serialising.
 */
export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number;

  constructor(
    private readonly file: string | undefined,
    private readonly current: () => SandboxState,
    private readonly minDelayMs = 250,
  ) {
    this.delayMs = minDelayMs;
  }

  schedule(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.file) return;
    const started = performance.now();
    saveState(this.file, this.current());
    this.delayMs = Math.min(30_000, Math.max(this.minDelayMs, 10 * (performance.now() - started)));
  }
}
