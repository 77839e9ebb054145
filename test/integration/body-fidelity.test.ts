import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';
import { parseFragment } from 'parse5';

import { runMigration } from '../../src/engine/run-migration';
import { type Conversation, IntercomClient } from '../../src/intercom';
import { openLedger } from '../../src/ledger';
import type { RecordState } from '../../src/model/journal';
import { buildReconciliation } from '../../src/reports/reconciliation';
import type { RunningSandbox } from '../../src/sandbox';
import { type FidelityCases, IMPOSSIBLE_DATE } from '../fixtures/dataset/fidelity-cases';
import { Rng } from '../fixtures/dataset/prng';
import { type RichDoc, richHtml, richText } from '../fixtures/dataset/rich-text';
import {
  type Dataset,
  makeDataset,
  openDataset,
  readMap,
  recordResults,
  removeDir,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

/**
 * Issue 14: what arrives equals what left. A generated help desk with the planted fidelity cases
 * (test/fixtures/dataset/fidelity-cases.ts) and generated rich text in messages, comments and chat
 * lines is migrated into the sandbox, then read back through the API. Words are compared by the
 * reader below (parse5, a different HTML parser, and nothing of src/mapping): a check that reused
 * the transforms could not fail.
 */

let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;
let client: IntercomClient;
let records: Map<string, RecordState>;
let cases: FidelityCases;
const warnings: string[] = [];
/** Source record (`ticketMessages:12`) → the document planted in it. */
const planted = new Map<string, RichDoc>();

before(async () => {
  dir = tempDir('fidelity');
  ds = await makeDataset(dir, 0.05, 7);
  assert.ok(ds.manifest.fidelityCases, 'the generator plants the fidelity cases');
  cases = ds.manifest.fidelityCases;
  plantRichText(ds, new Rng(1414));
  sandbox = await startSeededSandbox(ds);
  client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url });
  await writeMap(dir, ds, 'approved');
  const reader = await openDataset(ds);
  try {
    const progress = {
      phase: () => undefined,
      record: () => undefined,
      info: () => undefined,
      warn: (m: string) => void warnings.push(m),
    };
    const result = await runMigration({
      workspaceDir: dir,
      kind: 'full',
      reader,
      client,
      progress,
      options: { concurrency: 8 },
    });
    assert.notEqual(result.status, 'failed', result.message);
    records = recordResults<RecordState>(dir, result.runId);
  } finally {
    await reader.close();
  }
});

after(async () => {
  await sandbox?.close();
  if (dir) removeDir(dir);
});

/** Ordinary records of `sql` (ids), in a stable order, never one of the planted fidelity cases. */
function ids(db: Database.Database, sql: string): number[] {
  return (db.prepare(sql).all() as { id: number }[]).map((r) => r.id);
}

/**
 * Rich text into messages (HTML and plain), comments and chat lines of ordinary tickets and chats:
 * two documents of 10,000+ characters, the rest 50 to 3,000.
 */
function plantRichText(dataset: Dataset, rng: Rng): void {
  const db = new Database(dataset.dbPath);
  try {
    const fc = dataset.manifest.fidelityCases!;
    const h = dataset.manifest.hardCases;
    const avoid = new Set(
      [
        fc.nulSubjectTicketId,
        fc.noMessageTicketId,
        fc.agentOpenedTicketId,
        ...h.deletedTicketIds,
        ...h.spamTicketIds,
        ...h.ticketsOver500Parts,
        ...h.orphanTicketIds,
      ].map(Number),
    );
    const avoidMessages = new Set([
      fc.tableMessageId,
      fc.markupTextMessageId,
      fc.nulMessageId,
      fc.impossibleDateMessageId,
    ]);
    const tickets = ids(
      db,
      `SELECT TicketID AS id FROM st_Tickets t WHERE (SELECT COUNT(*) FROM st_TicketMessages m WHERE m.TicketID = t.TicketID) BETWEEN 1 AND 40 ORDER BY TicketID`,
    )
      .filter((id) => !avoid.has(id))
      .slice(0, 12);
    const setHtml = db.prepare('UPDATE st_TicketMessages SET BodyHTML = ?, BodyText = ? WHERE TicketMessageID = ?');
    let n = 0;
    for (const ticketId of tickets) {
      for (const m of ids(
        db,
        `SELECT TicketMessageID AS id FROM st_TicketMessages WHERE TicketID = ${ticketId} AND IsDraft = 0 ORDER BY TicketMessageID`,
      )) {
        if (avoidMessages.has(m)) continue;
        const size = n === 0 || n === 1 ? 10_000 : rng.int(50, 3_000);
        const doc = n % 3 === 1 ? richText(rng, size) : richHtml(rng, size);
        // The plain twin of an HTML body is a decoy: the HTML is what must arrive.
        setHtml.run(doc.kind === 'html' ? doc.source : null, doc.kind === 'html' ? 'decoy text' : doc.source, m);
        planted.set(`ticketMessages:${m}`, doc);
        n++;
      }
      for (const c of ids(
        db,
        `SELECT TicketCommentID AS id FROM st_TicketComments WHERE TicketID = ${ticketId} ORDER BY TicketCommentID`,
      )) {
        const doc = richText(rng, rng.int(20, 1_500));
        db.prepare('UPDATE st_TicketComments SET CommentText = ? WHERE TicketCommentID = ?').run(doc.source, c);
        planted.set(`ticketComments:${c}`, doc);
      }
    }
    const chats = ids(db, 'SELECT ChatID AS id FROM st_Chats WHERE IsDeleted = 0 ORDER BY ChatID').slice(0, 4);
    for (const chatId of chats) {
      for (const line of ids(
        db,
        `SELECT ChatMessageID AS id FROM st_ChatMessages WHERE ChatID = ${chatId} ORDER BY ChatMessageID`,
      )) {
        const doc = rng.chance(0.5) ? richHtml(rng, rng.int(50, 800)) : richText(rng, rng.int(10, 400));
        db.prepare('UPDATE st_ChatMessages SET TextSubmitted = ?, IsHTML = ? WHERE ChatMessageID = ?').run(
          doc.source,
          doc.kind === 'html' ? 1 : 0,
          line,
        );
        planted.set(`chatMessages:${line}`, doc);
      }
    }
  } finally {
    db.close();
  }
}

// ── the independent reader ────────────────────────────────────────────────────────────────────────

interface HtmlNode {
  nodeName: string;
  value?: string;
  childNodes?: HtmlNode[];
}

/** The words a person reads in an Intercom body: text of every node, element edges as spaces. */
function wordsOf(html: string | null | undefined): string[] {
  const out: string[] = [];
  const walk = (node: HtmlNode): void => {
    if (node.nodeName === '#text') out.push(node.value ?? '');
    else if (node.nodeName === '#comment') return;
    else {
      out.push(' ');
      for (const child of node.childNodes ?? []) walk(child);
      out.push(' ');
    }
  };
  walk(parseFragment(html ?? '') as unknown as HtmlNode);
  return out
    .join('')
    .split(/\s+/u)
    .filter((w) => w !== '');
}

/** The first expected word not found after the previous one, with where it was looked for; or null. */
function missingInOrder(expected: readonly string[], actual: readonly string[]): string | null {
  let at = 0;
  for (const [i, w] of expected.entries()) {
    const found = actual.indexOf(w, at);
    if (found < 0)
      return `word ${i + 1} of ${expected.length} ${JSON.stringify(w)} missing after …${actual.slice(Math.max(0, at - 6), at).join(' ')}`;
    at = found + 1;
  }
  return null;
}

const conversations = new Map<string, Promise<Conversation>>();
function conversation(id: string): Promise<Conversation> {
  let c = conversations.get(id);
  if (!c) conversations.set(id, (c = client.conversations.get(id)));
  return c;
}

function migratedId(key: string): string {
  const r = records.get(key);
  assert.equal(r?.state, 'migrated', `${key}: ${JSON.stringify(r)}`);
  return (r as { intercomId: string }).intercomId;
}

/** The body Intercom holds for a source record: its part, or the conversation's opening message. */
async function bodyOf(key: string, conversationKey: string): Promise<string | null | undefined> {
  const conversationId = migratedId(conversationKey);
  const partId = migratedId(key);
  const c = await conversation(conversationId);
  if (partId === conversationId) return c.source?.body;
  const part = c.conversation_parts?.conversation_parts?.find((p) => String(p.id) === partId);
  assert.ok(part, `${key}: part ${partId} is not in conversation ${conversationId}`);
  return part.body;
}

async function ownerKey(key: string): Promise<string> {
  const [type, id] = key.split(':') as [string, string];
  const db = new Database(ds.dbPath, { readonly: true });
  try {
    if (type === 'chatMessages')
      return `liveChats:${db.prepare('SELECT ChatID FROM st_ChatMessages WHERE ChatMessageID = ?').pluck().get(Number(id)) as number}`;
    const table =
      type === 'ticketMessages' ? 'st_TicketMessages WHERE TicketMessageID' : 'st_TicketComments WHERE TicketCommentID';
    return `tickets:${db.prepare(`SELECT TicketID FROM ${table} = ?`).pluck().get(Number(id)) as number}`;
  } finally {
    db.close();
  }
}

// ── the planted losses ────────────────────────────────────────────────────────────────────────────

const ticketOf = (messageId: number): Promise<string> => ownerKey(`ticketMessages:${messageId}`);
const text = async (messageId: number): Promise<string> =>
  wordsOf(await bodyOf(`ticketMessages:${messageId}`, await ticketOf(messageId))).join(' ');

test('a table arrives one row a line, its cells apart', async () => {
  const words = await text(cases.tableMessageId);
  assert.match(words, /volume \| used disk \| 97%/, words);
});

test('plain text with markup characters arrives as text, never as markup', async () => {
  const key = `ticketMessages:${cases.markupTextMessageId}`;
  const body = await bodyOf(key, await ticketOf(cases.markupTextMessageId));
  assert.doesNotMatch(body ?? '', /<script/i);
  assert.match(
    wordsOf(body).join(' '),
    /Our rule is a<b && c>d, so <script>alert\("x"\)<\/script> must show as text\./,
  );
});

test('text after a NUL arrives (the NUL does not)', async () => {
  assert.match(await text(cases.nulMessageId), /Helloworld, the rest of this message follows the NUL\./);
  const c = await conversation(migratedId(`tickets:${cases.nulSubjectTicketId}`));
  assert.equal(c.title, 'Invoice export stops halfway');
});

test('an email with spaces around it is trimmed, and the contact migrates', async () => {
  const contact = await client.contacts.get(migratedId(`endUsers:${cases.spacedEmailUserId}`));
  assert.equal(contact.email?.toLowerCase(), cases.spacedEmail.trim().toLowerCase());
});

test('an impossible date is named and never rolled over', async () => {
  const key = `ticketMessages:${cases.impossibleDateMessageId}`;
  const c = await conversation(migratedId(await ticketOf(cases.impossibleDateMessageId)));
  const partId = migratedId(key);
  const at =
    partId === c.id
      ? c.created_at
      : c.conversation_parts?.conversation_parts?.find((p) => String(p.id) === partId)?.created_at;
  assert.notEqual(at, Date.UTC(2023, 1, 30, 25, 61, 0) / 1000, 'rolled over to 2023-03-03 02:01');
  assert.ok(
    warnings.some(
      (w) =>
        w.includes(String(cases.impossibleDateMessageId)) &&
        w.includes('DateReceivedUTC') &&
        w.includes(IMPOSSIBLE_DATE),
    ),
    warnings.filter((w) => /date/i.test(w)).join('\n'),
  );
});

test('openers tell the truth: a placeholder for a ticket without messages, and for one an agent opened', async () => {
  const empty = records.get(`tickets:${cases.noMessageTicketId}`);
  assert.equal(empty?.state === 'migrated' ? empty.opener : undefined, 'placeholder', JSON.stringify(empty));
  const emptyBody = wordsOf((await conversation(migratedId(`tickets:${cases.noMessageTicketId}`))).source?.body).join(
    ' ',
  );
  assert.match(
    emptyBody,
    /Placeholder added by the migration, not a customer message: ticket \S+ has no (messages|customer message)/,
  );

  const agent = records.get(`tickets:${cases.agentOpenedTicketId}`);
  assert.equal(agent?.state === 'migrated' ? agent.opener : undefined, 'agent-opened', JSON.stringify(agent));
  const c = await conversation(migratedId(`tickets:${cases.agentOpenedTicketId}`));
  assert.match(wordsOf(c.source?.body).join(' '), /was opened by an agent in SmarterTrack/);
  const first = c.conversation_parts?.conversation_parts?.find(
    (p) => p.part_type === 'comment' || p.part_type === 'note',
  );
  assert.equal(first?.author?.type, 'admin', "the agent's first message follows as an admin reply");
});

test('the reconciliation counts placeholder openers and cut values, each with its record', async () => {
  const ledger = await openLedger(dir, { warn: () => undefined });
  const reader = await openDataset(ds);
  try {
    const { report, rows } = await buildReconciliation({ ledger, reader, client, map: await readMap(dir), sample: 0 });
    const tickets = report.types.find((t) => t.objectType === 'tickets')!;
    assert.ok(tickets.placeholderOpeners >= 2, JSON.stringify(tickets));
    assert.ok(tickets.agentOpened >= 1, JSON.stringify(tickets));
    assert.ok(rows.some((r) => r.state === 'opener' && r.sourceId === String(cases.noMessageTicketId)));
    const long = ds.manifest.hardCases.longCustomFieldValues.filter(
      (v) => records.get(`tickets:${v.ticketId}`)?.state === 'migrated',
    );
    assert.ok(long.length > 0, 'the dataset has values over the attribute limit');
    for (const v of long)
      assert.ok(
        rows.some(
          (r) => r.state === 'cut' && r.sourceId === String(v.ticketId) && r.field === `custom:${v.customFieldId}`,
        ),
        `ticket ${v.ticketId} field ${v.customFieldId} counted as cut`,
      );
  } finally {
    await reader.close();
    await ledger.close();
  }
});

// ── the property: generated rich text arrives word for word ──────────────────────────────────────

test('generated rich text (tables, nested lists, entities, < and &, NUL, emoji, RTL, 10,000 characters) arrives word for word, in order', async () => {
  assert.ok(planted.size >= 30, `planted ${planted.size} documents`);
  assert.ok(
    [...planted.values()].filter((d) => d.source.length >= 10_000).length >= 2,
    'two documents of 10,000+ characters',
  );
  const problems: string[] = [];
  let checked = 0;
  for (const [key, doc] of planted) {
    const r = records.get(key);
    // Agent-only and system chat lines are notes; every planted record must have arrived somewhere.
    if (r?.state !== 'migrated') {
      problems.push(`${key}: ${JSON.stringify(r)}`);
      continue;
    }
    const missing = missingInOrder(doc.words, wordsOf(await bodyOf(key, await ownerKey(key))));
    if (missing) problems.push(`${key} (${doc.kind}, ${doc.source.length} chars): ${missing}`);
    checked++;
  }
  assert.deepEqual(problems, [], `${problems.length} of ${planted.size} documents lost words`);
  assert.ok(checked >= 30);
});
