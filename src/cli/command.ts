import type { ExitCode } from './exit-codes';

/** One CLI verb. `run` gets the arguments after the verb and returns the process exit code. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[]): Promise<ExitCode>;
}
