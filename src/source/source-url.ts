import { SourceAccessError } from './errors';

/**
 * The one place that understands --source values:
 *   sqlite:<path>                 a SmarterTrack SQLite database file (supported)
 *   mssql://user@host:port/db     SQL Server; options after ?: encrypt (default true),
 *                                 trustServerCertificate (default false), auth=sql|ntlm, domain
 *                                 (implies ntlm). The password comes from an option or
 *                                 SMARTERTRACK_PASSWORD, never from the URL.
 *   https://[user@]site (or http://)  hosted Web Services (SOAP); the password comes from an option
 *                                 or SMARTERTRACK_PASSWORD, never from the URL.
 * Secrets never belong in the URL: a password in it is refused.
 */
export type SourceUrl =
  { kind: 'sqlite'; path: string } | MssqlSourceUrl | { kind: 'soap'; baseUrl: string; user?: string };

export interface MssqlSourceUrl {
  kind: 'mssql';
  user: string | null;
  host: string;
  port: number;
  database: string | null;
  encrypt: boolean;
  trustServerCertificate: boolean;
  auth: 'sql' | 'ntlm';
  /** Windows domain for NTLM. */
  domain: string | null;
}

export class SourceUrlError extends SourceAccessError {
  override readonly name = 'SourceUrlError';
}

export function parseSourceUrl(text: string): SourceUrl {
  const value = text.trim();
  if (!value)
    throw new SourceUrlError('empty --source; expected sqlite:<path>, mssql://user@host:port/db or https://site');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  // A Windows drive letter ("C:\…") is a path, not a scheme.
  if (!scheme || /^[a-z]:[\\/]/i.test(value)) {
    throw new SourceUrlError(
      `--source "${value}" has no scheme; expected sqlite:<path>, mssql://user@host:port/db or https://site`,
    );
  }
  if (scheme === 'sqlite') {
    const rest = value.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? decodeURIComponent(rest.slice(2)) : rest;
    if (!path) throw new SourceUrlError('sqlite: needs a file path, e.g. sqlite:./smartertrack.db');
    return { kind: 'sqlite', path };
  }
  if (scheme === 'mssql' || scheme === 'sqlserver') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SourceUrlError('--source is not a valid mssql://user@host:port/db URL');
    }
    if (url.password || url.searchParams.has('password'))
      throw new SourceUrlError('do not put the SQL Server password in --source; use SMARTERTRACK_PASSWORD');
    if (!url.hostname) throw new SourceUrlError(`--source "${describeUrl(url)}" names no host`);
    return {
      kind: 'mssql',
      user: url.username ? decodeURIComponent(url.username) : null,
      host: url.hostname,
      port: url.port ? Number(url.port) : 1433,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || null,
      ...mssqlOptions(url.searchParams),
    };
  }
  if (scheme === 'https' || scheme === 'http') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SourceUrlError(`--source "${value}" is not a valid URL`);
    }
    if (url.password)
      throw new SourceUrlError('do not put the SmarterTrack password in --source; use SMARTERTRACK_PASSWORD');
    const baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
    return url.username ? { kind: 'soap', baseUrl, user: decodeURIComponent(url.username) } : { kind: 'soap', baseUrl };
  }
  throw new SourceUrlError(`unknown --source scheme "${scheme}:"; expected sqlite:, mssql:// or https://`);
}

const MSSQL_OPTIONS = ['encrypt', 'trustServerCertificate', 'auth', 'domain'];

function mssqlOptions(
  params: URLSearchParams,
): Pick<MssqlSourceUrl, 'encrypt' | 'trustServerCertificate' | 'auth' | 'domain'> {
  for (const key of params.keys()) {
    if (!MSSQL_OPTIONS.includes(key))
      throw new SourceUrlError(`unknown mssql:// option "${key}"; known: ${MSSQL_OPTIONS.join(', ')}`);
  }
  const flag = (key: string, fallback: boolean): boolean => {
    const v = params.get(key);
    if (v === null || v === '') return fallback;
    if (/^(true|yes|1)$/i.test(v)) return true;
    if (/^(false|no|0)$/i.test(v)) return false;
    throw new SourceUrlError(`mssql:// option ${key}=${v}: expected true or false`);
  };
  const domain = params.get('domain') || null;
  const auth = (params.get('auth') || (domain ? 'ntlm' : 'sql')).toLowerCase();
  if (auth !== 'sql' && auth !== 'ntlm') throw new SourceUrlError(`mssql:// option auth=${auth}: expected sql or ntlm`);
  if (auth === 'ntlm' && !domain) throw new SourceUrlError('mssql:// auth=ntlm needs domain=<Windows domain>');
  return {
    encrypt: flag('encrypt', true),
    trustServerCertificate: flag('trustServerCertificate', false),
    auth,
    domain,
  };
}

/** A URL for messages: no credentials, no query. */
function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function describeSourceUrl(source: SourceUrl): string {
  switch (source.kind) {
    case 'sqlite':
      return `SQLite ${source.path}`;
    case 'mssql':
      return `SQL Server ${source.user ? `${source.user}@` : ''}${source.host}:${source.port}/${source.database ?? ''}`;
    case 'soap':
      return `SmarterTrack Web Services at ${source.baseUrl}${source.user ? ` as ${source.user}` : ''}`;
  }
}
