import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { proposeMap } from '../../src/engine/propose-map';
import { selectSample } from '../../src/engine/sample';
import { type Ledger, openLedger } from '../../src/ledger';
import type { RecordState } from '../../src/model/journal';
import type { MappingFile } from '../../src/model/mapping';
import { SampleObject, type SampleResultItem, SampleResults } from '../../src/model/sample-results';
import { buildSampleResults, type SampleResultsInput } from '../../src/reports/sample-results';
import type { SourceReader } from '../../src/source/reader';
import {
  clientFor,
  type Dataset,
  openDataset,
  type RanWorkspace,
  ranWorkspace,
  recordResults,
} from '../support/engine-fixtures';
import { makePlain } from '../support/plain-dataset';

/**
 * Sample results after a real sample run into the sandbox: every record the run journaled, each
 * migrated one read back once, linked, and compared with the source by the independent verifier.
 */

let world: RanWorkspace;
let reader: SourceReader;
let ledger: Ledger;
let records: Map<string, RecordState>;
let results: SampleResults;
let readsDuringBuild: string[];

const input = (links: SampleResultsInput['links']): SampleResultsInput => ({
  ledger,
  reader,
  client: clientFor(world.sandbox),
  map: world.map,
  runId: world.result.runId,
  links,
});

const SAMPLE_SIZE = 10;
/** A sampled ticket given a custom value its date attribute cannot take, under a map that fails such values: the run fails it on that field. */
let broken: { ticketId: number; field: string };

async function breakOneTicket(ds: Dataset): Promise<void> {
  const source = await openDataset(ds);
  try {
    const map = await proposeMap(source);
    const dateField = map.objects.tickets.fields.find(
      (f) => f.source.startsWith('custom:') && f.target.kind === 'attribute' && f.target.dataType === 'datetime',
    );
    assert.ok(dateField, 'the map has a date custom field for tickets');
    const [ticketId] = [...(await selectSample(source, SAMPLE_SIZE)).ticketIds].sort((a, b) => a - b);
    broken = { ticketId: ticketId!, field: dateField.source };
  } finally {
    await source.close();
  }
  const db = new Database(ds.dbPath);
  try {
    db.prepare(
      'INSERT OR REPLACE INTO st_CustomDataFieldsInTickets (TicketID, CustomFieldID, DataContent) VALUES (?, ?, ?)',
    ).run(broken.ticketId, Number(broken.field.slice('custom:'.length)), 'not a date');
  } finally {
    db.close();
  }
}

function failInvalidValues(map: MappingFile): MappingFile {
  for (const f of map.objects.tickets.fields) if (f.source === broken.field) f.transform.invalid = 'fail';
  return map;
}

before(async () => {
  // Plain texts: today's transforms carry them whole, so the independent read-back finds nothing else.
  world = await ranWorkspace('sample-results', {
    scale: 0.1,
    seed: 3,
    kind: 'sample',
    sampleSize: SAMPLE_SIZE,
    prepare: async (ds) => {
      makePlain(ds);
      await breakOneTicket(ds);
    },
    edit: failInvalidValues,
  });
  assert.equal(world.result.status, 'completed', world.result.message);
  records = recordResults<RecordState>(world.dir, world.result.runId);
  reader = await openDataset(world.ds);
  ledger = await openLedger(world.dir, { warn: () => undefined });
  const before = world.sandbox.requests().length;
  results = await buildSampleResults(input({ baseUrl: world.sandbox.url }));
  readsDuringBuild = world.sandbox
    .requests()
    .slice(before)
    .map((r) => `${r.method} ${r.path}`);
});

after(async () => {
  await ledger?.close();
  await reader?.close();
  await world?.close();
});

const migrated = (items: readonly SampleResultItem[]) => items.filter((i) => i.state === 'migrated');

test('agents no Intercom admin matched are said beside the records, which read back "as mapped" all the same', () => {
  const agents = [...records].filter(([key]) => key.startsWith('agents:')).map(([, state]) => state);
  const unmatched = agents.filter((r) => r.state === 'skipped').length;
  assert.ok(unmatched > 0, "the dataset's agents have other emails than the sandbox's admins");
  assert.ok(
    results.attention.some((t) => t.startsWith(`${unmatched} of ${agents.length} agents match no Intercom admin`)),
    results.attention.join(' | '),
  );
});

test('every tickets, chat, call, end user and organization record the run journaled is listed with its state', () => {
  SampleResults.parse(results);
  assert.equal(results.runId, world.result.runId);
  assert.equal(results.runStatus, 'completed');
  const journaled = [...records].filter(([k]) => SampleObject.options.some((o) => k.startsWith(`${o}:`)));
  assert.equal(results.items.length, journaled.length);
  for (const [k, state] of journaled) {
    const item = results.items.find((i) => `${i.object}:${i.sourceId}` === k);
    assert.ok(item, `${k} is listed`);
    assert.equal(item.state, state.state, k);
    if (state.state === 'skipped') assert.equal(item.reason, state.reason, k);
    if (state.state === 'failed') assert.equal(item.error?.message, state.error.message, k);
    if (state.state === 'migrated') assert.equal(item.intercom?.id, state.intercomId, k);
    assert.ok(item.source.title.length > 0, `${k} has a readable title`);
  }
  const count = (object: SampleObject) =>
    results.items.filter((i) => i.object === object && i.state === 'migrated').length;
  assert.equal(count('tickets'), SAMPLE_SIZE - 1, 'the sampled tickets but the broken one');
  const failed = results.items.find((i) => i.object === 'tickets' && i.sourceId === String(broken.ticketId));
  assert.equal(failed?.state, 'failed');
  assert.equal(failed.error?.field, broken.field);
  assert.match(failed.error.message, /not a date|date/i);
  assert.equal(failed.intercom, undefined);
  assert.ok(
    count('liveChats') > 0 && count('callLogs') > 0 && count('endUsers') > 0,
    'chats, calls and their customers',
  );
});

test('source facts are the source record in plain text', async () => {
  const ticket = results.items.find((i) => i.object === 'tickets')!;
  const thread = (await reader.ticketThread(Number(ticket.sourceId)))!;
  const facts = Object.fromEntries(ticket.source.fields.map((f) => [f.label, f.value]));
  assert.equal(facts.Subject, thread.ticket.subject ?? undefined);
  assert.equal(facts['Customer email'], thread.ticket.customerEmail ?? undefined);
  assert.equal(facts.Messages, String(thread.items.filter((i) => i.kind === 'message').length));
});

test('each migrated conversation, contact and company links to the sandbox view of itself, as the sandbox holds it', async () => {
  const state = world.sandbox.state();
  for (const item of migrated(results.items)) {
    const view = item.intercom!;
    assert.ok(
      view.url?.startsWith(`${world.sandbox.url}/__sandbox/view/`),
      `${item.object} ${item.sourceId}: ${view.url}`,
    );
    const res = await fetch(view.url!);
    assert.equal(res.status, 200, view.url!);
    const body = (await res.json()) as { id: string };
    assert.equal(body.id, view.id);
    const fields = Object.fromEntries(view.fields.map((f) => [f.label, f.value]));
    if (view.kind === 'conversation') {
      const c = state.conversations[view.id]!;
      assert.equal(fields.Title, c.title ?? '');
      assert.equal(fields.State, c.state);
      const assignee = (id: unknown) =>
        id === null || id === undefined || String(id) === '0' ? 'unassigned' : String(id);
      assert.equal(fields['Admin assignee'], assignee(c.admin_assignee_id));
      assert.equal(fields['Team assignee'], assignee(c.team_assignee_id));
      assert.equal(fields.Parts, String(c.parts.length));
      for (const [name, value] of Object.entries(c.custom_attributes))
        assert.equal(fields[`Attribute "${name}"`], typeof value === 'string' ? value : JSON.stringify(value));
      const tagNames = c.tags.map((t) => state.tags[t.id]!.name);
      assert.deepEqual(fields.Tags ? fields.Tags.split(', ').sort() : [], tagNames.sort());
    } else if (view.kind === 'contact') {
      const c = state.contacts[view.id]!;
      assert.equal(fields['External id'], c.external_id ?? '');
      assert.equal(fields.Email, c.email ?? '');
    } else {
      assert.equal(fields['Company id'], state.companies[view.id]!.company_id);
    }
  }
  const missing = await fetch(`${world.sandbox.url}/__sandbox/view/conversations/999999999`);
  assert.equal(missing.status, 404);
});

test('an unfaulted sample run shows no mismatch, and each object was read back once', () => {
  assert.deepEqual(
    results.items
      .filter((i) => i.mismatches.length > 0)
      .map((i) => ({ object: i.object, sourceId: i.sourceId, mismatches: i.mismatches })),
    [],
  );
  for (const item of migrated(results.items)) {
    const path = { conversation: 'conversations', ticket: 'tickets', contact: 'contacts', company: 'companies' }[
      item.intercom!.kind
    ];
    const reads = readsDuringBuild.filter((r) => r === `GET /${path}/${item.intercom!.id}`).length;
    assert.equal(reads, 1, `${item.object} ${item.sourceId} read ${reads} times`);
  }
});

test('a title changed in Intercom after the run shows as a mismatch on that conversation only', async () => {
  const ticket = migrated(results.items).find(
    (i) => i.object === 'tickets' && i.intercom!.fields.find((f) => f.label === 'Title')!.value !== '',
  )!;
  const title = ticket.intercom!.fields.find((f) => f.label === 'Title')!.value;
  const client = clientFor(world.sandbox);
  await client.conversations.update(ticket.intercom!.id, { title: 'Changed after the run <script>alert(1)</script>' });
  try {
    const again = await buildSampleResults(input({ baseUrl: world.sandbox.url }));
    const withMismatch = again.items.filter((i) => i.mismatches.length > 0);
    assert.deepEqual(
      withMismatch.map((i) => [i.object, i.sourceId, i.mismatches]),
      [
        [
          'tickets',
          ticket.sourceId,
          [{ field: 'title', expected: title, actual: 'Changed after the run <script>alert(1)</script>' }],
        ],
      ],
    );
    const readBack = withMismatch[0]!.intercom!.fields.find((f) => f.label === 'Title')!.value;
    assert.equal(
      readBack,
      'Changed after the run <script>alert(1)</script>',
      'kept as plain text, unescaped: the webview escapes',
    );
  } finally {
    await client.conversations.update(ticket.intercom!.id, { title });
  }
});

test('Intercom links: the regional web app with the workspace id_code from GET /me', async () => {
  const me = await clientFor(world.sandbox).admins.me();
  const idCode = me.app!.id_code;
  const eu = await buildSampleResults(input({ region: 'EU' }));
  const conversation = migrated(eu.items).find((i) => i.intercom!.kind === 'conversation')!.intercom!;
  assert.equal(conversation.url, `https://app.eu.intercom.com/a/inbox/${idCode}/inbox/conversation/${conversation.id}`);
  const us = await buildSampleResults(input({ appIdCode: 'abc123' }));
  const contact = migrated(us.items).find((i) => i.intercom!.kind === 'contact')!.intercom!;
  assert.equal(contact.url, `https://app.intercom.com/a/apps/abc123/users/${contact.id}/all-conversations`);
  const company = migrated(us.items).find((i) => i.intercom!.kind === 'company')?.intercom;
  if (company) assert.equal(company.url, `https://app.intercom.com/a/apps/abc123/companies/${company.id}`);
});
