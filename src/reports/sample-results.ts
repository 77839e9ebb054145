import {
  type Company,
  type Contact,
  type Conversation,
  type IntercomClient,
  NotFoundError,
  type Ticket,
} from '../intercom';
import type { Ledger } from '../ledger';
import { type Clock, systemClock } from '../model/clock';
import type { MappingFile } from '../model/mapping';
import type { ObjectType } from '../model/object-types';
import {
  SAMPLE_RESULTS_CAP,
  type SampleField,
  type SampleIntercomObject,
  SampleObject,
  type SampleResultItem,
  SampleResults,
} from '../model/sample-results';
import type { SourceReader } from '../source';
import { type IntercomLinks, type LinkedKind, linkMaker } from './intercom-links';
import { type LatestRecord, type LedgerRecords, ledgerRecords } from './ledger-records';
import { compareSourceIds } from './reconciliation';
import { findingsOf, workspaceFindings } from './run-findings';
import type { ReadBackClient } from './verify/types';
import { verifyMigration } from './verify/verify';

export interface SampleResultsInput {
  ledger: Ledger;
  reader: SourceReader;
  client: IntercomClient;
  map: MappingFile;
  runId: string;
  /** web-app links */
  links: IntercomLinks;
  clock?: Clock;
}

/**
 * Each object read back once: the field check and the read-back view share the same answers.
 * Sample runs are small (a few dozen objects), so everything read is kept.
 */
class ReadOnce implements ReadBackClient {
  private readonly read = new Map<string, Promise<unknown>>();
  constructor(private readonly client: IntercomClient) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let found = this.read.get(key) as Promise<T> | undefined;
    if (!found) this.read.set(key, (found = load()));
    return found;
  }

  companies = {
    get: (id: string): Promise<Company> => this.once(`company:${id}`, () => this.client.companies.get(id)),
  };
  contacts = { get: (id: string): Promise<Contact> => this.once(`contact:${id}`, () => this.client.contacts.get(id)) };
  conversations = {
    get: (id: string): Promise<Conversation> =>
      this.once(`conversation:${id}`, () => this.client.conversations.get(id)),
  };
  tickets = {
    get: (id: string): Promise<Ticket> => this.once(`ticket:${id}`, () => this.client.tickets.get(id)),
  };
  admins = {
    list: () => this.once('admins', () => this.client.admins.list()),
    listTeams: () => this.once('teams', () => this.client.admins.listTeams()),
  };
  // A sample run moves no help center; read through when a sample check asks.
  helpCenter = {
    listCollections: () => this.client.helpCenter.listCollections(),
    getArticle: (id: string) => this.client.helpCenter.getArticle(id),
  };
}

type SourceFacts = SampleResultItem['source'];
const key = (object: ObjectType, sourceId: string | number) => `${object}:${sourceId}`;

const fact = (label: string, value: unknown): SampleField[] =>
  value === null || value === undefined || value === '' ? [] : [{ label, value: String(value) }];

/** A few readable facts per listed source record (subject, customer, status, department, dates, counts). */
async function sourceFacts(reader: SourceReader, wanted: ReadonlySet<string>): Promise<Map<string, SourceFacts>> {
  const facts = new Map<string, SourceFacts>();
  const departments = new Map<number, string>();
  for await (const d of reader.departments()) if (d.name) departments.set(d.id, d.name);
  const department = (id: number | null) => (id === null ? null : (departments.get(id) ?? `department ${id}`));

  for (const k of wanted) {
    if (!k.startsWith('tickets:')) continue;
    const thread = await reader.ticketThread(Number(k.slice('tickets:'.length)));
    if (!thread) continue;
    const t = thread.ticket;
    facts.set(k, {
      title: t.subject ? `Ticket ${t.number ?? t.id}: ${t.subject}` : `Ticket ${t.number ?? t.id}`,
      fields: [
        ...fact('Subject', t.subject),
        ...fact('Customer email', t.customerEmail),
        ...fact('Status', t.statusName),
        ...fact('Department', department(t.departmentId)),
        ...fact('Created', t.openedAt),
        ...fact('Messages', thread.items.filter((i) => i.kind === 'message').length),
        ...fact('Comments', thread.items.filter((i) => i.kind === 'comment').length),
      ],
    });
  }
  const lines = new Map<number, number>();
  for await (const m of reader.chatMessages())
    if (wanted.has(key('liveChats', m.chatId))) lines.set(m.chatId, (lines.get(m.chatId) ?? 0) + 1);
  for await (const c of reader.liveChats()) {
    if (!wanted.has(key('liveChats', c.id))) continue;
    facts.set(key('liveChats', c.id), {
      title: `Live chat ${c.number ?? c.id}`,
      fields: [
        ...fact('Customer email', c.customerEmail),
        ...fact('Customer name', c.customerName),
        ...fact('Department', department(c.departmentId)),
        ...fact('Started', c.startedAt),
        ...fact('Ended', c.endedAt),
        ...fact('Messages', lines.get(c.id) ?? 0),
      ],
    });
  }
  for await (const c of reader.callLogs()) {
    if (!wanted.has(key('callLogs', c.id))) continue;
    facts.set(key('callLogs', c.id), {
      title: c.subject ? `Call log ${c.number ?? c.id}: ${c.subject}` : `Call log ${c.number ?? c.id}`,
      fields: [
        ...fact('Subject', c.subject),
        ...fact('Customer email', c.customerEmail),
        ...fact('Customer phone', c.customerPhone),
        ...fact('Direction', c.outgoing ? 'outgoing' : 'incoming'),
        ...fact('Department', department(c.departmentId)),
        ...fact('Created', c.startedAt ?? c.createdAt),
      ],
    });
  }
  for await (const u of reader.endUsers()) {
    if (!wanted.has(key('endUsers', u.id))) continue;
    facts.set(key('endUsers', u.id), {
      title: u.displayName || u.email || `End user ${u.id}`,
      fields: [
        ...fact('Email', u.email),
        ...fact('Name', u.displayName),
        ...fact('Created', u.createdAt),
        ...(u.deleted ? fact('Deleted', 'yes') : []),
      ],
    });
  }
  for await (const o of reader.organizations()) {
    if (!wanted.has(key('organizations', o.id))) continue;
    facts.set(key('organizations', o.id), {
      title: o.name || `Organization ${o.id}`,
      fields: [...fact('Name', o.name), ...fact('Website', o.website), ...fact('Phone', o.phone)],
    });
  }
  return facts;
}

const text = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** Intercom reports "no assignee" as null or 0. */
const assignee = (id: unknown): string =>
  id === null || id === undefined || id === 0 || id === '0' ? 'unassigned' : text(id);

function conversationFields(c: Conversation): SampleField[] {
  const tags = (c.tags?.tags ?? []).map((t) => t.name ?? t.id).join(', ');
  return [
    { label: 'Title', value: text(c.title) },
    { label: 'State', value: text(c.state) },
    { label: 'Admin assignee', value: assignee(c.admin_assignee_id) },
    { label: 'Team assignee', value: assignee(c.team_assignee_id) },
    { label: 'Tags', value: tags },
    ...Object.entries(c.custom_attributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ label: `Attribute "${name}"`, value: text(value) })),
    {
      label: 'Parts',
      value: String(c.conversation_parts?.total_count ?? c.conversation_parts?.conversation_parts?.length ?? 0),
    },
  ];
}

/** An Intercom ticket as a reviewer checks it: type, title, state, assignees, tags, attributes, parts. */
function ticketFields(t: Ticket): SampleField[] {
  const attributes = t.ticket_attributes ?? {};
  return [
    { label: 'Ticket type', value: text(t.ticket_type?.name) },
    { label: 'Title', value: text(attributes._default_title_) },
    { label: 'State', value: text(t.ticket_state?.internal_label) },
    { label: 'Admin assignee', value: assignee(t.admin_assignee_id) },
    { label: 'Team assignee', value: assignee(t.team_assignee_id) },
    ...Object.entries(attributes)
      .filter(([name]) => !name.startsWith('_default_'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ label: `Attribute "${name}"`, value: text(value) })),
    { label: 'Parts', value: String(t.ticket_parts?.total_count ?? t.ticket_parts?.ticket_parts?.length ?? 0) },
  ];
}

const KIND_OF: Record<SampleObject, LinkedKind> = {
  tickets: 'conversation',
  liveChats: 'conversation',
  callLogs: 'conversation',
  endUsers: 'contact',
  organizations: 'company',
};

/** Reads the migrated object back (from the shared reads); undefined when Intercom does not have it. */
async function readBack(reads: ReadOnce, kind: LinkedKind, id: string): Promise<SampleField[] | undefined> {
  try {
    switch (kind) {
      case 'conversation':
        return conversationFields(await reads.conversations.get(id));
      case 'ticket':
        return ticketFields(await reads.tickets.get(id));
      case 'contact': {
        const c = await reads.contacts.get(id);
        return [
          { label: 'Email', value: text(c.email) },
          { label: 'Name', value: text(c.name) },
          { label: 'External id', value: text(c.external_id) },
        ];
      }
      case 'company': {
        const c = await reads.companies.get(id);
        return [
          { label: 'Name', value: text(c.name) },
          { label: 'Company id', value: text(c.company_id) },
        ];
      }
    }
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * What a sample run produced, record by record: every tickets, live chat, call log, end user and
 * organization record the run journaled (at most SAMPLE_RESULTS_CAP), with its state and reason,
 * a few source facts, the Intercom object read back with a link to it, and the reconciliation's
 * field-level mismatches (`checkFields` over the same records, every one of them).
 */
export async function buildSampleResults(input: SampleResultsInput): Promise<SampleResults> {
  const { ledger, reader, map } = input;
  const records = await ledgerRecords(ledger, input.runId);
  if (records.scope.mode !== 'run') throw new Error('sample results need a run');
  const runStatus = records.scope.status;

  const listed: (LatestRecord & { objectType: SampleObject })[] = [];
  for (const object of SampleObject.options) {
    const ofType = [...(records.byType.get(object)?.values() ?? [])].sort((a, b) =>
      compareSourceIds(a.sourceId, b.sourceId),
    );
    for (const r of ofType) if (listed.length < SAMPLE_RESULTS_CAP) listed.push({ ...r, objectType: object });
  }
  const listedRecords: LedgerRecords = { ...records, byType: new Map() };
  for (const r of listed) {
    const ofType = listedRecords.byType.get(r.objectType) ?? new Map<string, LatestRecord>();
    ofType.set(r.sourceId, r);
    listedRecords.byType.set(r.objectType, ofType);
  }

  const reads = new ReadOnce(input.client);
  const check = await verifyMigration({ reader, client: reads, map, ledger, records: listedRecords, sample: 'all' });
  const facts = await sourceFacts(reader, new Set(listed.map((r) => key(r.objectType, r.sourceId))));
  const linkTo = await linkMaker(input.links, input.client);

  const items: SampleResultItem[] = [];
  // One at a time: the field check already read every checked object; only call logs are read here.
  for (const r of listed) {
    const object = r.objectType;
    const result = r.result;
    const item: SampleResultItem = {
      object,
      sourceId: r.sourceId,
      source: facts.get(key(object, r.sourceId)) ?? {
        title: `${object} ${r.sourceId} (not in the source)`,
        fields: [],
      },
      state: result.state,
      mismatches: check.mismatches
        .filter((m) => m.objectType === object && m.sourceId === r.sourceId)
        .map(({ field, expected, actual }) => ({ field, expected, actual })),
    };
    if (result.state === 'skipped') item.reason = result.reason;
    if (result.state === 'failed')
      item.error = { ...(result.error.field ? { field: result.error.field } : {}), message: result.error.message };
    // Call logs kept as custom object instances are not conversations: nothing to read back or link.
    const customObjectCall = object === 'callLogs' && map.options.callLogsAs === 'custom-object';
    if (result.state === 'migrated' && !customObjectCall) {
      const kind = result.intercomObject === 'ticket' ? 'ticket' : KIND_OF[object];
      const fields = await readBack(reads, kind, result.intercomId);
      if (fields)
        item.intercom = {
          id: result.intercomId,
          kind,
          url: linkTo(kind, result.intercomId),
          fields,
        } satisfies SampleIntercomObject;
      else if (object === 'callLogs')
        item.mismatches.push({
          field: '(record)',
          expected: `exists in Intercom as ${result.intercomId}`,
          actual: 'not found (404)',
        });
    }
    items.push(item);
  }
  const attention = workspaceFindings(findingsOf(records.counts)).map((f) => f.text);
  return SampleResults.parse({
    runId: input.runId,
    runStatus,
    generatedAt: (input.clock ?? systemClock).now().toISOString(),
    items,
    attention,
  });
}
