import type { IntercomClient } from '../intercom';
import { NotFoundError } from '../intercom';
import type { Clock } from '../model/clock';

/**
 * Intercom answers a company DELETE with `deleted: true` as soon as it accepts it and archives the
 * company later ("archival is processed asynchronously", 2.16). Until then the company still reads,
 * lists and holds its contacts, and a migration that upserts it again could see it archived under
 * it. So a rollback waits until each company it archived reads as 404, and names those that do not.
 */
export interface ArchiveWait {
  clock: Clock;
  /** The longest the whole wait lasts. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

/** Rolling back a large run should not wait forever on a slow queue: five minutes, then a warning. */
export const ARCHIVE_WAIT_MS = 300_000;
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 15_000;

/** Reads each company until Intercom reports it gone; returns the ids still readable when time ran out. */
export async function awaitArchives(
  client: IntercomClient,
  companyIds: Iterable<string>,
  wait: ArchiveWait,
): Promise<string[]> {
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = wait.clock.now().getTime() + wait.timeoutMs;
  let pending = [...new Set(companyIds)];
  let pause = FIRST_PAUSE_MS;
  while (pending.length > 0 && !wait.signal?.aborted) {
    const still: string[] = [];
    for (const id of pending) {
      if (!(await isGone(client, id))) still.push(id);
    }
    pending = still;
    const left = deadline - wait.clock.now().getTime();
    if (pending.length === 0 || left <= 0) break;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
  return pending;
}

async function isGone(client: IntercomClient, id: string): Promise<boolean> {
  try {
    await client.companies.get(id);
    return false;
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}
