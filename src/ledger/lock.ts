import { systemClock } from '../model/clock';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { LedgerLockedError } from './errors';

const LockInfo = z.object({ pid: z.number().int(), hostname: z.string(), since: z.string() });
type LockInfo = z.infer<typeof LockInfo>;

/** Held by the one writer of a run; release() removes it. */
export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * One writer per run: an O_EXCL lock file holding pid and hostname. A lock left by a dead process on
 * this host is taken over (with a warning); a live holder, or a holder on another host whose
 * liveness cannot be checked, refuses. (A recycled pid can make a stale lock look live; the message
 * names the file so a person can remove it.)
 */
export async function acquireRunLock(file: string, warn: (message: string) => void): Promise<RunLock> {
  const mine: LockInfo = { pid: process.pid, hostname: os.hostname(), since: systemClock.now().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const handle = await fsp.open(file, 'wx', 0o644);
      try {
        await handle.writeFile(JSON.stringify(mine) + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { file, release: () => releaseIfMine(file, mine) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const holder = await readLock(file);
    if (holder === 'missing') continue;
    if (holder === 'unreadable') {
      // A crash between create and write leaves an empty file: nobody can be holding it meaningfully.
      warn(`Taking over unreadable lock file ${file}.`);
      await fsp.rm(file, { force: true });
      continue;
    }
    if (holder.hostname !== mine.hostname) {
      throw new LedgerLockedError(file, holder, 'held from another host; remove the lock file if that process is gone');
    }
    if (holder.pid === process.pid || isAlive(holder.pid)) {
      throw new LedgerLockedError(file, holder, 'another writer is running this run');
    }
    warn(`Taking over stale lock ${file} left by pid ${holder.pid} (no longer running) since ${holder.since}.`);
    await fsp.rm(file, { force: true });
  }
  throw new Error(`Could not acquire ${file}: it keeps changing hands`);
}

async function readLock(file: string): Promise<LockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = LockInfo.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export async function lockHolder(file: string): Promise<(LockInfo & { alive: boolean }) | undefined> {
  const holder = await readLock(file);
  if (holder === 'missing' || holder === 'unreadable') return undefined;
  const alive = holder.hostname !== os.hostname() || isAlive(holder.pid);
  return { ...holder, alive };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}

async function releaseIfMine(file: string, mine: LockInfo): Promise<void> {
  const holder = await readLock(file);
  if (holder !== 'missing' && holder !== 'unreadable' && holder.pid === mine.pid && holder.since === mine.since) {
    await fsp.rm(file, { force: true });
  }
}
