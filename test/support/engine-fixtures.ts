import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

import { proposeMap } from '../../src/engine/propose-map';
import { type MigrationKind, type MigrationResult, runMigration } from '../../src/engine/run-migration';
import { IntercomClient } from '../../src/intercom';
import { readMappingFile, writeMappingFile } from '../../src/mapping/mapping-file';
import { confirmMap } from '../../src/mapping/review';
import type { MappingFile } from '../../src/model/mapping';
import { DEFAULT_SEARCH_LAG_MS, type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox';
import { openSource } from '../../src/source/open-source';
import type { SourceReader } from '../../src/source/reader';
import { ATTACHMENTS_ROOT, DATABASE_FILE, generateDataset } from '../fixtures/dataset/generate';
import type { DatasetManifest } from '../fixtures/dataset/manifest';
import { seedForSource } from '../fixtures/dataset/sandbox-seed';

/** Shared set-up of the engine acceptance tests: a generated dataset, a seeded sandbox, an approved map. */

/**
 * The search wait for tests whose writes can end unknown. A lookup that finds no witness (no later
 * create shows in search yet) decides by this wait alone, so it must outlast the sandbox's search lag,
 * as `--search-settle` must outlast Intercom's: shorter, and an applied create looks "not applied".
 */
export const SEARCH_SETTLE_MS = DEFAULT_SEARCH_LAG_MS + 1_000;

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface Dataset {
  dir: string;
  dbPath: string;
  attachmentsRoot: string;
  manifest: DatasetManifest;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `st2ic-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function makeDataset(dir: string, scale: number, seed = 1): Promise<Dataset> {
  const manifest = await generateDataset({ outDir: dir, scale, seed });
  return { dir, dbPath: path.join(dir, DATABASE_FILE), attachmentsRoot: path.join(dir, ATTACHMENTS_ROOT), manifest };
}

export function openDataset(ds: Dataset): Promise<SourceReader> {
  return openSource({ kind: 'sqlite', path: ds.dbPath }, { attachmentsRoot: ds.attachmentsRoot });
}

/** A sandbox seeded like a prepared workspace: an admin per agent (but the unmatched one), a team per department. */
export async function startSeededSandbox(ds: Dataset, options: SandboxOptions = {}): Promise<RunningSandbox> {
  const reader = await openDataset(ds);
  try {
    const seed = await seedForSource(reader, new Set([ds.manifest.hardCases.unmatchedAgentId]));
    const seedFile = path.join(ds.dir, `sandbox-seed-${process.pid}-${Math.random().toString(16).slice(2)}.json`);
    writeFileSync(seedFile, JSON.stringify(seed));
    // The sandbox's default search and archive lags stay on: every engine test meets them, as a run meets Intercom's.
    return await startSandbox({ rateLimitPer10s: 100_000, ...options, seedFile });
  } finally {
    await reader.close();
  }
}

/** A test file's dataset and seeded sandbox: made before its tests, closed and removed after them. */
export function seededWorld(
  prefix: string,
  scale = 0.1,
  seed = 4,
): { dir: string; ds: Dataset; sandbox: RunningSandbox } {
  const world = {} as { dir: string; ds: Dataset; sandbox: RunningSandbox };
  before(async () => {
    world.dir = tempDir(prefix);
    world.ds = await makeDataset(world.dir, scale, seed);
    world.sandbox = await startSeededSandbox(world.ds);
  });
  after(async () => {
    await world.sandbox?.close();
    if (world.dir) removeDir(world.dir);
  });
  return world;
}

/** Writes the proposed map into `<workspace>/migration/mapping.json`, confirmed at `level`. */
export async function writeMap(
  workspace: string,
  ds: Dataset,
  level: 'draft' | 'reviewed' | 'approved',
  edit?: (map: MappingFile) => MappingFile,
): Promise<MappingFile> {
  const reader = await openDataset(ds);
  try {
    let map = await proposeMap(reader);
    if (edit) map = edit(map);
    if (level !== 'draft') map = confirmMap(map, level, 'Test Reviewer');
    await writeMappingFile(workspace, map);
    return map;
  } finally {
    await reader.close();
  }
}

export function clientFor(sandbox: RunningSandbox): IntercomClient {
  return new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, rateLimiter: { concurrency: 16 } });
}

/** One migration run straight through the engine (no CLI). */
export async function migrate(
  workspace: string,
  ds: Dataset,
  sandbox: RunningSandbox,
  kind: MigrationKind = 'full',
): Promise<MigrationResult> {
  const reader = await openDataset(ds);
  try {
    return await runMigration({
      workspaceDir: workspace,
      kind,
      reader,
      client: clientFor(sandbox),
      options: { concurrency: 8 },
    });
  } finally {
    await reader.close();
  }
}

/** A workspace after one run: dataset, seeded sandbox, confirmed map, and the run's result. */
export interface RanWorkspace {
  dir: string;
  ds: Dataset;
  sandbox: RunningSandbox;
  map: MappingFile;
  result: MigrationResult;
  close(): Promise<void>;
}

export async function ranWorkspace(
  prefix: string,
  run: {
    scale: number;
    seed: number;
    kind: 'sample' | 'full';
    sampleSize?: number;
    prepare?: (ds: Dataset) => Promise<void>;
    edit?: (map: MappingFile) => MappingFile;
  },
): Promise<RanWorkspace> {
  const dir = tempDir(prefix);
  const ds = await makeDataset(dir, run.scale, run.seed);
  await run.prepare?.(ds);
  const sandbox = await startSeededSandbox(ds);
  const map = await writeMap(dir, ds, run.kind === 'sample' ? 'reviewed' : 'approved', run.edit);
  const reader = await openDataset(ds);
  try {
    const options = { concurrency: 8, ...(run.sampleSize ? { sampleSize: run.sampleSize } : {}) };
    const result = await runMigration({
      workspaceDir: dir,
      kind: run.kind,
      reader,
      client: clientFor(sandbox),
      options,
    });
    return {
      dir,
      ds,
      sandbox,
      map,
      result,
      close: async () => {
        await sandbox.close();
        removeDir(dir);
      },
    };
  } finally {
    await reader.close();
  }
}

export async function readMap(workspace: string): Promise<MappingFile> {
  return readMappingFile(workspace);
}

// ── the journal of a run, read as the files on disk ──────────────────────────────────────────────

export interface JournalLine {
  type: string;
  seq: number;
  [key: string]: unknown;
}

export function runIds(workspace: string): string[] {
  try {
    return readdirSync(path.join(workspace, 'migration', 'runs')).sort();
  } catch {
    return [];
  }
}

export function journalOf(workspace: string, runId: string): JournalLine[] {
  const text = readFileSync(path.join(workspace, 'migration', 'runs', runId, 'journal.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JournalLine);
}

/** The run's final state per source record (`objectType:sourceId` → the latest `record` entry's result). */
export function recordResults<R = unknown>(workspace: string, runId: string): Map<string, R> {
  const results = new Map<string, R>();
  for (const e of journalOf(workspace, runId))
    if (e.type === 'record') results.set(`${String(e.objectType)}:${String(e.sourceId)}`, e.result as R);
  return results;
}

// ── the CLI as a child process ────────────────────────────────────────────────────────────────────

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cliArgs(
  verb: string,
  ds: Dataset,
  workspace: string,
  sandbox: RunningSandbox,
  extra: string[] = [],
): string[] {
  return [
    verb,
    '--source',
    `sqlite:${ds.dbPath}`,
    '--attachments',
    ds.attachmentsRoot,
    '--workspace',
    workspace,
    '--intercom-url',
    sandbox.url,
    ...extra,
  ];
}

export function spawnCli(args: string[], token: string): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, INTERCOM_TOKEN: token, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], token: string): Promise<CliResult> {
  return finished(spawnCli(args, token));
}
