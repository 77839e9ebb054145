import sql from 'mssql';

import { messageOf } from '../../model/error-message';
import { SourceAccessError } from '../errors';
import { readOnly, type SqlConnection, type SqlRow } from './connection';

/** Where and how to reach a SmarterTrack database on SQL Server. The password is given separately. */
export interface MssqlTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  /** SQL login (default) or Windows/NTLM with a domain. */
  auth: 'sql' | 'ntlm';
  domain: string | null;
  /** TLS on by default; a server that does not support it is still used in plaintext by the driver. */
  encrypt: boolean;
  /** Accept a self-signed certificate: only when asked for. */
  trustServerCertificate: boolean;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export class SourceLoginError extends SourceAccessError {
  override readonly name = 'SourceLoginError';
}

export class SourceUnreachableError extends SourceAccessError {
  override readonly name = 'SourceUnreachableError';
}

/** host:port/database, for messages and reports (no credentials). */
function describeTarget(t: Pick<MssqlTarget, 'host' | 'port' | 'database'>): string {
  return `${t.host}:${t.port}/${t.database}`;
}

/** The mssql/tedious configuration of a target: read-only intent, UTC dates. */
export function mssqlConfig(target: MssqlTarget, password: string): sql.config {
  const base: sql.config = {
    server: target.host,
    port: target.port,
    database: target.database,
    connectionTimeout: target.connectTimeoutMs ?? 15_000,
    requestTimeout: target.requestTimeoutMs ?? 300_000,
    // 'socket' checks the socket instead of sending SELECT 1 before every query.
    validateConnection: 'socket',
    pool: { min: 0, max: 4, idleTimeoutMillis: 30_000 },
    options: {
      encrypt: target.encrypt,
      trustServerCertificate: target.trustServerCertificate,
      readOnlyIntent: true,
      useUTC: true,
      appName: 'st2ic',
      enableArithAbort: true,
    },
  };
  if (target.auth === 'ntlm') {
    return {
      ...base,
      authentication: { type: 'ntlm', options: { domain: target.domain ?? '', userName: target.user, password } },
    };
  }
  return { ...base, user: target.user, password };
}

/**
 * Connects to SQL Server through an mssql ConnectionPool. Connection failures become messages that
 * name the server, database and user, never the password. The returned connection refuses anything
 * but SELECT before it reaches the driver.
 */
export async function openMssql(target: MssqlTarget, password: string): Promise<SqlConnection> {
  const pool = new sql.ConnectionPool(mssqlConfig(target, password));
  // A pool emits 'error' for idle connections that break; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await pool.connect();
  } catch (error) {
    await pool.close().catch(() => undefined);
    throw connectError(error, target, password);
  }
  const location = describeTarget(target);
  const raw: SqlConnection = {
    engine: 'mssql',
    location,
    async query(text, params = []) {
      const request = pool.request();
      params.forEach((value, i) => bind(request, `p${i + 1}`, value));
      try {
        // The reader pages with TOP (n): a result is one page at most.
        const result = await request.query<SqlRow>(text);
        return result.recordset ?? [];
      } catch (error) {
        throw new Error(`SQL Server ${location}: ${scrub(messageOf(error), password)}`, { cause: error });
      }
    },
    async close() {
      await pool.close();
    },
  };
  return readOnly(raw);
}

/** Explicit parameter types, so an id beyond int range is a bigint and text is nvarchar(4000|max). */
export function parameterType(value: unknown): sql.ISqlType | (() => sql.ISqlType) {
  if (value === null || value === undefined) return sql.NVarChar(4000);
  switch (typeof value) {
    case 'number':
      if (!Number.isInteger(value)) return sql.Float;
      return value >= -2_147_483_648 && value <= 2_147_483_647 ? sql.Int : sql.BigInt;
    case 'bigint':
      return sql.BigInt;
    case 'boolean':
      return sql.Bit;
    case 'string':
      return sql.NVarChar(value.length > 4000 ? sql.MAX : 4000);
    default:
      if (value instanceof Date) return sql.DateTime2(7);
      if (value instanceof Uint8Array) return sql.VarBinary(sql.MAX);
      return sql.NVarChar(4000);
  }
}

function bind(request: sql.Request, name: string, value: unknown): void {
  const v = value === undefined ? null : typeof value === 'bigint' ? value.toString() : value;
  request.input(name, parameterType(value), v);
}

function scrub(message: string, password: string): string {
  return password ? message.split(password).join('***') : message;
}

const SOCKET_CODES =
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)\b/;

function systemCode(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && SOCKET_CODES.test(e.code)) return e.code;
  const inMessage = typeof e.message === 'string' ? SOCKET_CODES.exec(e.message)?.[1] : undefined;
  if (inMessage) return inMessage;
  for (const inner of [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = systemCode(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A driver's connect failure as a message naming server, database and user; never the password. */
export function connectError(error: unknown, target: MssqlTarget, password: string): Error {
  const e = error as { code?: string; message?: string };
  const serverSaid = scrub(e.message ?? String(error), password);
  const where = `SQL Server ${describeTarget(target)}`;
  const who = target.auth === 'ntlm' ? `${target.domain ?? ''}\\${target.user}` : target.user;
  if (e.code === 'ELOGIN') {
    return new SourceLoginError(
      `${where}: login failed for user "${who}" (check the user name, password and that the login may read database "${target.database}"; the server said: ${serverSaid})`,
      { cause: error },
    );
  }
  if (/certificate|self[- ]signed|UNABLE_TO_VERIFY|CERT_/i.test(serverSaid)) {
    return new SourceUnreachableError(
      `${where}: the server's TLS certificate is not trusted (${serverSaid}); install a certificate this machine trusts, or add trustServerCertificate=true to --source if you accept the risk`,
      { cause: error },
    );
  }
  const code = systemCode(error);
  if (e.code === 'ETIMEOUT' || code === 'ETIMEDOUT') {
    return new SourceUnreachableError(
      `cannot reach ${target.host}:${target.port} (timeout): is SQL Server listening there and the port open?`,
      { cause: error },
    );
  }
  if (e.code === 'ESOCKET' || code) {
    return new SourceUnreachableError(
      `cannot reach ${target.host}:${target.port} (${code ?? 'connection failed'}): ${serverSaid}`,
      { cause: error },
    );
  }
  return new Error(`${where}: ${serverSaid}`, { cause: error });
}
