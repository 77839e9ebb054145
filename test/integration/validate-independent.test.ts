import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type MigrationKind, runMigration } from '../../src/engine/run-migration';
import type { Conversation, IntercomClient } from '../../src/intercom';
import { openLedger } from '../../src/ledger';
import { readMappingFile } from '../../src/mapping/mapping-file';
import type { ReconciliationReport } from '../../src/model/reports';
import { attachmentSourceId } from '../../src/model/source';
import { NotAMigrationError, validateMigration, type Validation } from '../../src/reports/validate-migration';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';
import { testClock } from '../support/clock';
import {
  cliArgs,
  clientFor,
  type Dataset,
  makeDataset,
  openDataset,
  removeDir,
  runCli,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';
import { makePlain } from '../support/plain-dataset';

/**
 * Issue 14, build point 4: `validate` compares Intercom with the source through code that shares
 * nothing with the transforms. A faithful migration reads 100% per type; a deliberately lossy one
 * (the last word of every customer reply dropped, every internal note a second late) is caught with
 * its records and fields; a sample before a full run is no gap; a dry run is not a migration.
 */

let dir: string;
let ds: Dataset;
const sandboxes: RunningSandbox[] = [];

/** A sandbox with an admin for every agent and a team for every department, so every author has a match. */
async function sandboxFor(dataset: Dataset): Promise<RunningSandbox> {
  const reader = await openDataset(dataset);
  try {
    const seedFile = path.join(dataset.dir, `seed-${sandboxes.length}.json`);
    writeFileSync(seedFile, JSON.stringify(await seedForSource(reader, new Set())));
    const sandbox = await startSandbox({ rateLimitPer10s: 100_000, searchLagMs: 0, seedFile });
    sandboxes.push(sandbox);
    return sandbox;
  } finally {
    await reader.close();
  }
}

async function run(
  workspace: string,
  kind: MigrationKind,
  client: IntercomClient,
  sampleSize?: number,
): Promise<string> {
  const reader = await openDataset(ds);
  try {
    const result = await runMigration({
      workspaceDir: workspace,
      kind,
      reader,
      client,
      clock: testClock,
      options: { concurrency: 8, ...(sampleSize ? { sampleSize } : {}) },
    });
    assert.equal(result.status, 'completed', result.message);
    return result.runId;
  } finally {
    await reader.close();
  }
}

async function validate(workspace: string, client: IntercomClient, runId?: string): Promise<Validation> {
  const reader = await openDataset(ds);
  const ledger = await openLedger(workspace, { warn: () => undefined });
  try {
    return await validateMigration({
      workspaceDir: workspace,
      ledger,
      reader,
      client,
      map: await readMappingFile(workspace),
      clock: testClock,
      ...(runId ? { runId } : {}),
    });
  } finally {
    await ledger.close();
    await reader.close();
  }
}

const fidelity = (report: ReconciliationReport) =>
  Object.fromEntries(report.fieldCheck.types.filter((t) => t.checked > 0).map((t) => [t.objectType, t.fidelity]));

before(async () => {
  dir = tempDir('validate');
  ds = await makeDataset(path.join(dir, 'source'), 0.2, 5);
  makePlain(ds);
});

after(async () => {
  for (const s of sandboxes) await s.close();
  if (dir) removeDir(dir);
});

describe('a faithful full migration', () => {
  test('reads back 100% per object type over every record, files included', async () => {
    const workspace = path.join(dir, 'faithful');
    await writeMap(workspace, ds, 'approved');
    const sandbox = await sandboxFor(ds);
    const client = clientFor(sandbox);
    await run(workspace, 'full', client);
    const { reconciliation, clean } = await validate(workspace, client);
    const report = reconciliation.report;
    assert.deepEqual(report.fieldCheck.mismatches.slice(0, 5), []);
    assert.equal(report.fieldCheck.sample, 'all');
    for (const t of report.fieldCheck.types) {
      assert.equal(t.checked, t.migrated, `${t.objectType}: every migrated record is read back`);
      if (t.checked > 0) assert.equal(t.fidelity, 100, t.objectType);
    }
    for (const type of [
      'organizations',
      'endUsers',
      'tickets',
      'ticketMessages',
      'ticketComments',
      'liveChats',
      'chatMessages',
      'callLogs',
      'attachments',
    ]) {
      assert.ok((fidelity(report)[type] ?? null) === 100, `${type} was read back`);
    }
    // The sandbox serves the files at their URL, as Intercom does: their content was compared too.
    assert.deepEqual(report.fieldCheck.unchecked, []);
    assert.equal(clean, report.totals.failed === 0);
  });
});

describe('a lossy transform swapped in through the engine', () => {
  test('is caught: every record it damaged is named with the field', async () => {
    const workspace = path.join(dir, 'lossy');
    await writeMap(workspace, ds, 'approved');
    const sandbox = await sandboxFor(ds);
    const client = clientFor(sandbox);
    // The engine's output is damaged here on its way to Intercom, as a faulty transform would damage
    // it. The answer the engine reads shows the part as the engine meant it, so the engine finds its
    // part and journals its id as it would had a transform of its own done the damage.
    const damaged = new Set<string>();
    const { replyAsContact, replyAsAdmin } = client.conversations;
    const asSent = (conversation: Conversation, body: string, createdAt: number | undefined): Conversation => {
      const parts = conversation.conversation_parts?.conversation_parts ?? [];
      const last = parts.at(-1);
      return last
        ? {
            ...conversation,
            conversation_parts: {
              ...conversation.conversation_parts,
              conversation_parts: [...parts.slice(0, -1), { ...last, body, created_at: createdAt ?? last.created_at }],
            },
          }
        : conversation;
    };
    // Files keep their name and size, but their bytes arrive reversed.
    const reversed = <T extends { attachment_files?: { name: string; content_type: string; data: string }[] }>(
      body: T,
    ): T =>
      body.attachment_files
        ? {
            ...body,
            attachment_files: body.attachment_files.map((f) => ({
              ...f,
              data: Buffer.from(f.data, 'base64').reverse().toString('base64'),
            })),
          }
        : body;
    client.conversations.replyAsContact = async (id, sent) => {
      const body = reversed(sent);
      const words = body.body.trim().split(/\s+/);
      if (words.length < 2) return replyAsContact.call(client.conversations, id, body);
      damaged.add(`reply:${id}:${body.created_at}`);
      return asSent(
        await replyAsContact.call(client.conversations, id, { ...body, body: words.slice(0, -1).join(' ') }),
        body.body,
        body.created_at,
      );
    };
    client.conversations.replyAsAdmin = async (id, sent) => {
      const body = reversed(sent);
      if (body.message_type !== 'note' || body.created_at === undefined)
        return replyAsAdmin.call(client.conversations, id, body);
      damaged.add(`note:${id}:${body.created_at}`);
      return asSent(
        await replyAsAdmin.call(client.conversations, id, { ...body, created_at: body.created_at + 1 }),
        body.body ?? '',
        body.created_at,
      );
    };
    await run(workspace, 'full', client);
    client.conversations.replyAsContact = replyAsContact;
    client.conversations.replyAsAdmin = replyAsAdmin;

    const { reconciliation, clean } = await validate(workspace, client);
    const report = reconciliation.report;
    assert.equal(clean, false);
    const byField = new Map<string, Set<string>>();
    for (const m of report.fieldCheck.mismatches) {
      const key = `${m.objectType} ${m.field}`;
      byField.set(key, (byField.get(key) ?? new Set()).add(m.sourceId));
    }
    // Nothing else differs: the faithful run of the same data reads 100%.
    assert.deepEqual([...byField.keys()].sort(), [
      'attachments file content',
      'chatMessages created_at',
      'chatMessages text',
      'ticketComments created_at',
      'ticketMessages text',
    ]);
    assert.ok(
      !report.fieldCheck.mismatches.some((m) => m.field === 'text' && /, first: .*«.*» \S/.test(m.expected)),
      'only last words are missing',
    );

    // The exact records: customer replies (not openers) with more than one word; every dated comment.
    const wordCount = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;
    const reader = await openDataset(ds);
    const ledger = await openLedger(workspace, { warn: () => undefined });
    try {
      const expectedReplies = new Set<string>();
      const expectedComments = new Set<string>();
      for await (const thread of reader.ticketThreads()) {
        const conversation = ledger.intercomIdFor('tickets', String(thread.ticket.id));
        if (!conversation) continue;
        const partOf = (item: (typeof thread.items)[number]) =>
          ledger.intercomIdFor(item.kind === 'message' ? 'ticketMessages' : 'ticketComments', String(item.id));
        // Items past Intercom's part cap share one transcript note written whole: not damaged.
        const uses = new Map<string, number>();
        for (const item of thread.items) {
          const p = partOf(item);
          if (p) uses.set(p, (uses.get(p) ?? 0) + 1);
        }
        for (const item of thread.items) {
          const part = partOf(item);
          if (!part || uses.get(part)! > 1) continue;
          // A comment a second late is a difference only where the source has its date (an impossible one reads as none).
          if (item.kind === 'comment') {
            if (item.date !== null) expectedComments.add(String(item.id));
          }
          // A reply with a word to drop in the body the engine sends (its HTML when it has one, else its text).
          else if (
            !item.draft &&
            item.direction === 'inbound' &&
            part !== conversation &&
            wordCount(item.bodyHtml ? item.bodyHtml.replace(/<[^>]*>/g, ' ') : (item.bodyText ?? '')) > 1
          )
            expectedReplies.add(String(item.id));
        }
      }
      assert.ok(expectedReplies.size > 5 && expectedComments.size > 5);
      const migratedFiles: string[] = [];
      for await (const a of reader.attachments()) {
        if (ledger.recordState('attachments', attachmentSourceId(a))?.result.state === 'migrated')
          migratedFiles.push(attachmentSourceId(a));
      }
      assert.ok(migratedFiles.length > 5);
      assert.deepEqual([...(byField.get('attachments file content') ?? [])].sort(), migratedFiles.sort());
      assert.deepEqual([...(byField.get('ticketMessages text') ?? [])].sort(), [...expectedReplies].sort());
      assert.deepEqual([...(byField.get('ticketComments created_at') ?? [])].sort(), [...expectedComments].sort());
    } finally {
      await ledger.close();
      await reader.close();
    }
    const one = report.fieldCheck.mismatches.find(
      (m) => m.objectType === 'ticketComments' && m.field === 'created_at',
    )!;
    assert.equal(Date.parse(one.actual) - Date.parse(one.expected), 1000, 'source and Intercom values are both given');
    const text = report.fieldCheck.mismatches.find((m) => m.objectType === 'ticketMessages')!;
    assert.match(text.expected, /^1 of \d+ word\(s\) missing, first: .*«[A-Za-z0-9]+»$/);
    const f = fidelity(report);
    assert.ok(f.ticketMessages! < 100 && f.ticketComments! < 100);
    assert.equal(f.organizations, 100);
    assert.equal(f.endUsers, 100);
    assert.ok(damaged.size > 0);
  });
});

describe('runs of one workspace', () => {
  test('a sample then a full run: no gap, whether the workspace or the full run is validated', async () => {
    const workspace = path.join(dir, 'sample-full');
    await writeMap(workspace, ds, 'approved');
    const sandbox = await sandboxFor(ds);
    const client = clientFor(sandbox);
    await run(workspace, 'sample', client, 4);
    const fullId = await run(workspace, 'full', client);
    const current = await validate(workspace, client);
    assert.equal(current.reconciliation.report.totals.unaccounted, 0);
    assert.deepEqual(
      Object.values(fidelity(current.reconciliation.report)).filter((v) => v !== 100),
      [],
    );
    const full = await validate(workspace, client, fullId);
    assert.equal(
      full.reconciliation.report.totals.unaccounted,
      0,
      JSON.stringify(
        full.reconciliation.report.types.filter((t) => t.unaccounted).map((t) => [t.objectType, t.unaccountedIds]),
      ),
    );
  });

  test('a dry run says so and cannot be validated as a migration', async () => {
    const workspace = path.join(dir, 'dry');
    await writeMap(workspace, ds, 'approved');
    const sandbox = await sandboxFor(ds);
    const client = clientFor(sandbox);
    const dryId = await run(workspace, 'dry-run', client);
    await assert.rejects(
      validate(workspace, client, dryId),
      (e: unknown) => e instanceof NotAMigrationError && /is a dry run: it wrote nothing to Intercom/.test(e.message),
    );
    await assert.rejects(
      validate(workspace, client),
      (e: unknown) => e instanceof NotAMigrationError && /only dry runs/.test(e.message),
    );
    const cli = await runCli(cliArgs('validate', ds, workspace, sandbox, [dryId]), sandbox.token);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /dry run/);
  });
});
