import { EngineUsageError, RunNotStartedError } from '../engine/errors';
import { AuthError, IntercomError, NetworkError, PlanRestrictedError } from '../intercom/errors';
import { LedgerCorruptError, LedgerInterruptedRunError, LedgerLockedError, LedgerWriteError } from '../ledger/errors';
import { MappingFileError } from '../mapping/mapping-file';
import { MapNotConfirmedError } from '../mapping/review';
import { SourceAccessError } from '../source';
import { ExitCode, UsageError } from './exit-codes';
import type { IntercomTarget } from './target';

/** What a failing command ends with: one line for the person, and the exit code the README promises. */
export interface Problem {
  message: string;
  exitCode: ExitCode;
}

/** What the command knew when it failed, so a message can name the target. */
export interface ProblemContext {
  target?: IntercomTarget;
}

type ErrorClass = abstract new (...args: never[]) => Error;

interface ProblemRule {
  classes: readonly ErrorClass[];
  exitCode: ExitCode;
  message?: (error: Error, context: ProblemContext) => string;
}

const where = (context: ProblemContext) =>
  context.target?.workspaceName
    ? `Intercom workspace "${context.target.workspaceName}"`
    : `the Intercom workspace at ${context.target?.baseUrl ?? 'the target'}`;

/**
 * Every failure a person can fix, by class; the README's exit-code table lists the same rows and
 * test/unit/cli-problems.test.ts checks each. Order matters: subclasses before their base.
 */
export const PROBLEM_RULES: readonly ProblemRule[] = [
  { classes: [UsageError, MappingFileError, MapNotConfirmedError, EngineUsageError], exitCode: ExitCode.BadInput },
  {
    classes: [AuthError],
    exitCode: ExitCode.BadInput,
    message: (_e, c) =>
      `Intercom refused the token (401 at ${c.target?.baseUrl ?? 'the target'}): set INTERCOM_TOKEN to an access token of ${where(c)}.`,
  },
  {
    classes: [PlanRestrictedError],
    exitCode: ExitCode.BadInput,
    message: (e, c) =>
      `${e.message}: give INTERCOM_TOKEN a token of ${where(c)} with read and write scopes for contacts, companies, conversations, tags, data attributes and articles.`,
  },
  // Every source error the user can fix (its address, file, server, credentials, schema) extends this base.
  { classes: [SourceAccessError], exitCode: ExitCode.BadInput },
  { classes: [LedgerLockedError, LedgerInterruptedRunError, LedgerCorruptError], exitCode: ExitCode.BadInput },
  {
    classes: [NetworkError],
    exitCode: ExitCode.Failed,
    message: (e, c) =>
      `Intercom could not be reached at ${c.target?.baseUrl ?? 'the target'} (${e.message}): check the address and the network, then run the same command again.`,
  },
  { classes: [LedgerWriteError, RunNotStartedError], exitCode: ExitCode.Failed },
  {
    classes: [IntercomError],
    exitCode: ExitCode.Failed,
    message: (e) => `Intercom: ${e.message}. Run the same command again.`,
  },
];

/** The problem an error stands for; undefined for an unexpected one (a bug: exit 1, stack with --debug). */
export function problemOf(error: unknown, context: ProblemContext = {}): Problem | undefined {
  if (!(error instanceof Error)) return undefined;
  const rule = PROBLEM_RULES.find((r) => r.classes.some((c) => error instanceof c));
  if (!rule) return undefined;
  const message = rule.message ? rule.message(error, context) : error.message;
  return { message, exitCode: rule.exitCode };
}
