/** Exit codes the CLI contract promises (README: CLI). */
export const ExitCode = {
  Done: 0,
  Failed: 1,
  BadInput: 2,
  SomeRecordsFailed: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error caused by what the user gave us (arguments, files): exit code 2, message without a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
