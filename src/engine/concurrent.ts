import { RunStoppedError } from './errors';
import { inSlot, Slots } from './slots';

/** Records in flight at most, as a multiple of the active slots (parked ones included). */
const MAX_IN_FLIGHT_FACTOR = 8;

/**
 * Runs `task` over a stream with at most `limit` records working at once, reading the stream only
 * as fast as tasks finish (constant memory). A record that only waits parks (slots.ts) and lets the
 * next one start, up to `limit` × 8 in flight. The first error that stops the run rejects; record-level
 * errors must be handled inside `task`. `onParked` hears how many records are parked. With
 * `carryOver`, the loop returns as soon as the stream is read and every record still in flight is
 * parked, handing those to `carryOver` (settling once they finish, rejecting as the loop would):
 * a phase's last unknown outcomes then wait beside the next phase instead of in front of it.
 * With `shared` slots as well (phases whose records do not depend on each other), the loop returns
 * as soon as the stream is read: the records still working finish beside the next phase, which takes
 * each slot they free, so a phase's tail of long threads never leaves slots idle.
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T>,
  limit: number,
  signal: AbortSignal,
  task: (item: T) => Promise<void>,
  onParked?: (parked: number) => void,
  carryOver?: (rest: Promise<void>) => void,
  shared?: Slots,
): Promise<void> {
  const slots = shared ?? new Slots(Math.max(1, limit), onParked);
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
  if (carryOver && shared && failure === undefined) {
    if (inFlight.size > 0)
      carryOver(
        Promise.all(inFlight).then(() => {
          if (failure !== undefined) throw failure;
        }),
      );
    return;
  }
  if (carryOver && failure === undefined) {
    await slots.idle();
    // Records that released their slot without parking are only finishing: waited for here.
    if (slots.parked > 0 && failure === undefined) {
      carryOver(
        Promise.all(inFlight).then(() => {
          if (failure !== undefined) throw failure;
        }),
      );
      return;
    }
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
}

/** Records of earlier phases still waiting for Intercom to confirm a write, settled before the run ends. */
export class CarriedOver {
  private readonly pending: Promise<void>[] = [];
  private failure: unknown;

  add(rest: Promise<void>): void {
    // Caught at once: a rejection must not go unhandled while later phases run; settle() rethrows it.
    this.pending.push(rest.catch((error: unknown) => void (this.failure ??= error)));
  }

  /** Waits for every carried record; rethrows the first error that stops the run. */
  async settle(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
    if (this.failure !== undefined) throw this.failure;
  }
}

/**
 * Parked records across loops that run at once (a phase's carried tail beside the next phase), so
 * the progress line counts all of them, not only the current phase's.
 */
export class ParkedTally {
  private readonly byLoop = new Map<number, number>();
  private loops = 0;

  constructor(private readonly report: (total: number) => void) {}

  /** The onParked callback of one more loop. */
  reporter(): (parked: number) => void {
    const loop = this.loops++;
    return (parked) => {
      if (parked === 0) this.byLoop.delete(loop);
      else this.byLoop.set(loop, parked);
      let total = 0;
      for (const n of this.byLoop.values()) total += n;
      this.report(total);
    };
  }
}

/**
 * forEachConcurrent at the run's concurrency, telling the run's progress how many records are parked.
 * `overlap`: the next phase does not depend on this one's records (tickets, chats and call logs are
 * independent conversations), so its unfinished records are carried over instead of holding it up:
 * with the run's `overlapSlots`, every one of them, sharing the slots with the next phase; without,
 * the parked ones.
 */
export function forEachRecord<T>(
  ctx: {
    options: { concurrency: number };
    signal: AbortSignal;
    progress: { waiting?(count: number): void };
    carriedOver?: CarriedOver;
    parked?: ParkedTally;
    overlapSlots?: Slots;
  },
  items: AsyncIterable<T>,
  task: (item: T) => Promise<void>,
  options: { overlap?: boolean } = {},
): Promise<void> {
  const carry = options.overlap && ctx.carriedOver ? (rest: Promise<void>) => ctx.carriedOver!.add(rest) : undefined;
  const shared = carry ? ctx.overlapSlots : undefined;
  const onParked = shared ? undefined : (ctx.parked?.reporter() ?? ((n: number) => ctx.progress.waiting?.(n)));
  return forEachConcurrent(items, ctx.options.concurrency, ctx.signal, task, onParked, carry, shared);
}
