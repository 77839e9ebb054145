import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { IntercomClient, TicketType } from '../../src/intercom';
import { type Ledger, openLedger } from '../../src/ledger';
import { readMappingFile } from '../../src/mapping/mapping-file';
import type { MappingFile, TicketTypeDefinition } from '../../src/model/mapping';
import type { FieldMismatch } from '../../src/model/reports';
import { type Attachment, attachmentSourceId, type TicketThread } from '../../src/model/source';
import { validateMigration } from '../../src/reports/validate-migration';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';
import type { SourceReader } from '../../src/source';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';
import { testClock } from '../support/clock';
import {
  clientFor,
  type Dataset,
  makeDataset,
  openDataset,
  removeDir,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { makePlain } from '../support/plain-dataset';

/**
 * Issue 20: a SmarterTrack ticket sent to an Intercom ticket type is read back with GET /tickets/{id}
 * and compared with the source like a conversation. Two fixture tickets are written here straight
 * through the client as the contract says the engine writes them (one of a Customer type, one of a
 * Back-office type, where a customer's message is an admin note), with the ledger records the
 * contract names. Validation reads them 100%; then one thing at a time is broken in Intercom and
 * validation names that record and field, and nothing else.
 */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
let client: IntercomClient;
let reader: SourceReader;
let ledger: Ledger;
let workspace: string;
let map: MappingFile;
/** The two tickets written: `customer` of the Customer type, `backOffice` of the Back-office type. */
let customer: Written;
let backOffice: Written;
const contexts = new Map<number, WriterContext>();

interface Written {
  thread: TicketThread;
  ticketId: string;
  /** Source message or comment id → its ticket part. */
  parts: Map<string, string>;
  /** Attachments (source key) → the part carrying them. */
  files: Map<string, string>;
}

const seconds = (iso: string | null): number => Math.floor(Date.parse(iso!) / 1000);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Short tickets every item of which is dated and says something, with a customer who has an email. */
async function candidates(): Promise<TicketThread[]> {
  const users = new Map((await collect(reader.endUsers())).map((u) => [u.id, u]));
  return (await collect(reader.ticketThreads())).filter((th) => {
    const t = th.ticket;
    const items = th.items.filter((i) => i.kind === 'comment' || !i.draft);
    const said = (i: (typeof items)[number]) => ((i.kind === 'comment' ? i.text : i.bodyText) ?? '').trim() !== '';
    return (
      !t.deleted &&
      !t.spam &&
      items.length <= 30 &&
      t.statusName !== null &&
      t.openedAt !== null &&
      !!t.subject &&
      t.departmentId !== null &&
      !!users.get(t.customerUserId ?? -1)?.email &&
      items.every((i) => i.date !== null && said(i)) &&
      items.some((i) => i.kind === 'comment') &&
      items.some((i) => i.kind === 'message' && i.direction === 'inbound') &&
      items.some((i) => i.kind === 'message' && i.direction === 'outbound') &&
      th.looseAttachments.length === 0 &&
      items.every((i) => i.kind === 'comment' || i.attachments.every((a) => !a.deleted && a.pathStatus === 'found'))
    );
  });
}

const fileName = (a: Attachment) => a.originalName?.trim() || a.fileNameOnDisk?.trim() || `attachment ${a.id}`;
const filesOf = (list: readonly Attachment[]) =>
  list.map((a) => ({
    name: fileName(a),
    content_type: 'application/octet-stream',
    data: readFileSync(a.path!).toString('base64'),
  }));

/** The map's choices for the two departments: two ticket types, their attributes, a state per status. */
function withTicketDestinations(
  base: MappingFile,
  picked: { customer: TicketThread; backOffice: TicketThread },
  options: { priorities: string[]; products: string[] },
): MappingFile {
  type Attribute = TicketTypeDefinition['attributes'][number];
  const attribute = (
    name: string,
    dataType: Attribute['dataType'],
    source: string,
    list: string[] = [],
  ): Attribute => ({
    name,
    description: '',
    dataType,
    options: list,
    source,
  });
  const priority = attribute('Priority', 'list', 'priorityName', options.priorities);
  const support: TicketTypeDefinition = {
    name: 'Support request',
    description: '',
    category: 'Customer',
    attributes: [
      priority,
      attribute('Opened', 'datetime', 'openedAt'),
      attribute('Source id', 'integer', 'id'),
      attribute('Department', 'string', 'departmentName'),
      attribute('Product', 'list', 'custom:1', options.products),
    ],
  };
  const escalation: TicketTypeDefinition = {
    name: 'Escalation',
    description: '',
    category: 'Back-office',
    attributes: [priority],
  };
  return {
    ...base,
    ticketDestinations: {
      default: 'conversation',
      departments: {
        [String(picked.customer.ticket.departmentId)]: { name: '', destination: { ticketType: support.name } },
        [String(picked.backOffice.ticket.departmentId)]: { name: '', destination: { ticketType: escalation.name } },
      },
      ticketTypes: [support, escalation],
      states: {
        Active: 'In progress',
        Waiting: 'Waiting on customer',
        Closed: 'Resolved',
        'Closed and Locked': 'Resolved',
      },
    },
  };
}

/** The value the contract sends for an attribute: written here by hand, for these fixture values only. */
function valueFor(
  definition: TicketTypeDefinition['attributes'][number],
  thread: TicketThread,
  departmentName: string | null,
  custom: Map<string, string | null>,
): string | number | undefined {
  const t = thread.ticket;
  const raw =
    definition.source === 'priorityName'
      ? t.priorityName
      : definition.source === 'openedAt'
        ? t.openedAt
        : definition.source === 'id'
          ? String(t.id)
          : definition.source === 'departmentName'
            ? departmentName
            : (custom.get(`${t.id}:${definition.source.slice('custom:'.length)}`) ?? null);
  if (raw === null || raw === '') return undefined;
  if (definition.dataType === 'datetime') return seconds(raw);
  if (definition.dataType === 'integer') return Number(raw);
  if (definition.dataType === 'list') return definition.options.find((o) => o === raw);
  return raw;
}

interface WriterContext {
  type: TicketType;
  definition: TicketTypeDefinition;
  contactId: string;
  adminOf: (agentId: number | null) => string;
  teamOf: (departmentId: number | null) => string | undefined;
  departmentName: string | null;
  custom: Map<string, string | null>;
}

/** What a faulty writer gets wrong: one item left out, the ticket dated later, a customer message's heading dropped. */
interface Fault {
  omit?: string;
  lateSeconds?: number;
  noHeading?: boolean;
}

/** Writes one ticket as the contract says the engine does (or with one fault); its ledger records are `recordTicket`'s. */
async function writeTicket(thread: TicketThread, ctx: WriterContext, fault: Fault = {}): Promise<Written> {
  const { type, definition } = ctx;
  const t = thread.ticket;
  const attributes: Record<string, string | number> = {
    _default_title_: t.subject!,
    st2ic_source_key: `ticket:${t.id}`,
  };
  for (const a of definition.attributes) {
    const value = valueFor(a, thread, ctx.departmentName, ctx.custom);
    if (value !== undefined) attributes[a.name] = value;
  }
  const team = ctx.teamOf(t.departmentId);
  const ticket = await client.tickets.create({
    ticket_type_id: type.id,
    contacts: [{ id: ctx.contactId }],
    created_at: seconds(t.openedAt) + (fault.lateSeconds ?? 0),
    skip_notifications: true,
    ticket_attributes: attributes,
    assignment: { admin_assignee_id: ctx.adminOf(t.assignedAgentId), ...(team ? { team_assignee_id: team } : {}) },
  });
  const parts = new Map<string, string>();
  const files = new Map<string, string>();
  const noteOnly = definition.category !== 'Customer';
  for (const item of thread.items) {
    if (item.kind === 'message' && item.draft) continue;
    if (fault.omit === `${item.kind === 'comment' ? 'ticketComments' : 'ticketMessages'}:${item.id}`) continue;
    const createdAt = seconds(item.date);
    if (item.kind === 'comment') {
      const part = await client.tickets.replyAsAdmin(ticket.id, {
        message_type: 'note',
        type: 'admin',
        admin_id: ctx.adminOf(item.authorUserId),
        body: `<p>${item.text}</p>`,
        created_at: createdAt,
      });
      parts.set(`ticketComments:${item.id}`, part.id);
      continue;
    }
    const body = item.bodyHtml || `<p>${item.bodyText}</p>`;
    const withFiles = item.attachments.length ? { attachment_files: filesOf(item.attachments) } : {};
    let part: string;
    let carrier: string;
    if (item.direction === 'inbound' && !noteOnly) {
      part = (
        await client.tickets.replyAsContact(ticket.id, {
          message_type: 'comment',
          type: 'user',
          intercom_user_id: ctx.contactId,
          body,
          created_at: createdAt,
          skip_notifications: true,
        })
      ).id;
      // A contact's reply takes no files: they ride on an admin note of the same time right after it.
      carrier = item.attachments.length
        ? (
            await client.tickets.replyAsAdmin(ticket.id, {
              message_type: 'note',
              type: 'admin',
              admin_id: ctx.adminOf(null),
              body: '<p>Files sent with the message above</p>',
              created_at: createdAt,
              ...withFiles,
            })
          ).id
        : part;
    } else {
      const inbound = item.direction === 'inbound';
      part = carrier = (
        await client.tickets.replyAsAdmin(ticket.id, {
          message_type: inbound ? 'note' : 'comment',
          type: 'admin',
          admin_id: ctx.adminOf(inbound ? null : item.fromUserId),
          body: inbound && !fault.noHeading ? `<h3>Customer message</h3>${body}` : body,
          created_at: createdAt,
          skip_notifications: true,
          ...withFiles,
        })
      ).id;
    }
    parts.set(`ticketMessages:${item.id}`, part);
    for (const a of item.attachments) files.set(attachmentSourceId(a), carrier);
  }
  const state = (await client.ticketTypes.listStates()).find(
    (s) => s.internal_label === map.ticketDestinations!.states[t.statusName!],
  )!;
  await client.tickets.update(ticket.id, { ticket_state_id: state.id });

  return { thread, ticketId: ticket.id, parts, files };
}

/** The ledger records the contract names for a written ticket, in a run of their own (the latest record wins). */
async function recordTicket(w: Written): Promise<void> {
  const run = await ledger.startRun({
    kind: 'full',
    mappingHash: 'sha256:test',
    source: { kind: 'sqlite', description: 'generated dataset' },
  });
  const t = w.thread.ticket;
  const { parts, files } = w;
  run.record({
    objectType: 'tickets',
    sourceId: String(t.id),
    state: 'migrated',
    intercomId: w.ticketId,
    intercomObject: 'ticket',
  });
  for (const [key, id] of parts) {
    const [objectType, sourceId] = key.split(':') as ['ticketMessages' | 'ticketComments', string];
    run.record({ objectType, sourceId, state: 'migrated', intercomId: id });
  }
  for (const [sourceId, id] of files)
    run.record({ objectType: 'attachments', sourceId, state: 'migrated', intercomId: id });
  await run.finish('completed');
}

async function validate(): Promise<{ mismatches: FieldMismatch[]; checked: Map<string, [number, number | null]> }> {
  const { reconciliation } = await validateMigration({
    workspaceDir: workspace,
    ledger,
    reader,
    client,
    map,
    clock: testClock,
  });
  const check = reconciliation.report.fieldCheck;
  return {
    mismatches: check.mismatches,
    checked: new Map(check.types.map((t) => [t.objectType, [t.checked, t.fidelity]])),
  };
}

const named = (mismatches: FieldMismatch[]) => mismatches.map((m) => `${m.objectType} ${m.sourceId} ${m.field}`);

before(async () => {
  dir = tempDir('validate-tickets');
  ds = await makeDataset(path.join(dir, 'source'), 0.2, 5);
  makePlain(ds);
  reader = await openDataset(ds);
  const seedFile = path.join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(await seedForSource(reader, new Set())));
  sandbox = await startSandbox({ rateLimitPer10s: 100_000, searchLagMs: 0, seedFile });
  client = clientFor(sandbox);
  workspace = path.join(dir, 'workspace');
  await writeMap(workspace, ds, 'approved');

  const all = await candidates();
  const users = new Map((await collect(reader.endUsers())).map((u) => [u.id, u]));
  const emailOf = (th: TicketThread) => users.get(th.ticket.customerUserId!)!.email!.toLowerCase();
  const withFiles = all.find((th) =>
    th.items.some((i) => i.kind === 'message' && i.direction === 'inbound' && i.attachments.length > 0),
  );
  assert.ok(withFiles, 'the fixture has a ticket whose customer sent a file');
  const other = all.find(
    (th) =>
      th.ticket.departmentId !== withFiles.ticket.departmentId &&
      emailOf(th) !== emailOf(withFiles) &&
      th.items.some((i) => i.kind === 'message' && i.attachments.length > 0),
  );
  assert.ok(other, 'the fixture has a ticket with a file in another department');
  const custom = new Map<string, string | null>();
  for await (const v of reader.customFieldValues())
    if (v.channel === 'ticket') custom.set(`${v.recordId}:${v.fieldId}`, v.value);
  const products = (await collect(reader.customFields())).find((f) => f.id === 1)!.options;
  const priorities = (await collect(reader.ticketPriorities())).map((p) => p.name!);
  map = withTicketDestinations(
    await readMappingFile(workspace),
    { customer: withFiles, backOffice: other },
    { priorities, products },
  );

  // Intercom as `configure` leaves it: the types, their attributes and the source key attribute.
  const types = new Map<string, TicketType>();
  for (const definition of map.ticketDestinations!.ticketTypes) {
    const type = await client.ticketTypes.create({ name: definition.name, category: definition.category });
    for (const a of definition.attributes)
      await client.ticketTypes.createAttribute(type.id, {
        name: a.name,
        description: a.description,
        data_type: a.dataType,
        ...(a.dataType === 'list' ? { list_items: a.options.join(',') } : {}),
      });
    await client.ticketTypes.createAttribute(type.id, {
      name: 'st2ic_source_key',
      description: 'SmarterTrack record',
      data_type: 'string',
    });
    types.set(definition.name, type);
  }

  // Who is who in Intercom: admins by the agents' emails, teams by the departments' names.
  const admins = await client.admins.list();
  const agents = new Map((await collect(reader.agents())).map((a) => [a.id, a]));
  const adminOf = (agentId: number | null) => {
    const email = agentId === null ? null : agents.get(agentId)?.email?.toLowerCase();
    return (admins.find((a) => email && a.email?.toLowerCase() === email) ?? admins[0]!).id;
  };
  const teams = await client.admins.listTeams();
  const departments = new Map((await collect(reader.departments())).map((d) => [d.id, d.name]));
  const teamOf = (departmentId: number | null) => {
    const name = departmentId === null ? null : departments.get(departmentId);
    return teams.find((t) => name && t.name === (map.valueMaps.teams[name] ?? name))?.id;
  };

  ledger = await openLedger(workspace, { warn: () => undefined });
  const run = await ledger.startRun({
    kind: 'full',
    mappingHash: 'sha256:test',
    source: { kind: 'sqlite', description: 'generated dataset' },
  });
  for (const [thread, typeName] of [
    [withFiles, 'Support request'],
    [other, 'Escalation'],
  ] as const) {
    const user = users.get(thread.ticket.customerUserId!)!;
    const contact = await client.contacts.create({ role: 'user', external_id: String(user.id), email: user.email! });
    // Recorded as a contact found by its email: only that it is the user's is checked, not the contact's own fields.
    run.record({
      objectType: 'endUsers',
      sourceId: String(user.id),
      state: 'migrated',
      intercomId: contact.id,
      existedBefore: true,
    });
    contexts.set(thread.ticket.id, {
      type: types.get(typeName)!,
      definition: map.ticketDestinations!.ticketTypes.find((d) => d.name === typeName)!,
      contactId: contact.id,
      adminOf,
      teamOf,
      departmentName: departments.get(thread.ticket.departmentId!) ?? null,
      custom,
    });
  }
  await run.finish('completed');
  customer = await writeTicket(withFiles, contexts.get(withFiles.ticket.id)!);
  backOffice = await writeTicket(other, contexts.get(other.ticket.id)!);
  await recordTicket(customer);
  await recordTicket(backOffice);
});

/**
 * Intercom offers no way to delete a part or redate a ticket: a copy of the ticket is written by a
 * writer with one fault and the ledger pointed at it, as a faulty engine would leave them; after
 * `check`, the ledger points at the faithful ticket again.
 */
async function withFaultyCopy(of: Written, fault: Fault, check: (copy: Written) => Promise<void>): Promise<void> {
  const copy = await writeTicket(of.thread, contexts.get(of.thread.ticket.id)!, fault);
  // A left-out item keeps the part the ledger had for it: a part this ticket does not hold.
  if (fault.omit) copy.parts.set(fault.omit, of.parts.get(fault.omit)!);
  await recordTicket(copy);
  try {
    await check(copy);
  } finally {
    await recordTicket(of);
  }
}

after(async () => {
  await ledger?.close();
  await reader?.close();
  await sandbox?.close();
  if (dir) removeDir(dir);
});

describe('tickets written as Intercom tickets', () => {
  test('read back 100%: tickets, their messages, comments and files, each checked against the ticket', async () => {
    const { mismatches, checked } = await validate();
    assert.deepEqual(named(mismatches), []);
    const count = (objectType: string) =>
      [customer, backOffice].reduce(
        (n, w) =>
          n +
          [...w.parts.keys(), ...[...w.files.keys()].map((k) => `attachments:${k}`)].filter((k) =>
            k.startsWith(`${objectType}:`),
          ).length,
        0,
      );
    assert.deepEqual(checked.get('tickets'), [2, 100]);
    assert.deepEqual(checked.get('ticketMessages'), [count('ticketMessages'), 100]);
    assert.deepEqual(checked.get('ticketComments'), [count('ticketComments'), 100]);
    assert.deepEqual(checked.get('attachments'), [count('attachments'), 100]);
    assert.ok(count('attachments') >= 2 && count('ticketComments') >= 2);
    // Every attribute of the Customer type had a source value to compare.
    const attributes = (await client.tickets.get(customer.ticketId)).ticket_attributes ?? {};
    for (const name of ['Priority', 'Opened', 'Source id', 'Department', 'Product', 'st2ic_source_key'])
      assert.notEqual(attributes[name] ?? null, null, `${name} was written`);
  });

  test('a lost part is named: the comment, as a record missing from its ticket', async () => {
    const key = [...customer.parts.keys()].find((k) => k.startsWith('ticketComments:'))!;
    await withFaultyCopy(customer, { omit: key }, async (copy) => {
      const { mismatches } = await validate();
      assert.deepEqual(named(mismatches), [`ticketComments ${key.split(':')[1]} (record)`]);
      assert.equal(mismatches[0]!.actual, `no comment or note ${customer.parts.get(key)} in the ticket`);
      assert.equal(mismatches[0]!.expected, `a message of ticket ${copy.ticketId}`);
    });
  });

  test('a wrong state is named with the state the map chose and the one Intercom holds', async () => {
    const states = await client.ticketTypes.listStates();
    const wanted = map.ticketDestinations!.states[backOffice.thread.ticket.statusName!]!;
    const wrong = states.find((s) => s.internal_label !== wanted)!;
    const right = states.find((s) => s.internal_label === wanted)!;
    await client.tickets.update(backOffice.ticketId, { ticket_state_id: wrong.id });
    try {
      const { mismatches } = await validate();
      assert.deepEqual(named(mismatches), [`tickets ${backOffice.thread.ticket.id} state`]);
      assert.equal(mismatches[0]!.actual, wrong.internal_label);
      assert.match(mismatches[0]!.expected, new RegExp(`^${wanted} `));
    } finally {
      await client.tickets.update(backOffice.ticketId, { ticket_state_id: right.id });
    }
  });

  test('a wrong attribute value is named with the attribute', async () => {
    const priority = customer.thread.ticket.priorityName!;
    const other = map.ticketDestinations!.ticketTypes[0]!.attributes[0]!.options.find((o) => o !== priority)!;
    await client.tickets.update(customer.ticketId, { ticket_attributes: { Priority: other } });
    try {
      const { mismatches } = await validate();
      assert.deepEqual(named(mismatches), [`tickets ${customer.thread.ticket.id} ticket_attributes.Priority`]);
      assert.deepEqual([mismatches[0]!.expected, mismatches[0]!.actual], [priority, other]);
    } finally {
      await client.tickets.update(customer.ticketId, { ticket_attributes: { Priority: priority } });
    }
  });

  test('a wrong created_at is named with both times', async () => {
    await withFaultyCopy(backOffice, { lateSeconds: 3600 }, async () => {
      const { mismatches } = await validate();
      assert.deepEqual(named(mismatches), [`tickets ${backOffice.thread.ticket.id} created_at`]);
      assert.equal(Date.parse(mismatches[0]!.actual) - Date.parse(mismatches[0]!.expected), 3_600_000);
    });
  });

  test("a customer's message on a Back-office ticket without its heading is named", async () => {
    const inbound = backOffice.thread.items.find((i) => i.kind === 'message' && i.direction === 'inbound')!;
    await withFaultyCopy(backOffice, { noHeading: true }, async () => {
      const { mismatches } = await validate();
      assert.deepEqual(named(mismatches), [`ticketMessages ${inbound.id} heading`]);
    });
  });

  // Last: the note it adds stays on the ticket.
  test('a text cut to its limit is no difference when a note of the ticket holds it whole, and one when none does', async () => {
    const id = customer.ticketId;
    const whole = String((await client.tickets.get(id)).ticket_attributes?.Department);
    assert.ok(whole.length > 3, `the department name: ${whole}`);
    const cut = whole.slice(0, whole.length - 2);
    await client.tickets.update(id, { ticket_attributes: { Department: cut } });
    try {
      const lost = await validate();
      assert.deepEqual(named(lost.mismatches), [`tickets ${customer.thread.ticket.id} ticket_attributes.Department`]);
      await client.tickets.replyAsAdmin(id, {
        message_type: 'note',
        type: 'admin',
        admin_id: String((await client.admins.list())[0]!.id),
        body: `<p>Department:</p><p>${whole}</p>`,
      });
      const kept = await validate();
      assert.deepEqual(named(kept.mismatches), []);
    } finally {
      await client.tickets.update(id, { ticket_attributes: { Department: whole } });
    }
  });
});
