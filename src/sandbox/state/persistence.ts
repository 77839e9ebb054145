import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

import { messageOf } from '../../model/error-message';
import { zodIssues } from '../../model/zod-issues';
import { type SandboxState, sandboxStateSchema } from './types';

/** A state file's content as JSON, not yet validated (the log is replayed over it first). */
export function readStateJson(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a readable sandbox state file (${messageOf(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file}: not a sandbox state (a JSON object)`);
  return parsed as Record<string, unknown>;
}

/** Validates a state read from disk, naming where it came from when it does not fit. */
export function parseState(raw: unknown, source: string): SandboxState {
  const parsed = sandboxStateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`${source}: not a valid sandbox state (${zodIssues(parsed.error, 5)})`);
}

function fsyncPath(target: string, flags: string): void {
  const fd = openSync(target, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a state file atomically and durably: a temp file, synced, renamed over the old one, then
 * the directory synced so the rename itself survives a power cut. A crash at any step leaves either
 * the old file or the new one, whole. Returns the bytes written.
 */
export function saveStateJson(file: string, json: string): number {
  const temp = `${file}.tmp-${process.pid}`;
  const data = Buffer.from(json, 'utf8');
  const fd = openSync(temp, 'w');
  try {
    for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  // Directories cannot be opened for sync on Windows; there the rename is as durable as NTFS makes it.
  if (process.platform !== 'win32') fsyncPath(path.dirname(path.resolve(file)), 'r');
  return data.length;
}

export function saveState(file: string, state: SandboxState): number {
  return saveStateJson(file, JSON.stringify(state));
}
