import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { openSource, type OpenSourceOptions } from '../../src/source/open-source';
import type { SourceReader } from '../../src/source/reader';
import { parseSourceUrl } from '../../src/source/source-url';
import { withoutSqliteOnlyValues } from '../fixtures/dataset/fidelity-cases';
import { generateDataset } from '../fixtures/dataset/generate';
import type { DatasetManifest } from '../fixtures/dataset/manifest';
import { startTdsFixture, type TdsFixture, type TdsFixtureOptions } from '../fixtures/tds/server';

/** A generated dataset served twice: as its SQLite file and through the TDS fixture to mssql. */
export interface ServedDataset {
  dir: string;
  manifest: DatasetManifest;
  database: string;
  attachmentsRoot: string;
  fixture: TdsFixture;
  /** mssql://reader@127.0.0.1:<port>/SmarterTrack?encrypt=… */
  url: string;
  openMssql(options?: OpenSourceOptions): Promise<SourceReader>;
  openSqlite(options?: OpenSourceOptions): Promise<SourceReader>;
  dispose(): Promise<void>;
}

export const USER = 'st_reader';
export const PASSWORD = 'Rd-0nly!pass';

export async function serveDataset(
  generate: { seed?: number; scale: number; tablePrefix?: string },
  fixtureOptions: Partial<TdsFixtureOptions> = {},
): Promise<ServedDataset> {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-mssql-'));
  const manifest = await generateDataset({
    outDir: dir,
    seed: generate.seed ?? 1,
    scale: generate.scale,
    ...(generate.tablePrefix ? { tablePrefix: generate.tablePrefix } : {}),
  });
  const database = path.join(dir, manifest.database);
  const attachmentsRoot = path.join(dir, manifest.attachmentsRoot);
  // SQL Server cannot hold a date that does not exist: the planted one is left out here.
  const db = new Database(database);
  try {
    withoutSqliteOnlyValues(db, manifest.tablePrefix);
  } finally {
    db.close();
  }
  const fixture = await startTdsFixture({ database, user: USER, password: PASSWORD, port: 0, ...fixtureOptions });
  const url = `mssql://${USER}@127.0.0.1:${fixture.port}/SmarterTrack?encrypt=true&trustServerCertificate=false`;
  return {
    dir,
    manifest,
    database,
    attachmentsRoot,
    fixture,
    url,
    openMssql: (options = {}) => openSource(parseSourceUrl(url), { attachmentsRoot, password: PASSWORD, ...options }),
    openSqlite: (options = {}) => openSource({ kind: 'sqlite', path: database }, { attachmentsRoot, ...options }),
    async dispose() {
      await fixture.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
