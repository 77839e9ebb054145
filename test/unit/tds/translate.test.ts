import assert from 'node:assert/strict';
import { test } from 'node:test';

import Database from 'better-sqlite3';

import { mssqlDialect } from '../../../src/source/sql/dialect';
import { likeToRegExp, parameterNames, splitStatements, translateTsql } from '../../fixtures/tds/translate';

test('T-SQL → SQLite: TOP (@p) becomes LIMIT, [names] become "names", LEN becomes LENGTH', () => {
  const page = mssqlDialect.selectPage({
    select: ['x.[TicketID] AS [id]', `${mssqlDialect.length('x.[Subject]')} AS [len]`],
    from: '[st_Tickets] x',
    where: ['x.[TicketID] > @p1'],
    orderBy: ['x.[TicketID]'],
    limitParam: 2,
  });
  assert.equal(
    translateTsql(page),
    'SELECT x."TicketID" AS "id", LENGTH(REPLACE(x."Subject", \' \', \'_\')) AS "len" FROM "st_Tickets" x WHERE (x."TicketID" > @p1) ORDER BY x."TicketID" LIMIT @p2',
  );
  assert.equal(translateTsql('SELECT TOP 5 a FROM t;'), 'SELECT a FROM t LIMIT 5');
  assert.equal(translateTsql('SELECT DISTINCT TOP (3) a FROM t'), 'SELECT DISTINCT a FROM t LIMIT 3');
  assert.equal(translateTsql('SELECT [a]]b] FROM [t"x]'), 'SELECT "a]b" FROM "t""x"');
});

test("string literals are left alone; N'…' loses its N; ISNULL becomes IFNULL", () => {
  assert.equal(
    translateTsql("SELECT 'it''s [not] LEN(x)' AS s, N'x' AS n, ISNULL(a, 0) AS [N]"),
    "SELECT 'it''s [not] LEN(x)' AS s, 'x' AS n, IFNULL(a, 0) AS \"N\"",
  );
  assert.throws(() => translateTsql("SELECT 'open"), /Unclosed quotation mark/);
});

test('INFORMATION_SCHEMA.COLUMNS becomes a view over the SQLite catalog', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE st_Tickets (TicketID INTEGER, Subject TEXT); CREATE TABLE st_Users (UserID INTEGER)');
  const rows = db.prepare(translateTsql(mssqlDialect.catalogSql)).all();
  assert.deepEqual(rows, [
    { table_name: 'st_Tickets', column_name: 'TicketID' },
    { table_name: 'st_Tickets', column_name: 'Subject' },
    { table_name: 'st_Users', column_name: 'UserID' },
  ]);
  db.close();
});

test('batches split on semicolons outside strings; parameters are found outside strings', () => {
  assert.deepEqual(splitStatements("SELECT 1; SELECT ';' AS s;\n  ; SELECT 2"), [
    'SELECT 1',
    "SELECT ';' AS s",
    'SELECT 2',
  ]);
  assert.deepEqual([...parameterNames("SELECT @p1, '@p9', @p2, @@VERSION FROM t WHERE a = @p1")], ['p1', 'p2']);
});

test('T-SQL LIKE patterns: [_] is a literal underscore, % any run, _ one character', () => {
  const re = likeToRegExp('st[_]%');
  assert.ok(re.test('st_Tickets'));
  assert.ok(re.test('ST_users'));
  assert.ok(!re.test('stXTickets'));
  assert.ok(likeToRegExp('a_c').test('abc'));
  assert.ok(!likeToRegExp('a_c').test('abbc'));
});
