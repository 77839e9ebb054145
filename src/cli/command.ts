import type { Clock } from '../model/clock';
import type { ExitCode } from './exit-codes';

/** What the process gives every verb: read once in main, so tests pin it (ST2IC_NOW). */
export interface CliEnvironment {
  clock: Clock;
}

/** One CLI verb. `run` gets the arguments after the verb and returns the process exit code. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[], env: CliEnvironment): Promise<ExitCode>;
}
