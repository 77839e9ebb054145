import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mssqlDialect, sqliteDialect } from '../../../src/source/sql/dialect';

const page = {
  select: ['t.[TicketID] AS [TicketID]'],
  from: '[st_Tickets] t',
  where: ['t.[TicketID] > @p1'],
  orderBy: ['t.[TicketID]'],
  limitParam: 2,
};

test('SQLite pages with LIMIT ? and positional parameters', () => {
  assert.equal(sqliteDialect.quote('a"b'), '"a""b"');
  assert.equal(sqliteDialect.param(3), '?');
  assert.equal(
    sqliteDialect.selectPage(page),
    'SELECT t.[TicketID] AS [TicketID] FROM [st_Tickets] t WHERE (t.[TicketID] > @p1) ORDER BY t.[TicketID] LIMIT ?',
  );
  assert.match(sqliteDialect.catalogSql, /sqlite_master .* pragma_table_info/);
});

test('T-SQL pages with TOP (@pN), named parameters, no OFFSET', () => {
  assert.equal(mssqlDialect.quote('a]b'), '[a]]b]');
  assert.equal(mssqlDialect.param(3), '@p3');
  const sql = mssqlDialect.selectPage(page);
  assert.equal(
    sql,
    'SELECT TOP (@p2) t.[TicketID] AS [TicketID] FROM [st_Tickets] t WHERE (t.[TicketID] > @p1) ORDER BY t.[TicketID]',
  );
  assert.doesNotMatch(sql, /OFFSET|LIMIT/);
  assert.equal(mssqlDialect.length('x'), "LEN(REPLACE(x, ' ', '_'))");
  assert.match(mssqlDialect.catalogSql, /INFORMATION_SCHEMA\.COLUMNS/);
});
