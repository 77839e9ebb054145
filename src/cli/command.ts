import type { Clock } from '../model/clock';
import type { ExitCode } from './exit-codes';
import type { VerbSpec } from './flags';
import type { ProblemContext } from './problems';

/** What the process gives every verb: read once in main, so tests pin it (ST2IC_NOW). */
export interface CliEnvironment {
  clock: Clock;
  /** Filled by the verb as it learns things (the target), so a failure's message can name them. */
  context: ProblemContext;
}

/** One CLI verb. `run` gets the arguments after the verb and returns the process exit code. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Its flags, or those of each sub-verb (map propose, map confirm): parsing and --help read these. */
  readonly specs: readonly VerbSpec[];
  run(argv: string[], env: CliEnvironment): Promise<ExitCode>;
}
