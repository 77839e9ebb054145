import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { withoutSqliteOnlyValues } from '../fixtures/dataset/fidelity-cases';
import { generateDataset } from '../fixtures/dataset/generate';
import type { DatasetManifest } from '../fixtures/dataset/manifest';
import { type SoapFixture, type SoapFixtureOptions, startSoapFixture } from '../fixtures/soap/server';

/** A small generated dataset served by the SOAP fixture, for the Web Services reader's tests. */
export interface SoapDataset {
  dir: string;
  manifest: DatasetManifest;
  databasePath: string;
  attachmentsRoot: string;
  start(options: Partial<Omit<SoapFixtureOptions, 'databasePath' | 'attachmentsRoot'>>): Promise<SoapFixture>;
  remove(): void;
}

export const FIXTURE_PASSWORD = 'fixture-secret-7Q';

export async function soapDataset(scale = 0.3): Promise<SoapDataset> {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-soap-'));
  const manifest = await generateDataset({ outDir: path.join(dir, 'ds'), seed: 1, scale });
  const databasePath = path.join(dir, 'ds', manifest.database);
  const attachmentsRoot = path.join(dir, 'ds', manifest.attachmentsRoot);
  // XML cannot carry a NUL, nor the Web Services a date that does not exist: the planted ones are left out.
  const db = new Database(databasePath);
  try {
    withoutSqliteOnlyValues(db, manifest.tablePrefix);
  } finally {
    db.close();
  }
  return {
    dir,
    manifest,
    databasePath,
    attachmentsRoot,
    start: (options) =>
      startSoapFixture({
        databasePath,
        attachmentsRoot,
        agentUserName: 'marcus.doyle',
        password: FIXTURE_PASSWORD,
        ...options,
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}
