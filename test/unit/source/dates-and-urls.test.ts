import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { resolveAttachmentPath } from '../../../src/source/attachment-paths';
import { parseUtcDate } from '../../../src/source/dates';
import { MembershipMatcher } from '../../../src/source/organization-membership';
import { parseSourceUrl, SourceUrlError } from '../../../src/source/source-url';

test('dates from text, ISO, numbers and Date objects come out as UTC ISO strings', () => {
  assert.equal(parseUtcDate('2024-01-02 03:04:05'), '2024-01-02T03:04:05.000Z');
  assert.equal(parseUtcDate('2024-01-02 03:04:05.1234567'), '2024-01-02T03:04:05.123Z');
  assert.equal(parseUtcDate('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z');
  assert.equal(parseUtcDate('2024-01-02T05:04:05+02:00'), '2024-01-02T03:04:05.000Z');
  assert.equal(parseUtcDate('2024-01-02'), '2024-01-02T00:00:00.000Z');
  assert.equal(parseUtcDate(1704164645), '2024-01-02T03:04:05.000Z');
  assert.equal(parseUtcDate(1704164645000), '2024-01-02T03:04:05.000Z');
  assert.equal(parseUtcDate(638397614450000000n), '2024-01-02T03:04:05.000Z');
  assert.equal(parseUtcDate(2460311.5), '2024-01-02T00:00:00.000Z');
  assert.equal(parseUtcDate(new Date(Date.UTC(2024, 0, 2))), '2024-01-02T00:00:00.000Z');
  assert.equal(parseUtcDate(null), null);
  assert.equal(parseUtcDate(''), null);
  assert.throws(() => parseUtcDate('yesterday'), /not a date/);
});

test('a date that does not exist is refused, never rolled over into another day', () => {
  assert.throws(
    () => parseUtcDate('2023-02-30 25:61:00'),
    /not a date: "2023-02-30 25:61:00" does not exist \(day 30 of a month with 28 days, hour 25, minute 61\)/,
  );
  assert.throws(() => parseUtcDate('2023-13-01'), /month 13/);
  assert.throws(() => parseUtcDate('2023-04-31'), /day 31/);
  assert.equal(parseUtcDate('2024-02-29 23:59:59'), '2024-02-29T23:59:59.000Z');
});

test('source URLs: sqlite and mssql are supported, https is recognized, anything else refused', () => {
  const sqlLogin = { encrypt: true, trustServerCertificate: false, auth: 'sql', domain: null };
  assert.deepEqual(parseSourceUrl('sqlite:./data/st.db'), { kind: 'sqlite', path: './data/st.db' });
  assert.deepEqual(parseSourceUrl('sqlite:///abs/st.db'), { kind: 'sqlite', path: '/abs/st.db' });
  assert.deepEqual(parseSourceUrl('mssql://reader@db.local:1500/SmarterTrack'), {
    kind: 'mssql',
    user: 'reader',
    host: 'db.local',
    port: 1500,
    database: 'SmarterTrack',
    ...sqlLogin,
  });
  assert.deepEqual(parseSourceUrl('mssql://db.local/SmarterTrack'), {
    kind: 'mssql',
    user: null,
    host: 'db.local',
    port: 1433,
    database: 'SmarterTrack',
    ...sqlLogin,
  });
  assert.deepEqual(parseSourceUrl('https://support.example.com/'), {
    kind: 'soap',
    baseUrl: 'https://support.example.com',
  });
  assert.throws(() => parseSourceUrl('mssql://sa:secret@db/x'), /password/);
  assert.throws(() => parseSourceUrl('mssql://sa@db/x?password=secret'), /password/);
  assert.deepEqual(parseSourceUrl('mssql://svc@db/ST?encrypt=false&trustServerCertificate=true&domain=CORP'), {
    kind: 'mssql',
    user: 'svc',
    host: 'db',
    port: 1433,
    database: 'ST',
    encrypt: false,
    trustServerCertificate: true,
    auth: 'ntlm',
    domain: 'CORP',
  });
  assert.throws(() => parseSourceUrl('mssql://svc@db/ST?auth=ntlm'), /domain/);
  assert.throws(() => parseSourceUrl('mssql://svc@db/ST?encrypt=maybe'), /true or false/);
  assert.throws(() => parseSourceUrl('mssql://svc@db/ST?encrpyt=true'), /unknown mssql:\/\/ option "encrpyt"/);
  assert.throws(() => parseSourceUrl('ftp://x'), SourceUrlError);
  assert.throws(() => parseSourceUrl('./st.db'), /no scheme/);
  assert.throws(() => parseSourceUrl('C:\\data\\st.db'), /no scheme/);
  assert.throws(() => parseSourceUrl('sqlite:'), /file path/);
});

test('membership rules: email exact, domain of the email, user id, phone digits only if the user has one', () => {
  const matcher = new MembershipMatcher([
    { id: 1, filters: [{ id: 1, type: 'Email', kind: 'email', value: 'A@B.example', userId: null }] },
    { id: 2, filters: [{ id: 2, type: 'Domain', kind: 'domain', value: 'b.example', userId: null }] },
    { id: 3, filters: [{ id: 3, type: 'User', kind: 'user', value: '7', userId: null }] },
    { id: 4, filters: [{ id: 4, type: 'Phone', kind: 'phone', value: '+1 555 0100', userId: null }] },
  ]);
  assert.deepEqual(
    matcher.match({ id: 7, email: 'a@b.example', phone: '1-555-0100' }).map((m) => m.organizationId),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    matcher.match({ id: 8, email: 'z@sub.b.example', phone: null }),
    [],
    'a subdomain is another domain',
  );
  assert.deepEqual(matcher.match({ id: 9, email: null, phone: '' }), []);
});

test('attachment paths: unsafe names are refused before touching the disk', () => {
  assert.equal(resolveAttachmentPath('/root', 'ticket', '../x').status, 'unsafe');
  assert.equal(resolveAttachmentPath('/root', 'ticket', 'a\\..\\..\\x').status, 'unsafe');
  assert.equal(resolveAttachmentPath('/root', 'ticket', '/etc/passwd').status, 'unsafe');
  assert.equal(resolveAttachmentPath('/root', 'ticket', 'C:\\x').status, 'unsafe');
  assert.equal(resolveAttachmentPath(null, 'ticket', 'a.bin').status, 'noRoot');
  assert.equal(resolveAttachmentPath('/root', 'ticket', '  ').status, 'noFileName');
});

test('attachment paths: a symbolic link leading out of the root is unsafe', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-link-'));
  try {
    const root = path.join(dir, 'App_Data');
    mkdirSync(path.join(root, 'Attachments', 'Tickets'), { recursive: true });
    writeFileSync(path.join(dir, 'secret.txt'), 'outside');
    writeFileSync(path.join(root, 'Attachments', 'Tickets', 'ok.bin'), 'inside');
    symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'Attachments', 'Tickets', 'link.bin'));
    assert.deepEqual(resolveAttachmentPath(root, 'ticket', 'link.bin'), { path: null, status: 'unsafe' });
    assert.equal(resolveAttachmentPath(root, 'ticket', 'ok.bin').status, 'found');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed value stops the read with the table, the row id and the column', async () => {
  const { rowSchema, parseRow, RowError } = await import('../../../src/source/sql/row-values');
  const schema = rowSchema({ TicketID: 'int', DateOpenedUTC: 'date', IsDeleted: 'bool' } as const);
  assert.deepEqual(
    parseRow(schema, { TicketID: 7n, DateOpenedUTC: '2024-01-01 00:00:00', IsDeleted: 'true' }, 'tickets'),
    {
      TicketID: 7,
      DateOpenedUTC: '2024-01-01T00:00:00.000Z',
      IsDeleted: true,
    },
  );
  assert.throws(
    () => parseRow(schema, { TicketID: 7, DateOpenedUTC: 'soon', IsDeleted: 0 }, 'tickets'),
    (error: Error) => {
      assert.ok(error instanceof RowError);
      assert.equal(error.message, 'tickets (row TicketID = 7): column DateOpenedUTC: not a date: "soon"');
      return true;
    },
  );
  assert.throws(
    () => parseRow(schema, { TicketID: 1.5, DateOpenedUTC: null, IsDeleted: 0 }, 'tickets'),
    /column TicketID: expected an integer/,
  );
});
