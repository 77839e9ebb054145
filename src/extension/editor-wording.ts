import { effectiveStatus, type RunKind } from '../mapping/review';
import type { MappingFile, ReviewStatus } from '../model/mapping';

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

const A_RUN: Record<RunKind, string> = { configure: 'configuring the workspace', sample: 'a sample run', full: 'a full migration', delta: 'a delta run', 'dry-run': 'a dry run' };
const NEEDED: Record<RunKind, ReviewStatus> = { configure: 'reviewed', sample: 'reviewed', full: 'approved', delta: 'approved', 'dry-run': 'draft' };
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

/** The notification at the end of a run, and whether Validate applies (only runs that wrote records). */
export function runOutcome(kind: RunKind, status: string, counts: string): { text: string; offerValidate: boolean } {
  return {
    text: `${RUN_TITLE[kind]} ${status}: ${counts}.`,
    offerValidate: status === 'completed' && (kind === 'sample' || kind === 'full' || kind === 'delta'),
  };
}

/** Command titles the rewritten messages point at (the palette's names, without the category). */
const COMMANDS = { sample: '"Run a Sample"', full: '"Run the Full Migration"', delta: '"Run a Delta"', 'dry-run': '"Dry Run"', configure: '"Configure Intercom Workspace"', rollback: '"Roll Back a Run"' } as const;

const REWRITES: [RegExp, string | ((...m: string[]) => string)][] = [
  // The map gate (src/mapping/review.ts).
  [/ \(st2ic map confirm[^)]*\)/g, ': open the Field Map and confirm it ("Confirm the Field Map")'],
  // A delta without a full run (src/engine/run-migration.ts).
  [/run the full migration first \(st2ic migrate\), or --adopt what Intercom already holds/g, `run the full migration first (${COMMANDS.full})`],
  // An interrupted run beside a new one (src/ledger/ledger.ts, writer-lock.ts).
  [/`st2ic rollback ([^`\s<]+)`/g, (_, id) => `${COMMANDS.rollback} on run ${id}`],
  [/`st2ic (migrate|sample|delta|configure|dry-run|rollback)[^`]*`/g, (_, verb) => COMMANDS[(verb === 'migrate' ? 'full' : verb) as keyof typeof COMMANDS]],
  [/run the same command with --take-over/g, 'choose Take Over'],
  [/pass --adopt to rebuild this ledger from Intercom first \(st2ic ledger rebuild --from-intercom does only that\)/g, 'choose "Adopt from Intercom, then Run" to rebuild this ledger from Intercom first'],
  [/\(st2ic runs are under /g, '(runs are under '],
  // No map yet (src/mapping/mapping-file.ts).
  [/run st2ic map propose/g, 'propose one with "Propose the Field Map"'],
  [/[Rr]un the same command again/g, 'Start it again'],
  [/then run this command again/g, 'then start this one again'],
];

/** An engine message with its CLI verbs and flags replaced by the extension's commands and buttons. */
export function inEditorTerms(message: string): string {
  return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement as (substring: string, ...args: string[]) => string), message);
}
