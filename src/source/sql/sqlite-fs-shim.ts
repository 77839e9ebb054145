import fs from 'node:fs';

/**
 * What node-sqlite3-wasm's file layer (its SQLite "VFS", written in JS over `node:fs`) is allowed to
 * do beside a source database. Its locking cannot see other processes' locks (Node has no fcntl or
 * LockFileEx), so the guard in sqlite-snapshot.ts does that job, and this shim keeps the VFS from
 * touching the customer's folder:
 *
 * - its lock is a folder `<db>.lock`: never created (a read-only folder would fail with
 *   "disk I/O error", and SIGKILL would leave it behind); all our connections are read-only, so
 *   they need no lock among themselves;
 * - `<db>-journal`, `<db>-wal` and `<db>-shm` are reported absent and cannot be opened, created or
 *   deleted through the VFS: it would misread them (it took a live writer's journal for nothing and
 *   read uncommitted pages), and the guard refuses to read while one is active;
 * - the database is opened read-only whatever the flags; a WAL-mode file (whose -wal the guard has
 *   found empty) is presented with a rollback-journal header (bytes 18-19 = 1), the bytes SQLite's
 *   WAL-less readers need, so no copy is made.
 *
 * Only the exact paths of open connections are affected; every other call passes straight through.
 * The wrappers are installed on the shared `fs` module once, on first use, and stay (an empty
 * registry makes them pass-throughs).
 */

interface Registered {
  /** Open connections on this path. */
  users: number;
  /** Present a WAL-mode header as rollback-journal mode. */
  walHeader: boolean;
}

/** The functions as they were before the shim: the guard reads the files SQLite is kept from. */
export const unshielded = {
  openSync: fs.openSync,
  readSync: fs.readSync,
  closeSync: fs.closeSync,
} as const;

const registry = new Map<string, Registered>();
/** Descriptors the VFS opened on a registered database whose header is rewritten on read. */
const walFds = new Set<number>();
const SIBLINGS = ['.lock', '-journal', '-wal', '-shm'] as const;
let installed = false;

/** Registers a database path (absolute, as given to the driver); returns the function that releases it. */
export function shieldDatabase(file: string, options: { walHeader: boolean }): () => void {
  install();
  const entry = registry.get(file);
  if (entry) {
    entry.users++;
    entry.walHeader = entry.walHeader || options.walHeader;
  } else {
    registry.set(file, { users: 1, walHeader: options.walHeader });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const current = registry.get(file);
    if (current && --current.users === 0) registry.delete(file);
  };
}

/** The registered database a sibling path belongs to, and which sibling it is. */
function siblingOf(p: unknown): { db: string; suffix: (typeof SIBLINGS)[number] } | null {
  if (typeof p !== 'string' || registry.size === 0) return null;
  for (const suffix of SIBLINGS) {
    if (p.endsWith(suffix)) {
      const db = p.slice(0, -suffix.length);
      if (registry.has(db)) return { db, suffix };
    }
  }
  return null;
}

function noEntry(syscall: string, p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${syscall} '${p}'`), {
    code: 'ENOENT',
    syscall,
    path: p,
    errno: -2,
  });
}

function refused(syscall: string, p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: the source is read-only, ${syscall} '${p}'`), {
    code: 'EACCES',
    syscall,
    path: p,
    errno: -13,
  });
}

type Fn<K extends keyof typeof fs> = (typeof fs)[K];

function install(): void {
  if (installed) return;
  installed = true;
  const original = {
    ...unshielded,
    mkdirSync: fs.mkdirSync,
    rmdirSync: fs.rmdirSync,
    accessSync: fs.accessSync,
    unlinkSync: fs.unlinkSync,
  };
  fs.mkdirSync = function mkdirSync(this: unknown, p: fs.PathLike, ...rest: unknown[]) {
    const sibling = siblingOf(p);
    if (sibling?.suffix === '.lock') return undefined;
    if (sibling) throw refused('mkdir', String(p));
    return (original.mkdirSync as (...a: unknown[]) => string | undefined).call(fs, p, ...rest);
  } as Fn<'mkdirSync'>;
  fs.rmdirSync = function rmdirSync(this: unknown, p: fs.PathLike, ...rest: unknown[]) {
    const sibling = siblingOf(p);
    if (sibling?.suffix === '.lock') return;
    if (sibling) throw refused('rmdir', String(p));
    (original.rmdirSync as (...a: unknown[]) => void).call(fs, p, ...rest);
  } as Fn<'rmdirSync'>;
  fs.accessSync = function accessSync(this: unknown, p: fs.PathLike, mode?: number) {
    if (siblingOf(p)) throw noEntry('access', String(p));
    original.accessSync.call(fs, p, mode);
  } as Fn<'accessSync'>;
  fs.unlinkSync = function unlinkSync(this: unknown, p: fs.PathLike) {
    if (siblingOf(p) || (typeof p === 'string' && registry.has(p))) throw refused('unlink', p as string);
    original.unlinkSync.call(fs, p);
  } as Fn<'unlinkSync'>;
  fs.openSync = function openSync(this: unknown, p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode | null) {
    if (siblingOf(p)) throw noEntry('open', String(p));
    const entry = typeof p === 'string' ? registry.get(p) : undefined;
    if (!entry) return original.openSync.call(fs, p, flags ?? 'r', mode);
    // A registered database is only ever opened for reading, whatever the driver asks for.
    const fd = original.openSync.call(fs, p, fs.constants.O_RDONLY);
    if (entry.walHeader) walFds.add(fd);
    return fd;
  } as Fn<'openSync'>;
  fs.closeSync = function closeSync(this: unknown, fd: number) {
    walFds.delete(fd);
    original.closeSync.call(fs, fd);
  } as Fn<'closeSync'>;
  fs.readSync = function readSync(this: unknown, fd: number, buffer: NodeJS.ArrayBufferView, ...rest: unknown[]) {
    const read = (original.readSync as (...a: unknown[]) => number).call(fs, fd, buffer, ...rest);
    if (walFds.has(fd)) presentRollbackHeader(buffer, rest);
    return read;
  } as Fn<'readSync'>;
}

/** Bytes 18-19 of the file (write and read format versions) read as 1 (rollback journal) instead of 2 (WAL). */
function presentRollbackHeader(buffer: NodeJS.ArrayBufferView, rest: unknown[]): void {
  // The driver calls readSync(fd, buffer, offset, length, position).
  const [offset, length, position] = rest;
  if (
    typeof offset !== 'number' ||
    typeof length !== 'number' ||
    (typeof position !== 'number' && typeof position !== 'bigint')
  )
    return;
  const start = Number(position);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  for (const at of [18, 19]) {
    if (at >= start && at < start + length && bytes[offset + at - start] === 2) bytes[offset + at - start] = 1;
  }
}
