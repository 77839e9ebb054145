import type { Admin, Article, Collection, Company, Contact, Conversation, Team, Ticket } from '../../intercom';
import type { Ledger } from '../../ledger';
import type { MappingFile } from '../../model/mapping';
import type { ObjectType } from '../../model/object-types';
import type { SourceReader } from '../../source';
import type { LedgerRecords } from '../ledger-records';

export type SampleSize = number | 'all';

/** The reads the verification makes: an IntercomClient, or a wrapper that remembers what it read. */
export interface ReadBackClient {
  companies: { get(id: string): Promise<Company> };
  contacts: { get(id: string): Promise<Contact> };
  conversations: { get(id: string): Promise<Conversation> };
  /** SmarterTrack tickets the ledger says became Intercom tickets (`intercomObject: 'ticket'`). */
  tickets: { get(id: string): Promise<Ticket> };
  admins: { list(): Promise<Admin[]>; listTeams(): Promise<Team[]> };
  helpCenter: { listCollections(): AsyncIterable<Collection>; getArticle(id: string): Promise<Article> };
}

/** Downloads an attachment Intercom serves; null when it cannot be fetched (then its content is not compared). */
export type FetchFile = (url: string) => Promise<Buffer | null>;

export interface VerifyInput {
  reader: SourceReader;
  client: ReadBackClient;
  map: MappingFile;
  ledger: Ledger;
  records: LedgerRecords;
  sample: SampleSize;
  fetchFile?: FetchFile;
}

/** One field of one record where Intercom does not hold what the source holds. */
export interface Difference {
  objectType: ObjectType;
  sourceId: string;
  intercomId: string;
  field: string;
  /** The source's value (or words), as SmarterTrack has it. */
  source: string;
  /** What Intercom holds. */
  intercom: string;
}

/** Collects a record's checks: every record checked counts, with or without differences. */
export interface Findings {
  checked(objectType: ObjectType, sourceId: string): void;
  differ(d: Difference): void;
  /** A value that could not be compared (a file Intercom does not serve), counted so the report can say so. */
  unchecked(objectType: ObjectType, what: string): void;
}
