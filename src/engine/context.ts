import type { IntercomClient } from '../intercom';
import type { Ledger, RunJournal } from '../ledger';
import type { Clock } from '../model/clock';
import type { RunKind } from '../model/journal';
import type { MappingFile } from '../model/mapping';
import type { SourceReader } from '../source';
import type { CarriedOver, ParkedTally } from './concurrent';
import type { DryRunIds } from './dry-run-ids';
import type { ProgressSink } from './progress';
import type { Slots } from './slots';
import type { Workspace } from './workspace';
import type { WriteMemory } from './write';

export interface RunOptions {
  /** Source records processed at once (conversations in flight); the client paces requests. */
  concurrency: number;
  /** Sample runs: how many tickets. */
  sampleSize: number;
  /** Skip writes (dry run): everything else runs, records are journaled. */
  dryRun: boolean;
  /** Stop a search-backed lookup after this long (tests shorten it). */
  searchSettleMs?: number;
  /** Stop a lookup by direct read (a conversation's parts, its state) after this long (tests shorten it). */
  readSettleMs?: number;
}

/** Everything one run needs. Built by the runner; phases only read it. */
export interface RunContext {
  kind: RunKind;
  runId: string;
  reader: SourceReader;
  client: IntercomClient;
  ledger: Ledger;
  journal: RunJournal;
  map: MappingFile;
  workspace: Workspace;
  progress: ProgressSink;
  signal: AbortSignal;
  /** Rules that compare a source date with now (dates in the future) read this clock. */
  clock: Clock;
  options: RunOptions;
  memory: WriteMemory;
  /** Intercom tags by lower-cased name, filled as the run creates or finds tags (found ones existed before the migration). */
  tags: Map<string, Promise<{ id: string; existedBefore: boolean }>>;
  /** Contacts being created for conversation customers without a SmarterTrack user, by key. */
  visitors: Map<string, Promise<string>>;
  /** Conversations whose writes still wait for Intercom to confirm while later phases run. */
  carriedOver: CarriedOver;
  /** Dry runs: the records this dry run would have migrated, which the ledger's index leaves out. */
  dryRunIds?: DryRunIds;
  /** Parked records of every loop running now, reported to progress as one count. */
  parked?: ParkedTally;
  /** Record slots the conversation phases share, so one phase's tail and the next run side by side. */
  overlapSlots?: Slots;
}
