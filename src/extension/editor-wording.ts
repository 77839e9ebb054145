import { effectiveStatus, type RunKind } from '../mapping/review';
import type { RunCounts } from '../model/journal';
import type { MappingFile, ReviewStatus } from '../model/mapping';
import { runFigures } from '../model/run-figures';
import { findingsOf, validationFindings, type ValidationSummary, workspaceFindings } from '../reports/run-findings';

// What the extension tells a person, in the editor's terms: the engine's messages are written for
// the CLI (verbs and flags), and a notification that says "st2ic map confirm --approve" points at
// nothing the editor offers. Pure, so the wording is unit-tested.

/** What each kind of run is called in notifications ("Dry run", not "Dry run run"). */
export const RUN_TITLE: Record<RunKind, string> = {
  configure: 'Workspace configuration',
  sample: 'Sample run',
  full: 'Full migration',
  delta: 'Delta run',
  'dry-run': 'Dry run',
};

const A_RUN: Record<RunKind, string> = {
  configure: 'configuring the workspace',
  sample: 'a sample run',
  full: 'a full migration',
  delta: 'a delta run',
  'dry-run': 'a dry run',
};
const NEEDED: Record<RunKind, ReviewStatus> = {
  configure: 'reviewed',
  sample: 'reviewed',
  full: 'approved',
  delta: 'approved',
  'dry-run': 'draft',
};
const RANK: Record<ReviewStatus, number> = { draft: 0, reviewed: 1, approved: 2 };

/**
 * Why the map does not allow this run yet, asked before the run's confirmation (the engine keeps its
 * own gate); undefined when it does. The person is sent to the Field Map, where fields are accepted
 * and the map approved.
 */
export function mapGateMessage(map: MappingFile, kind: RunKind): string | undefined {
  const needed = NEEDED[kind];
  const status = effectiveStatus(map);
  if (RANK[status] >= RANK[needed]) return undefined;
  const run = A_RUN[kind];
  const changed = map.review.status !== 'draft' && status !== map.review.status;
  const confirm = needed === 'approved' ? 'approve it' : 'mark it reviewed';
  return changed
    ? `The field map changed since it was ${map.review.status}: ${run} needs it ${needed} again. Open the Field Map, check the changes and ${confirm} again.`
    : `The field map is ${status === 'draft' ? 'a draft' : status}: ${run} needs it ${needed} first. Open the Field Map, accept its fields and ${confirm}.`;
}

/**
 * An edit that leaves the map less confirmed than it was (any change after a stamp does): the words
 * the editor shows beside it, naming who confirmed it and what it must do again; undefined otherwise.
 */
export function revokedConfirmation(before: MappingFile, after: MappingFile): string | undefined {
  const was = effectiveStatus(before);
  const now = effectiveStatus(after);
  if (RANK[now] >= RANK[was]) return undefined;
  const by = before.review[was === 'approved' ? 'approved' : 'reviewed']?.by;
  return `The map is back to ${now}: this change is not covered by the ${was === 'approved' ? 'approval' : 'review'}${by ? ` of ${by}` : ''}. ${was === 'approved' ? 'Approve it again before a full or delta run.' : 'Mark it reviewed again before a sample run.'}`;
}

/** A button on a notification: a command to run, or a file to open (a Markdown report, shown as a preview). */
type NoticeAction = { title: string; command: string; args?: unknown[] } | { title: string; open: string };

/** A notification, decided without `vscode`: warning whenever there is something to act on. */
export interface Notice {
  level: 'info' | 'warning';
  text: string;
  actions: NoticeAction[];
}

export interface RunOutcomeContext {
  runId: string;
  /** migration/reports/workspace-plan.md, when the Configure step wrote it. */
  workspacePlan?: string;
  /** The run's report (its reconciliation), when there is one. */
  report?: string;
  /** Why the run stopped, in the editor's terms. */
  message?: string;
}

const LOAD_KINDS = new Set<RunKind>(['sample', 'full', 'delta']);

/**
 * The notification at the end of a run. A completed run that left agents unmatched, teams missing or
 * records skipped or failed is a warning naming them, with the buttons that show or fix them; only a
 * run with nothing to act on is an information. Validate is offered only after a run that wrote records.
 */
export function runOutcome(kind: RunKind, status: string, counts: RunCounts, context: RunOutcomeContext): Notice {
  const figures = runFigures(counts);
  if (status !== 'completed') {
    return {
      level: 'warning',
      text: `${RUN_TITLE[kind]} ${status}: ${figures}.${context.message ? ` ${context.message}` : ''}`,
      actions: [],
    };
  }
  const findings = findingsOf(counts);
  const validate: NoticeAction[] = LOAD_KINDS.has(kind)
    ? [
        context.report
          ? { title: 'Open Report', open: context.report }
          : { title: 'Validate', command: 'st2ic.validateRun', args: [context.runId] },
      ]
    : [];
  // Without findings the report (opened by the run already) needs no button; Validate does.
  if (findings.length === 0)
    return {
      level: 'info',
      text: `${RUN_TITLE[kind]} completed: ${figures}.`,
      actions: validate.filter((a) => 'command' in a),
    };
  const actions: NoticeAction[] = [];
  if (workspaceFindings(findings).length > 0) {
    // The plan lists each unmatched agent and missing team; without one, the rebuild inventory says how to add them.
    actions.push(
      context.workspacePlan
        ? { title: 'Open Workspace Plan', open: context.workspacePlan }
        : { title: 'Show What to Rebuild', command: 'st2ic.rebuildInventory' },
    );
  }
  // The reconciliation report lists every skipped and failed record (its CSV, one a line).
  if (findings.some((f) => f.id === 'failed' || f.id === 'skipped'))
    actions.push(
      ...(validate.length
        ? validate
        : [{ title: 'Open Journal', command: 'st2ic.openRunJournal', args: [context.runId] }]),
    );
  return {
    level: 'warning',
    text: `${RUN_TITLE[kind]} completed with something to act on: ${findings.map((f) => f.text).join('; ')}. ${figures[0]!.toUpperCase()}${figures.slice(1)}.`,
    actions,
  };
}

/** After Validate: a warning over a gap (failed, unaccounted in a full or delta run, differences), with its records; nothing otherwise (the report opens). */
export function validationNotice(summary: ValidationSummary, csv: string): Notice | undefined {
  const { short, attention } = validationFindings(summary);
  if (!attention) return undefined;
  return {
    level: 'warning',
    text: `Reconciliation of ${summary.runId}: ${short.join(' · ')}. Each record is listed in the report's CSV.`,
    actions: [{ title: 'Open Failed Records', open: csv }],
  };
}

/** Command titles the rewritten messages point at (the palette's names, without the category). */
const COMMANDS = {
  sample: '"Run a Sample"',
  full: '"Run the Full Migration"',
  delta: '"Run a Delta"',
  'dry-run': '"Dry Run"',
  configure: '"Configure Intercom Workspace"',
  rollback: '"Roll Back a Run"',
} as const;

const REWRITES: [RegExp, string | ((...m: string[]) => string)][] = [
  // The map gate (src/mapping/review.ts).
  [/ \(st2ic map confirm[^)]*\)/g, ': open the Field Map and confirm it ("Confirm the Field Map")'],
  // A delta without a full run (src/engine/run-migration.ts).
  [
    /run the full migration first \(st2ic migrate\), or --adopt what Intercom already holds/g,
    `run the full migration first (${COMMANDS.full})`,
  ],
  // An interrupted run beside a new one (src/ledger/ledger.ts, writer-lock.ts).
  [/`st2ic rollback ([^`\s<]+)`/g, (_, id) => `${COMMANDS.rollback} on run ${id}`],
  [
    /`st2ic (migrate|sample|delta|configure|dry-run|rollback)[^`]*`/g,
    (_, verb) => COMMANDS[(verb === 'migrate' ? 'full' : verb) as keyof typeof COMMANDS],
  ],
  [/run the same command with --take-over/g, 'choose Take Over'],
  [
    /pass --adopt to rebuild this ledger from Intercom first \(st2ic ledger rebuild --from-intercom does only that\)/g,
    'choose "Adopt from Intercom, then Run" to rebuild this ledger from Intercom first',
  ],
  [/\(st2ic runs are under /g, '(runs are under '],
  // No map yet (src/mapping/mapping-file.ts).
  [/run st2ic map propose/g, 'propose one with "Propose the Field Map"'],
  [/[Rr]un the same command again/g, 'Start it again'],
  [/then run this command again/g, 'then start this one again'],
];

/** An engine message with its CLI verbs and flags replaced by the extension's commands and buttons. */
export function inEditorTerms(message: string): string {
  return REWRITES.reduce(
    (text, [pattern, replacement]) =>
      text.replace(pattern, replacement as (substring: string, ...args: string[]) => string),
    message,
  );
}

/** The command that runs (and so resumes) each kind of run. */
const RUN_COMMAND: Partial<Record<string, string>> = {
  configure: 'st2ic.configureWorkspace',
  sample: 'st2ic.runSample',
  full: 'st2ic.runFull',
  delta: 'st2ic.runDelta',
};

/**
 * A run the ledger shows as interrupted (its window closed or its process stopped mid-run), said
 * once when the extension starts: the newest one, with the command that resumes it.
 */
export function interruptedRunNotice(
  runs: readonly { id: string; kind: string; interrupted: boolean; rollbackOf?: string }[],
): Notice | undefined {
  const last = runs.filter((r) => r.interrupted).at(-1);
  if (!last) return undefined;
  if (last.kind === 'rollback') {
    return {
      level: 'warning',
      text: `Rollback ${last.id} of run ${last.rollbackOf ?? '?'} was interrupted. Roll that run back again to finish: what was undone is not undone twice.`,
      actions: [],
    };
  }
  const command = RUN_COMMAND[last.kind];
  const title = RUN_TITLE[last.kind as RunKind] ?? 'Run';
  return {
    level: 'warning',
    text: `${title} ${last.id} was interrupted (its window closed or its process stopped). Run it again to resume: writes whose outcome is unknown are looked up in Intercom before anything is sent.`,
    actions: command ? [{ title: 'Resume', command }] : [],
  };
}

/**
 * A run refused before it wrote anything because Intercom could not be read: the way on is to reach
 * Intercom again, so the notice offers it (the local sandbox this folder points at, when that is
 * what stopped, or a test of the connection).
 */
export function notStartedNotice(message: string, why: { unreachable: boolean; sandboxStopped: boolean }): Notice {
  const text = inEditorTerms(message);
  if (why.sandboxStopped) {
    return {
      level: 'warning',
      text: `${text} The local sandbox this folder points at is not running: start it (its state was kept), then run again.`,
      actions: [{ title: 'Start Sandbox', command: 'st2ic.startSandbox' }],
    };
  }
  return {
    level: 'warning',
    text,
    actions: why.unreachable ? [{ title: 'Test Intercom', command: 'st2ic.testIntercom' }] : [],
  };
}
