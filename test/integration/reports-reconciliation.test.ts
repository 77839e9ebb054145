import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { parse } from 'csv-parse/sync';

import { RECONCILIATION_CSV_COLUMNS, ReconciliationReport, type TypeReconciliation } from '../../src/model/reports';
import {
  buildReconciliation,
  type Reconciliation,
  reconciliationCsv,
  writeReconciliation,
} from '../../src/reports/reconciliation';
import { buildWorld, FAILED_MESSAGE, migrateOrg, type World } from './reports-world';

describe('reconciliation against a generated source, the sandbox and a journaled run', () => {
  let world: World;
  let rec: Reconciliation;
  const type = (r: Reconciliation, t: TypeReconciliation['objectType']) => {
    const found = r.report.types.find((x) => x.objectType === t);
    assert.ok(found, `no line for ${t}`);
    return found;
  };

  before(async () => {
    world = await buildWorld();
    // A value changed in Intercom after the run: the check must name it.
    const victim = world.migratedUsers[2]!;
    await world.client.contacts.update(world.contactIdOf.get(victim.id)!, { name: 'Wrong Name' });
    rec = await buildReconciliation({
      ledger: world.ledger,
      reader: world.reader,
      client: world.client,
      map: world.map,
      runId: world.runId,
      sample: 'all',
    });
  });
  after(() => world?.close());

  test('per type: source, migrated, skipped, failed and unaccounted add up; reasons add up', () => {
    for (const t of rec.report.types) {
      if (t.covered)
        assert.equal(t.migrated + t.skipped + t.failed + t.unaccounted, t.source + t.notInSource, t.objectType);
      assert.equal(t.notInSource, 0, t.objectType);
      assert.equal(
        t.skippedReasons.reduce((n, r) => n + r.count, 0),
        t.skipped,
        t.objectType,
      );
      assert.equal(
        t.failedReasons.reduce((n, r) => n + r.count, 0),
        t.failed,
        t.objectType,
      );
    }
    const orgs = type(rec, 'organizations');
    assert.deepEqual(
      {
        source: orgs.source,
        migrated: orgs.migrated,
        skipped: orgs.skipped,
        failed: orgs.failed,
        unaccounted: orgs.unaccounted,
        ids: orgs.unaccountedIds,
      },
      { source: 6, migrated: 4, skipped: 0, failed: 1, unaccounted: 1, ids: [String(world.missingOrg.id)] },
    );
    assert.deepEqual(orgs.failedReasons, [{ errorClass: 'validation', field: 'name', count: 1 }]);

    const users = type(rec, 'endUsers');
    assert.equal(users.migrated, 5);
    assert.equal(users.failed, 1);
    assert.equal(users.unaccounted, 1);
    assert.deepEqual(users.unaccountedIds, [String(world.missingUser.id)]);

    const tickets = type(rec, 'tickets');
    assert.equal(tickets.migrated, 2);
    assert.equal(tickets.failed, 1);
    assert.equal(tickets.unaccounted, tickets.source - 3);
    // The omitted comment has no record: it is a gap, not a silent success.
    assert.ok(
      rec.rows.some(
        (r) =>
          r.objectType === 'ticketComments' &&
          r.sourceId === String(world.omittedCommentId) &&
          r.state === 'unaccounted',
      ),
    );

    const departments = type(rec, 'departments');
    assert.equal(departments.migrated, 1);
    assert.equal(departments.skipped, departments.source - 1);
    assert.equal(departments.unaccounted, 0);

    const articles = type(rec, 'kbArticles');
    assert.equal(articles.covered, false);
    assert.equal(articles.migrated + articles.unaccounted, 0);
  });

  test('the read-back names record, field, source value and Intercom value', () => {
    const victim = world.migratedUsers[2]!;
    const got = rec.report.fieldCheck.mismatches
      .filter((m) => m.sourceId === String(victim.id) && m.objectType === 'endUsers')
      .map((m) => [m.field, m.expected, m.actual]);
    assert.deepEqual(got, [['name', victim.displayName!, 'Wrong Name']]);
    // This world writes the records by hand, partly (no websites, plain-text bodies): the read-back
    // compares with the source, not with what was written, so it finds those gaps too.
    const checked = Object.fromEntries(rec.report.fieldCheck.types.map((t) => [t.objectType, t.checked]));
    assert.deepEqual([checked.organizations, checked.endUsers, checked.tickets, checked.liveChats], [4, 5, 2, 1]);
    for (const t of rec.report.fieldCheck.types)
      if (t.checked)
        assert.equal(t.fidelity, Math.floor((10_000 * (t.checked - t.withMismatches)) / t.checked) / 100, t.objectType);
  });

  test('a wrong title on the good ticket is reported', async () => {
    const ticket = world.goodTicket.ticket;
    const id = world.ledger.intercomIdFor('tickets', String(ticket.id))!;
    await world.client.conversations.update(id, { title: 'Changed title' });
    try {
      const again = await buildReconciliation({
        ledger: world.ledger,
        reader: world.reader,
        client: world.client,
        map: world.map,
        runId: world.runId,
        sample: 'all',
      });
      const fields = again.report.fieldCheck.mismatches
        .filter((m) => m.objectType === 'tickets' && m.sourceId === String(ticket.id) && m.field === 'title')
        .map((m) => [m.field, m.expected, m.actual]);
      assert.deepEqual(fields, [['title', ticket.subject!, 'Changed title']]);
    } finally {
      await world.client.conversations.update(id, { title: ticket.subject! });
    }
  });

  test('a reopened live chat is reported as not closed', async () => {
    assert.notEqual(world.chat.endedAt, null);
    const id = world.ledger.intercomIdFor('liveChats', String(world.chat.id))!;
    await world.client.conversations.open(id, '991267001');
    try {
      const again = await buildReconciliation({
        ledger: world.ledger,
        reader: world.reader,
        client: world.client,
        map: world.map,
        runId: world.runId,
        sample: 'all',
      });
      const chat = again.report.fieldCheck.mismatches
        .filter((m) => m.objectType === 'liveChats' && m.field === 'state')
        .map((m) => [m.sourceId, m.field, m.expected, m.actual]);
      assert.deepEqual(chat, [[String(world.chat.id), 'state', 'closed', 'open']]);
    } finally {
      await world.client.conversations.close(id, '991267001');
    }
  });

  test('a sample reads back only that many records per type', async () => {
    const small = await buildReconciliation({
      ledger: world.ledger,
      reader: world.reader,
      client: world.client,
      map: world.map,
      runId: world.runId,
      sample: 2,
    });
    const checked = Object.fromEntries(small.report.fieldCheck.types.map((t) => [t.objectType, t.checked]));
    assert.deepEqual([checked.organizations, checked.endUsers, checked.tickets, checked.liveChats], [2, 2, 2, 1]);
    assert.equal(small.report.fieldCheck.sample, 2);
  });

  test('the CSV (RFC 4180) parses back to the same rows, quotes, commas and line breaks included', async () => {
    const files = await writeReconciliation(path.join(world.dir, 'workspace'), rec);
    assert.equal(path.basename(files.csv), `reconciliation-${world.runId}.csv`);
    const text = await readFile(files.csv, 'utf8');
    assert.equal(text, reconciliationCsv(rec.rows));
    assert.ok(text.includes('\r\n'));
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      parsed,
      rec.rows.map((r) => Object.fromEntries(RECONCILIATION_CSV_COLUMNS.map((c) => [c, r[c]]))),
    );
    const failed = parsed.find((r) => r.objectType === 'endUsers' && r.state === 'failed');
    assert.deepEqual(failed && [failed.sourceId, failed.reason, failed.field, failed.message], [
      String(world.failedUser.id),
      'validation',
      'email',
      FAILED_MESSAGE,
    ]);
    // Every skipped and failed record is a row; unaccounted ones too.
    const expectedRows = rec.report.types.reduce((n, t) => n + t.skipped + t.failed + t.unaccounted, 0);
    assert.equal(parsed.length, expectedRows);

    const json = ReconciliationReport.parse(JSON.parse(await readFile(files.json, 'utf8')));
    assert.deepEqual(json, rec.report);
    const md = await readFile(files.markdown, 'utf8');
    assert.match(md, /\*\*Gap:\*\*.*1 organizations/);
    assert.match(md, /Wrong Name/);
  });

  test('the workspace view takes the latest record across runs', async () => {
    const delta = await world.ledger.startRun({
      kind: 'delta',
      mappingHash: 'sha256:test',
      source: { kind: 'sqlite', description: 'generated dataset' },
    });
    await migrateOrg(delta, world.client, world.missingOrg);
    await migrateOrg(delta, world.client, world.failedOrg);
    await delta.finish('completed');

    const current = await buildReconciliation({
      ledger: world.ledger,
      reader: world.reader,
      client: world.client,
      map: world.map,
      sample: 0,
    });
    assert.equal(current.report.scope.mode, 'workspace');
    const orgs = type(current, 'organizations');
    assert.deepEqual([orgs.migrated, orgs.failed, orgs.unaccounted], [6, 0, 0]);
    // A run's own report counts what other runs of the workspace recorded apart, never as a gap.
    const first = await buildReconciliation({
      ledger: world.ledger,
      reader: world.reader,
      client: world.client,
      map: world.map,
      runId: world.runId,
      sample: 0,
    });
    assert.deepEqual([type(first, 'organizations').unaccounted, type(first, 'organizations').otherRuns], [0, 1]);
    const deltaOnly = await buildReconciliation({
      ledger: world.ledger,
      reader: world.reader,
      client: world.client,
      map: world.map,
      runId: delta.runId,
      sample: 0,
    });
    assert.deepEqual(
      deltaOnly.report.types
        .filter((t) => t.covered)
        .map((t) => [t.objectType, t.migrated, t.unaccounted, t.otherRuns]),
      [['organizations', 2, 0, 4]],
    );
  });
});
