import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';

import { z } from 'zod';

import { systemClock } from '../model/clock';
import { isMissingFile } from '../model/error-message';
import { LedgerLockedError } from './errors';
import { currentProcess, type HolderVerdict, judgeHolder, type ProcessProbe, systemProbe } from './process-identity';

/**
 * A lock file's content. Run locks (`runs/<id>/lock`) hold the process identity; the workspace's
 * writer lock (`writer.lock`) adds what the holder is doing. `startTime`/`bootId`/`token` are absent
 * in locks written before they existed.
 */
export const LockHolder = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  since: z.string(),
  startTime: z.string().optional(),
  bootId: z.string().optional(),
  /** Random, per acquisition: only the acquirer releases or rewrites it. */
  token: z.string().optional(),
  kind: z.string().optional(),
  rollbackOf: z.string().optional(),
  runId: z.string().optional(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/** Held by one process; release() removes it (only if it is still this acquisition's). */
export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

export interface HeldLock extends RunLock {
  readonly holder: LockHolder;
  /** Rewrites the lock's description (e.g. the run the writer moved on to), atomically. */
  update(patch: Partial<Pick<LockHolder, 'runId' | 'kind' | 'rollbackOf'>>): Promise<void>;
  /** Gives the lock back to the holder it replaced (a refused takeover leaves things as they were). */
  restore(previous: LockHolder): Promise<void>;
}

export interface LockPolicy {
  warn: (message: string) => void;
  /** The user asserts that holders which cannot be checked (another host, no /proc) are gone. */
  takeOver: boolean;
  /** The error for a holder that is not taken over. */
  refuse: (holder: LockHolder, verdict: HolderVerdict) => Error;
  probe?: ProcessProbe;
}

/** What a lock decision does with a holder: take over only what is provably gone, or asserted gone. */
function mayTakeOver(verdict: HolderVerdict, takeOver: boolean): boolean {
  return verdict.state === 'gone' || (verdict.state === 'unverifiable' && takeOver);
}

/**
 * Takes `file` for this process. The lock is created whole (a temp file hard-linked into place, so no
 * reader ever sees it empty); a holder that is provably gone (or, with `takeOver`, cannot be checked)
 * is replaced with a warning; any other holder refuses. The result says whom it replaced.
 */
export async function acquireLock(
  file: string,
  describe: Pick<LockHolder, 'kind' | 'rollbackOf' | 'runId'>,
  policy: LockPolicy,
): Promise<{ lock: HeldLock; replaced?: LockHolder }> {
  const probe = policy.probe ?? systemProbe;
  const mine: LockHolder = {
    ...currentProcess(probe),
    since: systemClock.now().toISOString(),
    token: randomBytes(8).toString('hex'),
    ...describe,
  };
  let replaced: LockHolder | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await createWhole(file, serialize(mine)))
      return { lock: heldLock(file, mine), ...(replaced ? { replaced } : {}) };
    const current = await readLockFile(file);
    if (current === 'missing') continue;
    if (current.holder === undefined) {
      // Locks are created whole, so an unreadable one is damaged (or from an st2ic that wrote it in two steps and crashed).
      policy.warn(`Taking over unreadable lock file ${file}.`);
      await removeIfUnchanged(file, current.text);
      continue;
    }
    const holder = current.holder;
    const verdict = judgeHolder(holder, probe);
    if (!mayTakeOver(verdict, policy.takeOver)) throw policy.refuse(holder, verdict);
    const why = verdict.state === 'gone' ? verdict.reason : `${verdict.reason}; taken over as asked (--take-over)`;
    policy.warn(
      `Taking over stale lock ${file} of pid ${holder.pid} on ${holder.hostname} since ${holder.since}${holder.runId ? ` (run ${holder.runId})` : ''}: ${why}.`,
    );
    await removeIfUnchanged(file, current.text);
    replaced = holder;
  }
  throw new Error(`Could not acquire ${file}: it keeps changing hands`);
}

/** The one writer of a run: `runs/<id>/lock`. */
export async function acquireRunLock(
  file: string,
  warn: (message: string) => void,
  takeOver = false,
  probe?: ProcessProbe,
): Promise<RunLock> {
  const { lock } = await acquireLock(
    file,
    {},
    {
      warn,
      takeOver,
      ...(probe ? { probe } : {}),
      refuse: (holder, verdict) => {
        const fix =
          verdict.state === 'alive'
            ? 'another writer is running this run; wait for it to end or stop it'
            : verdict.reason.includes('another host')
              ? `held from another host; if that process is gone, run the same command with --take-over`
              : `${verdict.reason}; if that process is not st2ic, run the same command with --take-over`;
        return new LedgerLockedError(
          file,
          holder,
          `Run is locked by pid ${holder.pid} on ${holder.hostname} since ${holder.since} (${file}): ${fix}`,
          verdict.state === 'unverifiable',
        );
      },
    },
  );
  return lock;
}

async function readLockFile(file: string): Promise<{ text: string; holder: LockHolder | undefined } | 'missing'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return 'missing';
    throw error;
  }
  try {
    const parsed = LockHolder.safeParse(JSON.parse(text));
    return { text, holder: parsed.success ? parsed.data : undefined };
  } catch {
    return { text, holder: undefined };
  }
}

/** The holder of a lock file and whether it counts as holding it (see mayTakeOver). */
export async function lockHolder(
  file: string,
  takeOver = false,
  probe?: ProcessProbe,
): Promise<(LockHolder & { alive: boolean; verdict: HolderVerdict }) | undefined> {
  const current = await readLockFile(file);
  if (current === 'missing' || current.holder === undefined) return undefined;
  const verdict = judgeHolder(current.holder, probe);
  return { ...current.holder, alive: !mayTakeOver(verdict, takeOver), verdict };
}

function serialize(holder: LockHolder): string {
  return JSON.stringify(holder) + '\n';
}

/** Creates `file` with `text` only if it does not exist, never visible half-written. False if it exists. */
async function createWhole(file: string, text: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fsp.open(temp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsp.link(temp, file);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST') return false;
      // A file system without hard links: exclusive create, then write (a reader may see it empty for an instant).
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    }
    let fallback: fsp.FileHandle;
    try {
      fallback = await fsp.open(file, 'wx', 0o644);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await fallback.writeFile(text);
      await fallback.sync();
    } finally {
      await fallback.close();
    }
    return true;
  } finally {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Removes a stale lock only if it is still the one judged: it is first renamed aside (atomic), then
 * compared; a lock that another process took meanwhile is put back.
 */
async function removeIfUnchanged(file: string, judged: string): Promise<void> {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await fsp.rename(file, aside);
  } catch (error) {
    if (isMissingFile(error)) return;
    throw error;
  }
  try {
    const moved = await fsp.readFile(aside, 'utf8');
    if (moved !== judged) await fsp.link(aside, file).catch(() => undefined);
  } finally {
    await fsp.rm(aside, { force: true });
  }
}

async function replaceContent(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fsp.writeFile(temp, text, { mode: 0o644 });
    await fsp.rename(temp, file);
  } finally {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
  }
}

function heldLock(file: string, initial: LockHolder): HeldLock {
  let holder = initial;
  const isMine = async (): Promise<boolean> => {
    const current = await readLockFile(file);
    return current !== 'missing' && current.holder?.token === holder.token && current.holder?.pid === holder.pid;
  };
  return {
    file,
    get holder() {
      return holder;
    },
    async update(patch) {
      if (!(await isMine())) return;
      holder = { ...holder, ...patch };
      await replaceContent(file, serialize(holder));
    },
    async restore(previous) {
      if (await isMine()) await replaceContent(file, serialize(previous));
    },
    async release() {
      if (await isMine()) await fsp.rm(file, { force: true });
    },
  };
}
