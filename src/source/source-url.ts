/**
 * The one place that understands --source values:
 *   sqlite:<path>                 a SmarterTrack SQLite database file (supported)
 *   mssql://user@host:port/db     SQL Server (recognized, not supported yet)
 *   https://[user@]site (or http://)  hosted Web Services (SOAP); the user may be given in the URL
 * Secrets never belong in the URL: a password in it is refused.
 */
export type SourceUrl =
  | { kind: 'sqlite'; path: string }
  | { kind: 'mssql'; user: string | null; host: string; port: number; database: string | null }
  | { kind: 'soap'; baseUrl: string; user?: string };

export class SourceUrlError extends Error {
  override readonly name = 'SourceUrlError';
}

export function parseSourceUrl(text: string): SourceUrl {
  const value = text.trim();
  if (!value) throw new SourceUrlError('empty --source; expected sqlite:<path>, mssql://user@host:port/db or https://site');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  // A Windows drive letter ("C:\…") is a path, not a scheme.
  if (!scheme || /^[a-z]:[\\/]/i.test(value)) {
    throw new SourceUrlError(`--source "${value}" has no scheme; expected sqlite:<path>, mssql://user@host:port/db or https://site`);
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
      throw new SourceUrlError(`--source "${value}" is not a valid mssql://user@host:port/db URL`);
    }
    if (url.password) throw new SourceUrlError('do not put the SQL Server password in --source; use SMARTERTRACK_PASSWORD');
    if (!url.hostname) throw new SourceUrlError(`--source "${value}" names no host`);
    return {
      kind: 'mssql',
      user: url.username ? decodeURIComponent(url.username) : null,
      host: url.hostname,
      port: url.port ? Number(url.port) : 1433,
      database: url.pathname.replace(/^\//, '') || null,
    };
  }
  if (scheme === 'https' || scheme === 'http') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SourceUrlError(`--source "${value}" is not a valid URL`);
    }
    if (url.password) throw new SourceUrlError('do not put the SmarterTrack password in --source; use SMARTERTRACK_PASSWORD');
    const baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
    return url.username ? { kind: 'soap', baseUrl, user: decodeURIComponent(url.username) } : { kind: 'soap', baseUrl };
  }
  throw new SourceUrlError(`unknown --source scheme "${scheme}:"; expected sqlite:, mssql:// or https://`);
}

export function describeSourceUrl(source: SourceUrl): string {
  switch (source.kind) {
    case 'sqlite': return `SQLite ${source.path}`;
    case 'mssql': return `SQL Server ${source.user ? `${source.user}@` : ''}${source.host}:${source.port}/${source.database ?? ''}`;
    case 'soap': return `SmarterTrack Web Services at ${source.baseUrl}${source.user ? ` as ${source.user}` : ''}`;
  }
}
