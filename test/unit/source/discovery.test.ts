import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';

import { openSource } from '../../../src/source/open-source';
import { detectPrefix, SchemaError } from '../../../src/source/sql/catalog';
import { buildMiniDb } from '../../fixtures/mini/build-mini-db';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-discovery-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test('the default prefix is detected and described', async () => {
  const db = buildMiniDb({ dir: path.join(dir, 'default'), bigTicketMessages: 0 });
  const reader = await openSource({ kind: 'sqlite', path: db.file });
  try {
    const d = await reader.describe();
    assert.equal(d.engine, 'sqlite');
    assert.equal(d.tablePrefix, 'st_');
    assert.deepEqual(d.missingOptionalTables, []);
    assert.deepEqual(d.missingOptionalColumns, []);
    assert.ok(d.tables.some((t) => t.name === 'st_Tickets' && t.columns.includes('UserID_Customer')));
    assert.ok(d.versionHints.some((h) => h.includes('phone')));
  } finally {
    await reader.close();
  }
});

test('any prefix whose tables match is found (hd_), with lower-case names matched case-insensitively', async () => {
  const db = buildMiniDb({ dir: path.join(dir, 'hd'), prefix: 'HD_', lowerCaseNames: true, bigTicketMessages: 0 });
  const reader = await openSource({ kind: 'sqlite', path: db.file }, { attachmentsRoot: db.attachmentsRoot });
  try {
    assert.equal((await reader.describe()).tablePrefix, 'hd_');
    const tickets = await collect(reader.tickets());
    assert.equal(tickets.length, 7);
    assert.equal(tickets[0]!.statusName, 'Active');
    assert.deepEqual(tickets[4]!.mergedNumbers, ['111-AAAA-0001', '111-AAAA-0002']);
    assert.equal((await collect(reader.agents())).length, 3);
  } finally {
    await reader.close();
  }
});

test('prefix detection prefers the candidate completing the required tables', () => {
  const names = [
    'st_customdatafieldsforusers',
    'x_users',
    'x_tickets',
    'x_ticketmessages',
    'x_roles',
    'x_usersinroles',
    'x_departments',
    'st_tickets',
  ];
  assert.equal(detectPrefix(names), 'x_');
  assert.equal(detectPrefix([]), 'st_');
});

test('missing optional tables and columns are tolerated, reported, and read as null', async () => {
  const db = buildMiniDb({
    dir: path.join(dir, 'partial'),
    omitTables: ['TicketMerges', 'Tags', 'TicketStatuses', 'Events', 'ChatMessages'],
    omitColumns: ['Users.PhoneNumber', 'Tickets.Subject', 'Departments.BrandID'],
    bigTicketMessages: 0,
  });
  const reader = await openSource({ kind: 'sqlite', path: db.file });
  try {
    const d = await reader.describe();
    assert.deepEqual(d.missingOptionalTables.sort(), [
      'st_ChatMessages',
      'st_Events',
      'st_Tags',
      'st_TicketMerges',
      'st_TicketStatuses',
    ]);
    assert.deepEqual(d.missingOptionalColumns.sort(), [
      'st_Departments.BrandID',
      'st_Tickets.Subject',
      'st_Users.PhoneNumber',
    ]);
    const tickets = await collect(reader.tickets());
    assert.equal(tickets[0]!.subject, null);
    assert.equal(tickets[0]!.statusName, null);
    assert.equal(tickets[0]!.statusId, 1);
    assert.equal(tickets[0]!.brandId, null);
    assert.deepEqual(tickets[4]!.mergedNumbers, []);
    assert.deepEqual(await collect(reader.tags()), []);
    assert.deepEqual(await collect(reader.automationRules()), []);
    assert.deepEqual(await collect(reader.chatMessages()), []);
    const memberships = await collect(reader.organizationMemberships());
    assert.ok(!memberships.some((m) => m.matchedBy.includes('phone')), 'phone filters are ignored without user phones');
    const counts = await reader.insights.counts();
    assert.equal(counts.tags, 0);
    assert.equal(counts.tickets, 7);
  } finally {
    await reader.close();
  }
});

test('missing required tables stop with a message naming them', async () => {
  const db = buildMiniDb({
    dir: path.join(dir, 'broken'),
    omitTables: ['Roles', 'UsersInRoles'],
    bigTicketMessages: 0,
  });
  await assert.rejects(openSource({ kind: 'sqlite', path: db.file }), (error: Error) => {
    assert.ok(error instanceof SchemaError);
    assert.match(error.message, /st_Roles, st_UsersInRoles/);
    return true;
  });
});

test('a database that is not SmarterTrack at all is refused clearly', async () => {
  const file = path.join(dir, 'other.db');
  const other = new Database(file);
  other.exec('CREATE TABLE invoices (id INTEGER)');
  other.close();
  await assert.rejects(
    openSource({ kind: 'sqlite', path: file }),
    /not a SmarterTrack database: required tables missing \(prefix "st_"\): st_Departments.*tables found: invoices/,
  );
});
