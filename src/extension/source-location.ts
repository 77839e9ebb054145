import path from 'node:path';

import type { SourceConfig } from '../model/migration-config';

// Where the reader finds the source, from config.json (pure, so it is unit-tested).

const resolve = (base: string, file: string) => (path.isAbsolute(file) ? file : path.join(base, file));

/** The --source value the CLI would take for this configuration (no secret in it). */
export function sourceUrlOf(source: SourceConfig, base: string): string {
  switch (source.kind) {
    case 'sqlite':
      return `sqlite:${resolve(base, source.file)}`;
    case 'sqlserver':
      return `mssql://${encodeURIComponent(source.user)}@${source.server}:${source.port}/${encodeURIComponent(source.database)}?encrypt=${source.encrypt}&trustServerCertificate=${source.trustServerCertificate}`;
    case 'soap':
      return source.url;
  }
}

export function attachmentsRootOf(source: SourceConfig | undefined, base: string): string | null {
  return source?.kind === 'sqlite' && source.attachments ? resolve(base, source.attachments) : null;
}
