import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { previewRecords } from '../../src/engine/preview-records';
import { type PreviewInput, previewObject } from '../../src/mapping/preview';
import type { RecordState } from '../../src/model/journal';
import { MappedObject, type MappingFile } from '../../src/model/mapping';
import type { ObjectType } from '../../src/model/object-types';
import type { SandboxState } from '../../src/sandbox';
import type { SourceReader } from '../../src/source/reader';
import { openDataset, type RanWorkspace, ranWorkspace, recordResults } from '../support/engine-fixtures';

/**
 * The mapping editor's preview: previewRecords picks source records in the very shape the engine
 * maps them, so previewObject over them shows what a run writes. Checked against a full run into
 * the sandbox: each previewed record's mapped title, standard fields and attributes are what
 * Intercom holds.
 */

const COUNT = 6;
const LEDGER_TYPE: Record<MappedObject, ObjectType> = {
  companies: 'organizations',
  contacts: 'endUsers',
  tickets: 'tickets',
  liveChats: 'liveChats',
  callLogs: 'callLogs',
  kbArticles: 'kbArticles',
};

let world: RanWorkspace;
let state: SandboxState;
let map: MappingFile;
let reader: SourceReader;
let records: Map<string, RecordState>;

before(async () => {
  world = await ranWorkspace('preview', { scale: 0.1, seed: 2, kind: 'full' });
  assert.equal(world.result.status, 'completed', world.result.message);
  map = world.map;
  records = recordResults<RecordState>(world.dir, world.result.runId);
  state = world.sandbox.state();
  reader = await openDataset(world.ds);
});

after(async () => {
  await reader?.close();
  await world?.close();
});

/** The Intercom object a record became, as the sandbox holds it (fields by their API names). */
function stored(object: MappedObject, intercomId: string): Record<string, unknown> {
  switch (object) {
    case 'companies':
      return state.companies[intercomId]!;
    case 'contacts':
      return state.contacts[intercomId]!;
    case 'kbArticles':
      return state.articles[intercomId]!;
    default:
      return state.conversations[intercomId]!;
  }
}

/** Standard fields whose value the engine writes unchanged (article bodies are cleaned first; times are dated by the run). */
const COMPARED_STANDARD = new Set(['title', 'name', 'email', 'website', 'phone', 'description']);

for (const object of MappedObject.options) {
  test(`${object}: the previewed records map to what the run wrote`, async () => {
    const samples = await previewRecords(reader, object, COUNT);
    assert.ok(samples.length > 0 && samples.length <= COUNT, `${samples.length} samples`);
    assert.equal(new Set(samples.map((s) => s.id)).size, samples.length, 'no record twice');
    const rows = previewObject(object, map.objects[object], samples);
    let compared = 0;
    for (const row of rows) {
      const result = records.get(`${LEDGER_TYPE[object]}:${row.id}`);
      assert.ok(result, `${object} ${row.id} is in the run's ledger`);
      if (!row.ok) {
        assert.equal(result.state, 'failed', `${object} ${row.id}: the preview shows an error, so the run failed it`);
        continue;
      }
      if (result.state !== 'migrated') continue;
      const target = stored(object, result.intercomId);
      assert.ok(target, `${object} ${row.id}: ${result.intercomId} is in the sandbox`);
      const attributes = (target.custom_attributes ?? {}) as Record<string, unknown>;
      map.objects[object].fields.forEach((mapping, i) => {
        const field = row.fields[i]!;
        const value = field.mapped;
        if (field.issues.some((x) => x.severity === 'error')) return;
        if (value === undefined || value === null) {
          // An empty value writes nothing: Intercom holds no value either.
          if (mapping.target.kind === 'attribute')
            assert.equal(
              attributes[mapping.target.name] ?? null,
              null,
              `${object} ${row.id}: attribute "${mapping.target.name}" is empty`,
            );
          return;
        }
        if (mapping.target.kind === 'attribute') {
          assert.deepEqual(
            attributes[mapping.target.name],
            value,
            `${object} ${row.id}: attribute "${mapping.target.name}"`,
          );
          compared++;
        } else if (mapping.target.kind === 'standard' && COMPARED_STANDARD.has(mapping.target.field)) {
          const actual = target[mapping.target.field];
          if (mapping.target.field === 'email')
            assert.equal(String(actual).toLowerCase(), String(value).toLowerCase(), `${object} ${row.id}: email`);
          else assert.deepEqual(actual, value, `${object} ${row.id}: ${mapping.target.field}`);
          compared++;
        }
      });
    }
    assert.ok(compared > 0, `${object}: some mapped values were compared`);
  });
}

const longestText = (s: PreviewInput): number =>
  Math.max(
    0,
    ...Object.values(s.record).map((v) => (typeof v === 'string' ? v.length : 0)),
    ...[...(s.customValues ?? new Map()).values()].map((v) => v?.length ?? 0),
  );

test('tickets: half the first records in source order, half the longest; the longest custom value is among them with its values', async () => {
  const samples = await previewRecords(reader, 'tickets', COUNT);
  const eligible: number[] = [];
  const numbers = new Map<number, string | null>();
  for await (const t of reader.tickets()) {
    if (!t.deleted && !t.spam) eligible.push(t.id);
    numbers.set(t.id, t.number);
  }
  assert.deepEqual(
    samples.slice(0, COUNT / 2).map((s) => s.id),
    eligible.slice(0, COUNT / 2),
    'the first records, in source order',
  );
  for (const s of samples) {
    assert.ok(
      !world.ds.manifest.hardCases.deletedTicketIds.includes(s.id) &&
        !world.ds.manifest.hardCases.spamTicketIds.includes(s.id),
      `ticket ${s.id} is neither deleted nor spam`,
    );
    // The mapping editor captions it as the help desk knows it: by its ticket number.
    assert.equal(s.caption.kind, 'Ticket');
    assert.equal(s.caption.name, numbers.get(s.id)?.trim() || null, `ticket ${s.id} is captioned by its number`);
  }
  assert.ok(
    samples.some((s) => s.caption.name !== null),
    "the dataset's tickets have numbers",
  );
  // The generator plants a 1,400-character custom value: its ticket is previewed, value included.
  const planted = [...world.ds.manifest.hardCases.longCustomFieldValues].sort((a, b) => b.length - a.length)[0]!;
  const withIt = samples.find((s) => s.id === planted.ticketId);
  assert.ok(withIt, `ticket ${planted.ticketId} (the longest custom value) is previewed`);
  assert.equal(withIt.customValues?.get(planted.customFieldId)?.length, planted.length);
  assert.ok(longestText(withIt) >= Math.max(...samples.map(longestText)), 'it carries the longest text of all');
  // The preview shows it near (over) the attribute limit, as the mapping editor highlights it.
  const row = previewObject('tickets', map.objects.tickets, [withIt])[0]!;
  assert.ok(
    row.fields.some((f) => f.source === `custom:${planted.customFieldId}` && f.nearLimit),
    'the long value is flagged near the limit',
  );
  // Deterministic: the same source gives the same preview.
  assert.deepEqual(
    (await previewRecords(reader, 'tickets', COUNT)).map((s) => s.id),
    samples.map((s) => s.id),
  );
});

test('custom field values reach the preview exactly as the engine reads them', async () => {
  const samples = await previewRecords(reader, 'tickets', 40);
  const wanted = new Set(samples.map((s) => s.id));
  const expected = new Map<number, Map<number, string | null>>();
  for await (const v of reader.customFieldValues()) {
    if (v.channel !== 'ticket' || !wanted.has(v.recordId)) continue;
    expected.set(v.recordId, (expected.get(v.recordId) ?? new Map()).set(v.fieldId, v.value));
  }
  assert.ok(expected.size > 0, 'some previewed tickets have custom values');
  for (const s of samples) assert.deepEqual(new Map(s.customValues), expected.get(s.id) ?? new Map(), `ticket ${s.id}`);
});

test('a count of zero or below previews nothing; a count above the records previews them all', async () => {
  assert.deepEqual(await previewRecords(reader, 'companies', 0), []);
  let companies = 0;
  for await (const _ of reader.organizations()) companies++;
  assert.equal((await previewRecords(reader, 'companies', companies + 10)).length, companies);
});
