import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runMigration } from '../../src/engine/run-migration';
import { proposeMap } from '../../src/engine/propose-map';
import { IntercomClient } from '../../src/intercom';
import { writeMappingFile } from '../../src/mapping/mapping-file';
import { confirmMap } from '../../src/mapping/review';
import { startSandbox, type RunningSandbox, type SandboxState } from '../../src/sandbox';
import type { SourceReader } from '../../src/source/reader';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';
import { serveDataset, type ServedDataset } from './mssql-helpers';

// Issue 7: the same help desk migrated through SQL Server (mssql + TDS fixture) and through SQLite
// leaves the two sandboxes in the same state.
let served: ServedDataset;
let work: string;
const sandboxes: RunningSandbox[] = [];

before(async () => {
  served = await serveDataset({ seed: 2, scale: 0.1 });
  work = mkdtempSync(path.join(tmpdir(), 'st2ic-mssql-migration-'));
});

after(async () => {
  for (const s of sandboxes) await s.close();
  await served?.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** Sandbox state without its own ids and clocks: contacts by external_id, conversations by their opening. */
function normalize(state: SandboxState) {
  const externalOf = new Map(Object.values(state.contacts).map((c) => [c.id, c.external_id]));
  const tagName = new Map(Object.values(state.tags).map((t) => [t.id, t.name]));
  const companyOf = new Map(Object.values(state.companies).map((c) => [c.id, c.company_id]));
  const sortBy = <T>(items: T[], key: (t: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    companies: sortBy(Object.values(state.companies).map((c) => ({ company_id: c.company_id, name: c.name, archived: c.archived })), (c) => c.company_id),
    contacts: sortBy(Object.values(state.contacts).map((c) => ({
      external_id: c.external_id, email: c.email, name: c.name, signed_up_at: c.signed_up_at, custom_attributes: c.custom_attributes,
      companies: c.company_ids.map((id) => companyOf.get(id)).sort(), tags: c.tag_ids.map((id) => tagName.get(id)).sort(),
    })), (c) => c.external_id ?? ''),
    conversations: sortBy(Object.values(state.conversations).map((c) => ({
      contacts: c.contact_ids.map((id) => externalOf.get(id)), created_at: c.created_at, source_body: c.source_body, title: c.title, state: c.state,
      admin: c.admin_assignee_id, team: c.team_assignee_id, custom_attributes: c.custom_attributes, tags: c.tags.map((t) => tagName.get(t.id)).sort(),
      parts: c.parts.filter((p) => p.part_type === 'comment' || p.part_type === 'note').map((p) => ({
        type: p.part_type, body: p.body, created_at: p.created_at, author: p.author.type === 'admin' ? p.author.id : externalOf.get(p.author.id),
        files: p.attachments.map((a) => `${a.name}:${a.content_type}:${a.filesize}`),
      })),
    })), (c) => `${c.created_at}|${c.contacts.join()}|${c.source_body}`),
    tags: Object.values(state.tags).map((t) => t.name).sort(),
    attributes: [...Object.values(state.dataAttributes), ...Object.values(state.conversationAttributes)].map((a) => a.name).sort(),
    collections: Object.values(state.collections).map((c) => c.name).sort(),
    articles: sortBy(Object.values(state.articles).map((a) => ({ title: a.title, state: a.state, body: a.body })), (a) => a.title),
  };
}

async function migrateInto(open: () => Promise<SourceReader>, name: string, seedFile: string): Promise<SandboxState> {
  const sandbox = await startSandbox({ port: 0, seedFile, rateLimitPer10s: 100_000 });
  sandboxes.push(sandbox);
  const workspace = path.join(work, name);
  const reader = await open();
  try {
    await writeMappingFile(workspace, confirmMap(await proposeMap(reader), 'approved', 'Test Reviewer'));
    const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, rateLimiter: { concurrency: 16 } });
    const result = await runMigration({ workspaceDir: workspace, kind: 'full', reader, client, options: { concurrency: 8 } });
    assert.equal(result.status, 'completed', result.message);
  } finally {
    await reader.close();
  }
  return sandbox.state();
}

test('a full migration through SQL Server and through SQLite ends in the same Intercom state', async () => {
  const seedReader = await served.openSqlite();
  const seed = await seedForSource(seedReader, new Set([served.manifest.hardCases.unmatchedAgentId]));
  await seedReader.close();
  const seedFile = path.join(work, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));

  const viaSqlite = normalize(await migrateInto(() => served.openSqlite(), 'sqlite', seedFile));
  const viaMssql = normalize(await migrateInto(() => served.openMssql(), 'mssql', seedFile));
  assert.ok(viaSqlite.conversations.length > 10 && viaSqlite.contacts.length > 10, 'the migration moved a real help desk');
  assert.deepEqual(viaMssql, viaSqlite);
  // And only SELECT statements reached the SQL Server side during the whole migration.
  const writes = served.fixture.statements().filter((s) => !/^\s*(select|set\b)/i.test(s.sql));
  assert.deepEqual(writes.map((s) => s.sql), []);
});
