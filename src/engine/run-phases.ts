import type { Agent } from '../model/source';
import type { SourceReader } from '../source';
import type { RunContext } from './context';
import { type CustomValueIndex, loadCustomValues } from './custom-values';
import { loadLookups } from './lookups';
import { peopleScope } from './people-scope';
import { migrateCallLogs, migrateChats } from './phases/chats-and-calls';
import { configureWorkspace } from './phases/configure';
import { migrateKnowledgeBase } from './phases/knowledge-base';
import { migrateCompanies, migrateContacts, migrateMemberships, type PeopleScope } from './phases/people';
import { recordReferenceObjects } from './phases/reference-objects';
import { migrateTags } from './phases/tags';
import { migrateTickets, type PlanInputs } from './phases/tickets';
import type { MigrationKind } from './run-migration';
import { type SampleSelection, selectSample } from './sample';
import { peopleAgain, type SecondPass, secondPassOf } from './second-pass';
import type { WorkspacePlan } from './workspace';

/** What the phases of one run share. The scope phase fills `records`; the second pass, `again`. */
export interface RunState {
  kind: MigrationKind;
  ctx: RunContext;
  reader: SourceReader;
  agents: readonly Agent[];
  plan: WorkspacePlan;
  records?: RecordInputs;
  again?: SecondPass;
}

/** What the record phases read besides the records themselves. */
interface RecordInputs {
  selection: SampleSelection | undefined;
  people: PeopleScope;
  userValues: CustomValueIndex;
  conversations: PlanInputs;
}

/** One phase of a run, as the loop walks it. */
interface RunPhase {
  /** The progress phase the loop announces before running it; phases that only read or decide announce none. */
  progress?: string;
  /** How many items the announced phase has, when known up front. */
  total?: (run: RunState) => number;
  /** Whether the phase belongs to this run: its kind, and in the second pass what is asked again. */
  runsIn: (run: RunState) => boolean;
  run: (run: RunState) => Promise<void>;
  /** Values the reader had to read leniently (an unreadable date) are named once the phase is done. */
  readerWarningsAfter?: true;
}

/**
 * Runs the phases that belong to this run, in order. Announcing each phase and naming the reader's
 * warnings happen here, so the phases themselves only migrate.
 */
export async function walkPhases(phases: readonly RunPhase[], run: RunState): Promise<void> {
  for (const phase of phases) {
    if (!phase.runsIn(run)) continue;
    if (phase.progress !== undefined) {
      if (phase.total) run.ctx.progress.phase(phase.progress, phase.total(run));
      else run.ctx.progress.phase(phase.progress);
    }
    await phase.run(run);
    if (phase.readerWarningsAfter) for (const w of run.reader.drainDataWarnings?.() ?? []) run.ctx.progress.warn(w);
  }
}

function recordsOf(run: RunState): RecordInputs {
  if (!run.records) throw new Error('a record phase ran before the run read its scope');
  return run.records;
}

function againOf(run: RunState): SecondPass {
  if (!run.again) throw new Error('a second-pass phase ran without records to ask again');
  return run.again;
}

/** The sample (when one), the people in scope, the lookups and the custom values the record phases join. */
async function readRecordInputs(run: RunState): Promise<void> {
  const { ctx, reader } = run;
  const selection = run.kind === 'sample' ? await selectSample(reader, ctx.options.sampleSize) : undefined;
  if (selection)
    ctx.progress.info(
      `Sample: ${selection.ticketIds.size} tickets, ${selection.chatIds.size} chats, ${selection.callLogIds.size} call logs`,
    );
  const people = await peopleScope(
    reader,
    selection,
    ctx.map.options.includeDeletedTickets,
    ctx.map.options.includeSpamTickets,
  );
  const lookups = await loadLookups(reader);
  const values = await loadCustomValues(reader);
  run.records = {
    selection,
    people,
    userValues: values.users,
    conversations: { ctx, people, lookups, values: values.records },
  };
}

/** Records that met a passing fault, or waited on one, are asked again once before the run ends. */
async function decideSecondPass(run: RunState): Promise<void> {
  const { ctx } = run;
  await ctx.carriedOver.settle();
  const again = ctx.kind === 'dry-run' || ctx.signal.aborted ? undefined : secondPassOf(ctx.journal.failures());
  if (!again) return;
  run.again = again;
  ctx.progress.info(
    `Asking again for ${again.records} record(s) that met a passing fault (a 5xx, a lost answer) or waited on one`,
  );
}

/** A configure run stops after the workspace phases: the workspace is ready, nothing else moves. */
const migratesRecords = (run: RunState) => run.kind !== 'configure';
/** A sample rehearses conversations and their people only. */
const migratesAll = (run: RunState) => migratesRecords(run) && run.kind !== 'sample';

/** The second pass: the record phases again, each over what it has to ask again. */
const SECOND_PASS: readonly RunPhase[] = [
  {
    progress: 'companies',
    runsIn: (run) => againOf(run).organizationIds.size > 0,
    run: (run) => migrateCompanies(run.ctx, peopleAgain(recordsOf(run).people, againOf(run), 'contacts')),
  },
  {
    progress: 'contacts',
    runsIn: (run) => againOf(run).userIds.size > 0,
    run: (run) =>
      migrateContacts(run.ctx, peopleAgain(recordsOf(run).people, againOf(run), 'contacts'), recordsOf(run).userValues),
  },
  {
    progress: 'company memberships',
    runsIn: (run) => againOf(run).membershipUserIds.size > 0,
    run: (run) => migrateMemberships(run.ctx, peopleAgain(recordsOf(run).people, againOf(run), 'memberships')),
  },
  {
    progress: 'conversations from tickets',
    runsIn: (run) => againOf(run).conversations.ticketIds.size > 0,
    run: (run) => migrateTickets(recordsOf(run).conversations, { ticketIds: againOf(run).conversations.ticketIds }),
  },
  {
    progress: 'conversations from live chats',
    runsIn: (run) => againOf(run).conversations.chatIds.size > 0,
    run: (run) => migrateChats(recordsOf(run).conversations, { chatIds: againOf(run).conversations.chatIds }),
  },
  {
    progress: 'call logs',
    runsIn: (run) => againOf(run).conversations.callLogIds.size > 0,
    run: (run) => migrateCallLogs(recordsOf(run).conversations, { callLogIds: againOf(run).conversations.callLogIds }),
  },
];

/**
 * The phases of a migration run in dependency order: workspace (attributes, then admins, teams and
 * fields) → tags → companies → contacts → links → conversations (tickets, chats, calls) → help center,
 * then the second pass. Tickets, chats and call logs share the run's overlap slots (forEachRecord):
 * a phase's tail still runs beside the next one.
 */
export const RUN_PHASES: readonly RunPhase[] = [
  {
    progress: 'configure workspace',
    total: (run) => run.plan.attributesToCreate.length,
    runsIn: () => true,
    run: (run) => configureWorkspace(run.ctx, run.plan),
  },
  {
    progress: 'admins, teams and fields',
    runsIn: (run) => run.kind !== 'delta',
    run: (run) => recordReferenceObjects(run.ctx, run.agents),
  },
  { runsIn: migratesRecords, run: readRecordInputs, readerWarningsAfter: true },
  { progress: 'tags', runsIn: migratesAll, run: (run) => migrateTags(run.ctx) },
  { progress: 'companies', runsIn: migratesRecords, run: (run) => migrateCompanies(run.ctx, recordsOf(run).people) },
  {
    progress: 'contacts',
    runsIn: migratesRecords,
    run: (run) => migrateContacts(run.ctx, recordsOf(run).people, recordsOf(run).userValues),
  },
  {
    progress: 'company memberships',
    runsIn: migratesRecords,
    readerWarningsAfter: true,
    run: (run) => migrateMemberships(run.ctx, recordsOf(run).people),
  },
  {
    progress: 'conversations from tickets',
    runsIn: migratesRecords,
    readerWarningsAfter: true,
    run: (run) => migrateTickets(recordsOf(run).conversations, recordsOf(run).selection ?? {}),
  },
  {
    progress: 'conversations from live chats',
    runsIn: migratesRecords,
    run: (run) => migrateChats(recordsOf(run).conversations, recordsOf(run).selection ?? {}),
  },
  {
    progress: 'call logs',
    runsIn: migratesRecords,
    readerWarningsAfter: true,
    run: (run) => migrateCallLogs(recordsOf(run).conversations, recordsOf(run).selection ?? {}),
  },
  // A sample has no help center phase, nor the warnings after it: the reader read nothing since the call logs'.
  {
    progress: 'help center',
    runsIn: migratesAll,
    run: (run) => migrateKnowledgeBase(run.ctx),
    readerWarningsAfter: true,
  },
  { runsIn: migratesRecords, run: decideSecondPass },
  { runsIn: (run) => run.again !== undefined, run: (run) => walkPhases(SECOND_PASS, run), readerWarningsAfter: true },
];
