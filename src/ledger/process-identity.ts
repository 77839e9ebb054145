import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Who holds a lock, told apart from a later process that got the same pid: a pid is reused (after a
 * container restart the first processes get the same small pids again), its start time and the
 * machine's boot are not. Linux gives both under /proc; elsewhere only the pid can be checked.
 */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /** /proc/<pid>/stat field 22: clock ticks after boot when the process started. */
  startTime?: string;
  /** /proc/sys/kernel/random/boot_id: changes on every boot. */
  bootId?: string;
}

/** What a lock decision reads about processes; tests replace it to play a system without /proc. */
export interface ProcessProbe {
  hostname(): string;
  bootId(): string | undefined;
  /** The process's start time; `gone` when it no longer exists; undefined when this system cannot say. */
  startTime(pid: number): string | 'gone' | undefined;
  /** kill(pid, 0): true when a process with this pid exists (EPERM included). */
  exists(pid: number): boolean;
}

export const systemProbe: ProcessProbe = {
  hostname: () => os.hostname(),
  bootId() {
    try {
      return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  },
  startTime(pid) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code;
      // No such entry while /proc itself is there: the process is gone. No /proc at all: cannot say.
      if (code === 'ENOENT' || code === 'ESRCH') return procAvailable() ? 'gone' : undefined;
      return undefined;
    }
    // Field 2 (the command) is in parentheses and may hold spaces or ')'; count from after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const start = fields[22 - 3];
    return start && /^\d+$/.test(start) ? start : undefined;
  },
  exists(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but belongs to someone else.
      return (error as { code?: string }).code === 'EPERM';
    }
  },
};

let procChecked: boolean | undefined;
function procAvailable(): boolean {
  if (procChecked === undefined) {
    try {
      readFileSync('/proc/self/stat', 'utf8');
      procChecked = true;
    } catch {
      procChecked = false;
    }
  }
  return procChecked;
}

export function currentProcess(probe: ProcessProbe = systemProbe): ProcessIdentity {
  const startTime = probe.startTime(process.pid);
  const bootId = probe.bootId();
  return {
    pid: process.pid,
    hostname: probe.hostname(),
    ...(startTime && startTime !== 'gone' ? { startTime } : {}),
    ...(bootId ? { bootId } : {}),
  };
}

/**
 * Whether the process that wrote a lock still runs. `gone` only with proof: same host and the pid
 * is not running, or runs with another start time (a reused pid), or the machine booted since.
 * `alive` when the same process provably runs. `unverifiable` otherwise: another host, or a live pid
 * whose start time cannot be compared (no /proc, or a lock written without one).
 */
export type HolderVerdict = { state: 'alive' | 'gone' | 'unverifiable'; reason: string };

export function judgeHolder(holder: ProcessIdentity, probe: ProcessProbe = systemProbe): HolderVerdict {
  const me = currentProcess(probe);
  if (holder.hostname !== me.hostname) {
    return {
      state: 'unverifiable',
      reason: `it was taken on another host (${holder.hostname}, this one is ${me.hostname}), whose processes cannot be checked from here`,
    };
  }
  if (holder.bootId && me.bootId && holder.bootId !== me.bootId) {
    return { state: 'gone', reason: 'this machine has restarted since (its boot id changed)' };
  }
  if (!probe.exists(holder.pid)) return { state: 'gone', reason: `pid ${holder.pid} is no longer running` };
  const current = probe.startTime(holder.pid);
  if (current === 'gone') return { state: 'gone', reason: `pid ${holder.pid} is no longer running` };
  if (current === undefined) {
    return {
      state: 'unverifiable',
      reason: `pid ${holder.pid} is running, and this system cannot tell whether it is still the process that took the lock (no /proc to compare start times)`,
    };
  }
  if (holder.startTime === undefined) {
    if (holder.pid === process.pid)
      return { state: 'gone', reason: `pid ${holder.pid} is this process, which did not take the lock (a reused pid)` };
    return {
      state: 'unverifiable',
      reason: `pid ${holder.pid} is running, and the lock (written by an older st2ic) has no start time to compare`,
    };
  }
  if (current !== holder.startTime) {
    return {
      state: 'gone',
      reason: `pid ${holder.pid} now belongs to another process (started at tick ${current}, the lock's holder at tick ${holder.startTime}: a reused pid)`,
    };
  }
  return {
    state: 'alive',
    reason: holder.pid === process.pid ? `pid ${holder.pid} is this process` : `pid ${holder.pid} is running`,
  };
}
