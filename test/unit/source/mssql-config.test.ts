import assert from 'node:assert/strict';
import { test } from 'node:test';

import sql from 'mssql';

import { preflightOf } from '../../../src/reports/scope';
import {
  connectError,
  mssqlConfig,
  parameterType,
  SourceLoginError,
  SourceUnreachableError,
} from '../../../src/source/sql/mssql-connection';
import { prefixPattern } from '../../../src/source/sql/mssql-preflight';
import { daysBefore, TEST_NOW } from '../../support/clock';

const target = {
  host: 'db.corp',
  port: 1433,
  database: 'SmarterTrack',
  user: 'reader',
  auth: 'sql' as const,
  domain: null,
  encrypt: true,
  trustServerCertificate: false,
};

test('mssql config: encryption on, certificate checked, read-only intent, UTC; SQL login or NTLM', () => {
  const c = mssqlConfig(target, 'pw');
  assert.equal(c.user, 'reader');
  assert.equal(c.password, 'pw');
  assert.equal(c.options?.encrypt, true);
  assert.equal(c.options?.trustServerCertificate, false);
  assert.equal(c.options?.readOnlyIntent, true);
  assert.equal(c.options?.useUTC, true);
  const ntlm = mssqlConfig({ ...target, auth: 'ntlm', domain: 'CORP', trustServerCertificate: true }, 'pw');
  assert.equal(ntlm.user, undefined);
  assert.deepEqual(ntlm.authentication, {
    type: 'ntlm',
    options: { domain: 'CORP', userName: 'reader', password: 'pw' },
  });
  assert.equal(ntlm.options?.trustServerCertificate, true);
});

test('parameters are typed explicitly: int vs bigint by range, nvarchar(4000) vs max by length', () => {
  assert.equal(parameterType(5), sql.Int);
  assert.equal(parameterType(2 ** 40), sql.BigInt);
  assert.equal(parameterType(1.5), sql.Float);
  assert.equal(parameterType(true), sql.Bit);
  assert.equal((parameterType('x') as sql.ISqlType).type, sql.NVarChar);
  assert.equal((parameterType('x') as { length?: number }).length, 4000);
  assert.equal((parameterType('x'.repeat(4001)) as { length?: number }).length, sql.MAX);
});

test('the row-count query matches the table prefix literally', () => {
  assert.equal(prefixPattern('st_'), 'st[_]%');
  assert.equal(prefixPattern('a%b['), 'a[%]b[[]%');
});

test('pre-flight block: not applicable without facts; backup age in days', () => {
  const none = preflightOf(null, TEST_NOW);
  assert.equal(none.applicable, false);
  assert.deepEqual(none.checklist, []);
  const facts = {
    serverVersion: 'v',
    productVersion: '15',
    edition: 'e',
    databaseName: 'ST',
    dataBytes: 1,
    logBytes: 1,
    lastFullBackup: { finishedAt: daysBefore(8).toISOString() },
    tableRows: [],
    unavailable: ['database size (sys.database_files): denied'],
  };
  const p = preflightOf(facts, TEST_NOW);
  assert.equal(p.lastFullBackupAgeDays, 8);
  assert.equal(p.warnings.length, 2);
  assert.match(p.warnings[0]!, /finished 8 days ago/);
  assert.match(p.warnings[1]!, /sys\.database_files/);
});

test('connect failures name the server and user, suggest the fix, and never carry the password', () => {
  const login = connectError(
    Object.assign(new Error("Login failed for user 'reader'. pw=s3cret"), { code: 'ELOGIN' }),
    target,
    's3cret',
  );
  assert.ok(login instanceof SourceLoginError);
  assert.match(login.message, /^SQL Server db\.corp:1433\/SmarterTrack: login failed for user "reader"/);
  assert.doesNotMatch(login.message, /s3cret/);
  const ntlm = connectError(
    Object.assign(new Error('Login failed.'), { code: 'ELOGIN' }),
    { ...target, auth: 'ntlm', domain: 'CORP' },
    'x',
  );
  assert.match(ntlm.message, /user "CORP\\reader"/);
  const cert = connectError(
    Object.assign(new Error('Failed to connect to db.corp:1433 - self-signed certificate'), { code: 'ESOCKET' }),
    target,
    'x',
  );
  assert.ok(cert instanceof SourceUnreachableError);
  assert.match(cert.message, /TLS certificate is not trusted .* trustServerCertificate=true/);
  const timeout = connectError(
    Object.assign(new Error('Failed to connect to db.corp:1433 in 15000ms'), { code: 'ETIMEOUT' }),
    target,
    'x',
  );
  assert.match(timeout.message, /^cannot reach db\.corp:1433 \(timeout\)/);
  const dns = connectError(
    Object.assign(new Error('Failed to connect to db.corp:1433 - getaddrinfo ENOTFOUND db.corp'), { code: 'ESOCKET' }),
    target,
    'x',
  );
  assert.match(dns.message, /^cannot reach db\.corp:1433 \(ENOTFOUND\)/);
});
