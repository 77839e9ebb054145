import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { isMissingFile, messageOf } from '../../model/error-message';
import { zodIssues } from '../../model/zod-issues';
import { SourceAccessError } from '../errors';
import { unshielded } from './sqlite-fs-shim';

/**
 * The files of a SQLite database as another process leaves them, read without SQLite: the header
 * of the database, its rollback journal and its WAL. sqlite-snapshot.ts decides from these whether
 * a writer is at work and whether the file changed while a statement read it.
 */

export class SourceNotFoundError extends SourceAccessError {
  override readonly name = 'SourceNotFoundError';
}

/** The file cannot be read as it is. */
export class SourceUnreadableError extends SourceAccessError {
  override readonly name: string = 'SourceUnreadableError';
}

/** Not a SQLite database, or a damaged one (SQLite reports it malformed). */
export class SourceCorruptError extends SourceUnreadableError {
  override readonly name = 'SourceCorruptError';
}

/** Another process is writing (or a write was interrupted and never rolled back). */
export class SourceBusyError extends SourceUnreadableError {
  override readonly name = 'SourceBusyError';
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

/** The part of the 100-byte header (sqlite.org/fileformat2.html, 1.3) the guard reads. */
const headerSchema = z.object({
  magic: z.literal(SQLITE_MAGIC),
  pageSize: z
    .number()
    .int()
    .refine((n) => n >= 512 && n <= 65536 && (n & (n - 1)) === 0, 'page size is not a power of two from 512 to 65536'),
  writeVersion: z.number().int().min(1).max(2),
  readVersion: z.number().int().min(1).max(2),
  changeCounter: z.number().int(),
});
export type DatabaseHeader = z.infer<typeof headerSchema> & { walMode: boolean };

function parseHeader(bytes: Buffer, file: string): DatabaseHeader {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new SourceCorruptError(
      `${file} is not a SQLite database (its first bytes are not "SQLite format 3"): pass the SmarterTrack database file, e.g. App_Data/SmarterTrack.db`,
    );
  }
  const raw = bytes.readUInt16BE(16);
  const parsed = headerSchema.safeParse({
    magic: bytes.toString('latin1', 0, 16),
    pageSize: raw === 1 ? 65536 : raw,
    writeVersion: bytes[18],
    readVersion: bytes[19],
    changeCounter: bytes.readUInt32BE(24),
  });
  if (!parsed.success) {
    throw new SourceCorruptError(
      `${file}: the database header is damaged (${zodIssues(parsed.error, 1)}): restore it from a backup`,
    );
  }
  return { ...parsed.data, walMode: parsed.data.writeVersion === 2 || parsed.data.readVersion === 2 };
}

export function readHeader(file: string): DatabaseHeader {
  return parseHeader(readStart(file, HEADER_BYTES), file);
}

/** Who, judging by the files, is writing: nothing, a rollback journal in use, or a WAL holding frames. */
export type Writer = null | { kind: 'journal' | 'wal'; file: string };

/** What changes when a writer commits, rolls back or checkpoints: compared before and after each statement. */
export interface FileState {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  header: string;
}

export interface Observation {
  state: FileState;
  writer: Writer;
  walMode: boolean;
}

export function observe(file: string): Observation {
  const stat = statOf(file);
  // Bytes 0-99 hold the change counter (24) and the mode (18-19): a commit in rollback mode changes them.
  const header = readStart(file, HEADER_BYTES);
  const parsed = parseHeader(header, file);
  return {
    state: {
      size: stat.size,
      mtimeNs: stat.mtimeNs,
      ctimeNs: stat.ctimeNs,
      ino: stat.ino,
      header: header.toString('hex'),
    },
    writer: journalWriter(file) ?? walWriter(file),
    walMode: parsed.walMode,
  };
}

export function sameState(a: FileState, b: FileState): boolean {
  return (
    a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.header === b.header
  );
}

/**
 * A rollback journal is in use when `<db>-journal` exists with a non-zero first byte: SQLite's own
 * test for a hot journal. A live writer's journal and one left by a crashed writer look alike
 * without its locks; either way the database file may hold uncommitted pages. (A committed journal
 * is deleted, truncated to zero, or has its header zeroed, depending on journal_mode.)
 */
function journalWriter(file: string): Writer {
  const journal = `${file}-journal`;
  if (!existsSync(journal)) return null;
  const first = readStart(journal, 1, true);
  return first.length > 0 && first[0] !== 0 ? { kind: 'journal', file: journal } : null;
}

/** A WAL with frames holds changes this reader cannot see (it has no shared memory) or that are being checkpointed. */
function walWriter(file: string): Writer {
  const wal = `${file}-wal`;
  const size = sizeOf(wal);
  return size !== null && size > 0 ? { kind: 'wal', file: wal } : null;
}

function statOf(file: string) {
  try {
    return statSync(file, { bigint: true });
  } catch (error) {
    if (isMissingFile(error)) throw new SourceNotFoundError(`SQLite database not found: ${file}`);
    throw new SourceUnreadableError(`cannot read ${file}: ${messageOf(error)}`);
  }
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/** The first bytes of a file (fewer if it is shorter); `missingIsEmpty` for a journal that vanished meanwhile. */
function readStart(file: string, length: number, missingIsEmpty = false): Buffer {
  let fd: number;
  try {
    fd = unshielded.openSync(file, 'r');
  } catch (error) {
    if (isMissingFile(error) && missingIsEmpty) return Buffer.alloc(0);
    if (isMissingFile(error)) throw new SourceNotFoundError(`SQLite database not found: ${file}`);
    throw new SourceUnreadableError(`cannot read ${file}: ${messageOf(error)}`);
  }
  try {
    const buffer = Buffer.alloc(length);
    const read = unshielded.readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } catch (error) {
    throw new SourceUnreadableError(`cannot read ${file}: ${messageOf(error)}`);
  } finally {
    unshielded.closeSync(fd);
  }
}

export function describeWriter(writer: NonNullable<Writer>): string {
  const name = path.basename(writer.file);
  return writer.kind === 'journal'
    ? `${name} holds a write in progress, or one interrupted and never rolled back`
    : `${name} holds changes not yet checkpointed into the database`;
}
