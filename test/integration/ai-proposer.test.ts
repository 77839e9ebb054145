import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { collectMapInputs, collectStandardSamples, proposeMap, proposeMapWithAi } from '../../src/engine/propose-map';
import { proposeWithAi, type ProposeWithAiInput } from '../../src/mapping/ai-proposer';
import type { SourceSchemaInput } from '../../src/mapping/ai-request';
import type { WorkspaceAttribute } from '../../src/mapping/ai-schema';
import { buildDefaultMap } from '../../src/mapping/default-map';
import { mappingText } from '../../src/mapping/mapping-file';
import type { MappingFile } from '../../src/model/mapping';
import { openSource } from '../../src/source/open-source';
import { parseSourceUrl } from '../../src/source/source-url';
import { type AiStub, type AiStubMode, startAiStub, STUB_REASON_PREFIX } from '../fixtures/ai-stub/server';
import { DATABASE_FILE, generateDataset } from '../fixtures/dataset/generate';

const KEY = 'sk-test-0123456789abcdefSECRET';
const ATTRIBUTES: WorkspaceAttribute[] = [
  { model: 'conversation', name: 'Product', dataType: 'string' },
  { model: 'contact', name: 'Customer Tier', dataType: 'string', options: ['Standard', 'Gold'] },
  { model: 'contact', name: 'Plan', dataType: 'string' },
];

let dir: string;
let stub: AiStub;
let map: MappingFile;
let source: SourceSchemaInput;
let personal: { emails: string[]; names: string[]; phones: string[] };

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-ai-'));
  await generateDataset({ outDir: dir, seed: 7, scale: 0.3 });
  const reader = await openSource(parseSourceUrl(`sqlite:${path.join(dir, DATABASE_FILE)}`));
  try {
    const inputs = await collectMapInputs(reader);
    map = buildDefaultMap(inputs);
    source = {
      customFields: inputs.customFields,
      customSamples: inputs.samples,
      standardSamples: await collectStandardSamples(reader),
    };
  } finally {
    await reader.close();
  }
  personal = personalValues(path.join(dir, DATABASE_FILE));
  stub = await startAiStub();
});
after(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every email, person/organization name and phone number in the dataset. */
function personalValues(file: string): { emails: string[]; names: string[]; phones: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const column = (sql: string) =>
      (db.prepare(sql).pluck().all() as (string | null)[]).filter(
        (v): v is string => typeof v === 'string' && v.trim() !== '',
      );
    const emails = [
      ...column('SELECT Email FROM st_Users'),
      ...column('SELECT CustomerEmailAddress FROM st_Chats'),
      ...column('SELECT CustomerEmailAddress FROM st_CallLogs'),
      ...column("SELECT FilterValue FROM st_OrganizationFilters WHERE FilterValue LIKE '%@%'"),
    ];
    const names = [
      ...column('SELECT DisplayName FROM st_Users WHERE IsQueue = 0'),
      ...column('SELECT OrganizationName FROM st_Organizations'),
      ...column('SELECT CustomerDisplayName FROM st_Chats'),
      ...column('SELECT CustomerName FROM st_CallLogs'),
    ];
    const phones = [
      ...column('SELECT PhoneNumber FROM st_Organizations'),
      ...column('SELECT CustomerPhoneNumber FROM st_CallLogs'),
    ];
    const unique = (xs: string[]) => [...new Set(xs.map((x) => x.trim()))];
    return { emails: unique(emails), names: unique(names), phones: unique(phones) };
  } finally {
    db.close();
  }
}

function input(extra: Partial<ProposeWithAiInput> = {}): ProposeWithAiInput {
  return {
    map,
    source,
    attributes: ATTRIBUTES,
    settings: { enabled: true, baseUrl: stub.url, timeoutMs: 1000 },
    apiKey: KEY,
    maxRetries: 0,
    ...extra,
  };
}

async function run(mode: AiStubMode, extra: Partial<ProposeWithAiInput> = {}) {
  stub.mode = mode;
  const from = stub.requests.length;
  const logs: string[] = [];
  const result = await proposeWithAi(input({ log: (l) => logs.push(l), ...extra }));
  return { result, logs, requests: stub.requests.slice(from) };
}

function leaks(body: string): string[] {
  const digits = body.replace(/\D/gu, ' ');
  return [
    ...personal.emails.filter((e) => body.toLowerCase().includes(e.toLowerCase())).map((e) => `email ${e}`),
    ...personal.names
      .filter((n) => body.includes(n) || body.includes(JSON.stringify(n).slice(1, -1)))
      .map((n) => `name ${n}`),
    ...personal.phones
      .filter((p) => body.includes(p) || ` ${digits} `.includes(` ${p.replace(/\D/gu, '')} `))
      .map((p) => `phone ${p}`),
  ];
}

test('the dataset has the personal values the redaction test scans for', () => {
  assert.ok(personal.emails.length > 20, `emails: ${personal.emails.length}`);
  assert.ok(personal.names.length > 20, `names: ${personal.names.length}`);
  assert.ok(personal.phones.length > 3, `phones: ${personal.phones.length}`);
});

test('with redaction on (the default), no email, name or phone number of the dataset reaches the endpoint', async () => {
  const { requests, result } = await run('good');
  assert.equal(requests.length, 1);
  assert.equal(result.usedAi, true);
  const body = requests[0]!.body;
  assert.deepEqual(leaks(body), []);
  // The shapes went instead, and the schema (field names, options) did.
  assert.match(body, /email address \(domain hidden\)/u);
  assert.match(body, /person name, 2 words/u);
  assert.match(body, /phone number, \d+ digits/u);
  assert.match(body, /Steps to Reproduce/u);
  assert.match(body, /Billing Reason/u);
  assert.match(body, /Invoice question/u, 'drop-down options are configuration and are sent');
  assert.equal(requests[0]!.headers.authorization, `Bearer ${KEY}`);
});

test('with redaction off the same request does carry personal values (the control for the test above)', async () => {
  const { requests } = await run('good', {
    settings: { enabled: true, baseUrl: stub.url, timeoutMs: 1000, redact: false },
  });
  assert.ok(leaks(requests[0]!.body).length > 0);
});

test('good answers land in the map with by "ai", their confidence and reason; weaker ones leave the default', async () => {
  const { result, requests } = await run('good');
  const request = JSON.parse(requests[0]!.body) as {
    model: string;
    response_format: { type: string; json_schema: { strict: boolean } };
  };
  assert.equal(request.model, 'gpt-4o-mini');
  assert.equal(request.response_format.type, 'json_schema');
  assert.equal(request.response_format.json_schema.strict, true);

  const product = result.map.objects.tickets.fields.find((f) => f.label === 'Product');
  assert.deepEqual(
    product?.target,
    { kind: 'attribute', name: 'Product', dataType: 'string', create: true },
    'reuses the existing workspace attribute',
  );
  assert.equal(product?.proposal?.by, 'ai');
  assert.equal(product?.proposal?.confidence, 0.97);
  assert.match(product?.proposal?.reason ?? '', new RegExp(`^${STUB_REASON_PREFIX}`, 'u'));
  const trial = result.map.objects.tickets.fields.find((f) => f.label === 'Trial Account');
  assert.deepEqual(trial?.target, { kind: 'attribute', name: 'ST Trial Account', dataType: 'boolean', create: true });
  assert.equal(trial?.transform.kind, 'checkbox-to-boolean');
  assert.equal(trial?.transform.invalid, 'note', 'custom values that do not convert still go into a note');

  const customs = Object.values(result.map.objects)
    .flatMap((o) => o.fields)
    .filter((f) => f.source.startsWith('custom:'));
  assert.ok(customs.length > 5);
  assert.ok(
    customs.every((f) => f.proposal?.by === 'ai'),
    'every custom field was proposed above the heuristic',
  );
  // Default rows have confidence 1; the stub's 0.9 does not replace them.
  assert.deepEqual(result.map.objects.contacts.fields.find((f) => f.source === 'email')?.proposal?.by, 'default');
  assert.ok(result.proposals.some((p) => p.status === 'kept' && p.source === 'email'));
  assert.equal(result.warnings.length, 0, result.warnings.join('\n'));
});

test('proposals whose source field or target does not exist are dropped, each with a reason', async () => {
  const { result, logs } = await run('nonexistent-target');
  assert.equal(result.usedAi, true);
  const dropped = result.proposals.filter((p) => p.status === 'dropped');
  assert.deepEqual(dropped.map((p) => `${p.objectKey}.${p.source}`).sort(), [
    'contacts.email',
    'contacts.language',
    'kbArticles.subject',
    'tickets.shoeSize',
    'tickets.subject',
  ]);
  assert.match(
    dropped.find((p) => p.source === 'email')!.note,
    /"favourite_colour" is not an Intercom contacts field/u,
  );
  assert.match(
    dropped.find((p) => p.source === 'language')!.note,
    /does not exist in the workspace and is not marked create/u,
  );
  assert.match(dropped.find((p) => p.source === 'shoeSize')!.note, /not a source field/u);
  assert.match(
    dropped.find((p) => p.objectKey === 'tickets' && p.source === 'subject')!.note,
    /set by the migration itself/u,
  );
  assert.equal(result.warnings.length, 5);
  assert.ok(logs.some((l) => l.includes('favourite_colour')));
  assert.deepEqual(result.map.objects.contacts.fields.find((f) => f.source === 'email')?.target, {
    kind: 'standard',
    field: 'email',
  });
  assert.ok(!result.map.objects.tickets.fields.some((f) => f.source === 'shoeSize'));
  // The valid rest of the answer still applies.
  assert.ok(result.map.objects.tickets.fields.some((f) => f.proposal?.by === 'ai'));
});

test('every failure mode leaves the heuristic map and a warning, never the key', async () => {
  const expected = mappingText(map);
  const cases: [AiStubMode, RegExp][] = [
    ['malformed', /not valid JSON/u],
    ['truncated', /not valid JSON \(cut off at the token limit\)/u],
    ['wrong-shape', /expected shape/u],
    ['status-401', /refused the key \(HTTP 401/u],
    ['status-429', /rate limiting or out of quota \(HTTP 429/u],
    ['status-500', /endpoint failed \(HTTP 500/u],
    ['slow', /did not answer in time/u],
  ];
  for (const [mode, message] of cases) {
    const { result, logs } = await run(mode);
    assert.equal(mappingText(result.map), expected, mode);
    assert.equal(result.usedAi, false, mode);
    assert.equal(result.proposals.length, 0, mode);
    assert.ok(
      result.warnings.some((w) => message.test(w)),
      `${mode}: ${result.warnings.join(' | ')}`,
    );
    const said = [...result.warnings, ...logs].join('\n');
    assert.ok(!said.includes(KEY) && !said.includes(KEY.slice(-12)), `${mode} leaks the key: ${said}`);
  }
});

test('a partial answer applies its valid items and keeps the heuristic for the rest, with a warning per bad item', async () => {
  const { result } = await run('partial');
  assert.equal(result.usedAi, true);
  const ignored = result.warnings.filter((w) => /ignored, it does not match the schema/u.test(w));
  assert.ok(ignored.length >= 2, result.warnings.join('\n'));
  const customs = Object.values(result.map.objects)
    .flatMap((o) => o.fields)
    .filter((f) => f.source.startsWith('custom:'));
  const byAi = customs.filter((f) => f.proposal?.by === 'ai');
  const byHeuristic = customs.filter((f) => f.proposal?.by === 'heuristic');
  assert.ok(byAi.length > 0 && byHeuristic.length > 0, `ai ${byAi.length}, heuristic ${byHeuristic.length}`);
  for (const f of byHeuristic) {
    const before = Object.values(map.objects)
      .flatMap((o) => o.fields)
      .find((g) => g.source === f.source && g.label === f.label);
    assert.deepEqual(f, before);
  }
});

test('the server root without /v1 answers too (any OpenAI-compatible base URL)', async () => {
  const { result, requests } = await run('good', {
    settings: { enabled: true, baseUrl: stub.rootUrl, timeoutMs: 1000, model: 'local-model' },
  });
  assert.equal(requests[0]?.path, '/chat/completions');
  assert.equal(JSON.parse(requests[0]!.body).model, 'local-model');
  assert.equal(result.usedAi, true);
});

test('with no key and no base URL, or AI off, the heuristic map is produced and nothing is sent', async () => {
  const from = stub.requests.length;
  const noAccess = await proposeWithAi({ map, source, attributes: [], settings: { enabled: true }, env: {} });
  assert.equal(noAccess.usedAi, false);
  assert.match(noAccess.skipped ?? '', /no OpenAI key \(OPENAI_API_KEY\) and no AI base URL/u);
  assert.equal(mappingText(noAccess.map), mappingText(map));

  const reader = await openSource(parseSourceUrl(`sqlite:${path.join(dir, DATABASE_FILE)}`));
  try {
    const off = await proposeMapWithAi(reader, { settings: { enabled: false }, env: { OPENAI_API_KEY: KEY } });
    const heuristic = await proposeMap(reader);
    assert.equal(mappingText(off.map), mappingText(heuristic));
    assert.equal(mappingText(heuristic), mappingText(map));
    const keyless = await proposeMapWithAi(reader, { settings: { enabled: true }, env: {} });
    assert.equal(mappingText(keyless.map), mappingText(map));
  } finally {
    await reader.close();
  }
  assert.equal(stub.requests.length, from);
});

test('invalid settings are a warning, not a crash', async () => {
  const from = stub.requests.length;
  const result = await proposeWithAi(input({ settings: { enabled: true, baseUrl: 'not a url', timeoutMs: 5 } }));
  assert.equal(result.usedAi, false);
  assert.match(result.warnings.join('\n'), /AI settings are not valid \(baseUrl: .*timeoutMs: /u);
  assert.equal(mappingText(result.map), mappingText(map));
  assert.equal(stub.requests.length, from);
});

test('OPENAI_API_KEY is used when no key is passed', async () => {
  const { requests, result } = await run('good', {
    apiKey: undefined,
    env: { OPENAI_API_KEY: 'sk-from-env-1234567890' },
  });
  assert.equal(result.usedAi, true);
  assert.equal(requests[0]!.headers.authorization, 'Bearer sk-from-env-1234567890');
});
