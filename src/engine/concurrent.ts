import { RunStoppedError } from './errors';
import { inSlot, Slots } from './slots';

/** Records in flight at most, as a multiple of the active slots (parked ones included). */
const MAX_IN_FLIGHT_FACTOR = 8;

/**
 * Runs `task` over a stream with at most `limit` records working at once, reading the stream only
 * as fast as tasks finish (constant memory). A record that only waits parks (slots.ts) and lets the
 * next one start, up to `limit` × 8 in flight. The first error that stops the run rejects; record-level
 * errors must be handled inside `task`. `onParked` hears how many records are parked.
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T>,
  limit: number,
  signal: AbortSignal,
  task: (item: T) => Promise<void>,
  onParked?: (parked: number) => void,
): Promise<void> {
  const slots = new Slots(Math.max(1, limit), onParked);
  const maxInFlight = slots.limit * MAX_IN_FLIGHT_FACTOR;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for await (const item of items) {
    if (failure !== undefined) break;
    if (signal.aborted) {
      failure = new RunStoppedError('the run was cancelled');
      break;
    }
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    await slots.acquire();
    if (failure !== undefined) {
      slots.release();
      break;
    }
    const running: Promise<void> = inSlot(slots, () => task(item))
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
}

/** forEachConcurrent at the run's concurrency, telling the run's progress how many records are parked. */
export function forEachRecord<T>(
  ctx: { options: { concurrency: number }; signal: AbortSignal; progress: { waiting?(count: number): void } },
  items: AsyncIterable<T>,
  task: (item: T) => Promise<void>,
): Promise<void> {
  return forEachConcurrent(items, ctx.options.concurrency, ctx.signal, task, (n) => ctx.progress.waiting?.(n));
}
