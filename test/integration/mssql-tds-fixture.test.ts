import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Database from 'better-sqlite3';
import sql from 'mssql';

import { startTdsFixture, type TdsFixture } from '../fixtures/tds/server';

/** The fixture itself, through the real mssql driver: types, parameters, result sets, errors, packets. */

let dir: string;
let fixture: TdsFixture;
let pool: sql.ConnectionPool;

const LONG = 'ü'.repeat(5000);

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-tds-'));
  const file = path.join(dir, 'types.db');
  const db = new Database(file);
  db.exec(
    `CREATE TABLE st_Kinds (ID INTEGER, Big INTEGER, Small INTEGER, Flag INTEGER, Ratio REAL, Label TEXT, Code TEXT, Body TEXT, Seen TEXT, Stamp TEXT, Tag TEXT, Blob BLOB, Decl nvarchar(20), Declared datetime)`,
  );
  const insert = db.prepare('INSERT INTO st_Kinds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run(
    1,
    2 ** 40,
    -3,
    1,
    0.25,
    'première',
    'ABC',
    LONG,
    '2024-02-29 23:59:59.123',
    '1999-12-31 08:00:00.000',
    '0f67d079-f98a-449b-adfd-fb319e7f1b1d',
    Buffer.from([0, 1, 2, 255]),
    'declared',
    '2020-01-01 00:00:00',
  );
  insert.run(2, null, null, 0, null, null, null, null, null, null, null, null, null, null);
  db.exec(
    "CREATE TABLE st_Many (ID INTEGER PRIMARY KEY, Text TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO st_Many SELECT i, printf('row %d of many', i) FROM n",
  );
  db.close();
  fixture = await startTdsFixture({
    database: file,
    user: 'u',
    password: 'p',
    port: 0,
    columnTypes: {
      'Kinds.Big': 'bigint',
      'Kinds.Small': 'smallint',
      'Kinds.Flag': 'bit',
      'Kinds.Code': 'varchar',
      'Kinds.Body': 'nvarchar(max)',
      'Kinds.Seen': 'datetime2',
      'Kinds.Stamp': 'datetime',
      'Kinds.Tag': 'uniqueidentifier',
      'Kinds.Blob': 'varbinary(max)',
    },
  });
  // A small packet size makes every reply span several packets.
  pool = new sql.ConnectionPool({
    server: '127.0.0.1',
    port: fixture.port,
    database: 'SmarterTrack',
    user: 'u',
    password: 'p',
    options: { encrypt: false, packetSize: 512 },
  });
  await pool.connect();
});
after(async () => {
  await pool?.close();
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every served type reaches the driver as its SQL Server type, NULLs included', async () => {
  const result = await pool.request().query('SELECT * FROM [st_Kinds] ORDER BY [ID]');
  const [a, b] = result.recordset;
  assert.deepEqual(a, {
    ID: 1,
    Big: String(2 ** 40),
    Small: -3,
    Flag: true,
    Ratio: 0.25,
    Label: 'première',
    Code: 'ABC',
    Body: LONG,
    Seen: new Date('2024-02-29T23:59:59.123Z'),
    Stamp: new Date('1999-12-31T08:00:00.000Z'),
    Tag: '0F67D079-F98A-449B-ADFD-FB319E7F1B1D',
    Blob: Buffer.from([0, 1, 2, 255]),
    Decl: 'declared',
    Declared: new Date('2020-01-01T00:00:00.000Z'),
  });
  assert.ok(
    Object.values(b!)
      .slice(1)
      .every((v) => v === null || v === false),
  );
  const columns = result.recordset.columns;
  assert.equal(columns.Big!.type, sql.BigInt);
  assert.equal(columns.Small!.type, sql.SmallInt);
  assert.equal(columns.Code!.type, sql.VarChar);
  assert.equal(columns.Stamp!.type, sql.DateTime);
  assert.equal(columns.Seen!.type, sql.DateTime2);
  assert.equal(columns.Tag!.type, sql.UniqueIdentifier);
  assert.equal(columns.Decl!.type, sql.NVarChar);
  assert.equal(columns.Decl!.length, 40); // mssql reports nvarchar lengths in bytes, as the server sends them
});

test('sp_executesql parameters of every type the reader may bind arrive intact', async () => {
  const r = pool.request();
  r.input('p1', sql.Int, 7);
  r.input('p2', sql.BigInt, '1099511627776');
  r.input('p3', sql.NVarChar(sql.MAX), LONG);
  r.input('p4', sql.Bit, true);
  r.input('p5', sql.DateTime2(7), new Date('2024-02-29T23:59:59.123Z'));
  r.input('p6', sql.VarBinary(sql.MAX), Buffer.from([9, 8, 7]));
  r.input('p7', sql.NVarChar(4000), null);
  r.input('p8', sql.VarChar(50), 'plain');
  const result = await r.query(
    'SELECT @p1 AS a, @p2 AS b, LEN(@p3) AS c, @p4 AS d, @p5 AS e, @p6 AS f, @p7 AS g, @p8 AS h',
  );
  assert.deepEqual(result.recordset[0], {
    a: 7,
    b: '1099511627776',
    c: 5000,
    d: 1,
    e: '2024-02-29 23:59:59.123',
    f: Buffer.from([9, 8, 7]),
    g: null,
    h: 'plain',
  });
  const logged = fixture.statements().at(-1)!;
  assert.equal(logged.kind, 'rpc');
  assert.equal(logged.params.p2, 1099511627776n);
  assert.equal(logged.params.p3, LONG);
});

test('several result sets in one batch, and paging with TOP (@p)', async () => {
  const r = pool.request();
  r.input('p1', sql.Int, 1);
  const result = await r.query(
    'SELECT TOP (@p1) [ID] FROM [st_Kinds] ORDER BY [ID] DESC; SELECT COUNT(*) AS n FROM [st_Kinds]; SELECT 1 AS one',
  );
  assert.deepEqual(
    (result.recordsets as sql.IRecordSet<unknown>[]).map((s) => [...s]),
    [[{ ID: 2 }], [{ n: 2 }], [{ one: 1 }]],
  );
  const batch = await pool
    .request()
    .batch('SELECT [Label] FROM [st_Kinds] WHERE [ID] = 1; SELECT [ID] FROM [st_Kinds] WHERE [ID] = 2');
  assert.deepEqual(
    (batch.recordsets as sql.IRecordSet<unknown>[]).map((s) => [...s]),
    [[{ Label: 'première' }], [{ ID: 2 }]],
  );
});

test('errors come back as SQL Server errors and the connection stays usable', async () => {
  await assert.rejects(
    pool.request().query('SELECT * FROM [st_Missing]'),
    (e: { number?: number; message: string }) => e.number === 208 && /Invalid object name 'st_Missing'/.test(e.message),
  );
  await assert.rejects(
    pool.request().query('SELECT [Nope] FROM [st_Kinds]'),
    (e: { number?: number }) => e.number === 207,
  );
  await assert.rejects(pool.request().query('SELECT @p9 AS x'), /Must declare the scalar variable "@p9"/);
  assert.deepEqual([...(await pool.request().query('SELECT 2 AS two')).recordset], [{ two: 2 }]);
});

test('a client that insists on TLS (encrypt: strict) is refused cleanly and the server keeps serving', async () => {
  const strict = new sql.ConnectionPool({
    server: '127.0.0.1',
    port: fixture.port,
    user: 'u',
    password: 'p',
    connectionTimeout: 3000,
    options: { encrypt: 'strict' as unknown as boolean },
  });
  await assert.rejects(strict.connect());
  await strict.close().catch(() => undefined);
  assert.deepEqual([...(await pool.request().query('SELECT 3 AS three')).recordset], [{ three: 3 }]);
});

test('a large result streams in packets, and a cancelled request leaves the connection usable', async () => {
  const all = await pool.request().query('SELECT [ID], [Text] FROM [st_Many] ORDER BY [ID]');
  assert.equal(all.recordset.length, 20000);
  assert.deepEqual(all.recordset[19999], { ID: 20000, Text: 'row 20000 of many' });

  const request = pool.request();
  request.stream = true;
  let rows = 0;
  const done = new Promise<unknown>((resolve) => {
    request.on('row', () => {
      if (++rows === 1) request.cancel();
    });
    request.on('error', resolve);
    request.on('done', resolve);
  });
  void request.query('SELECT [ID], [Text] FROM [st_Many] ORDER BY [ID]');
  const outcome = await done;
  assert.equal((outcome as { code?: string } | undefined)?.code, 'ECANCEL', 'the attention was answered (DONE_ATTN)');
  assert.deepEqual([...(await pool.request().query('SELECT COUNT(*) AS n FROM [st_Many]')).recordset], [{ n: 20000 }]);
});
