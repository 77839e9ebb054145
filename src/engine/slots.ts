import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Record slots with parking. A record holds one of `limit` active slots while it works; while it
 * only waits (for Intercom's search to settle on a write whose outcome is unknown, or for another
 * record's shared write), it parks: its slot goes to the next record, and it takes one back when
 * the wait is over. So an unknown outcome costs its lookups, not a slot for the settle time, and the
 * run stays near the rate limit through server errors. In-flight records (active plus parked) stay
 * bounded, so memory does not grow with the source.
 */
export class Slots {
  private active = 0;
  private parkedCount = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    readonly limit: number,
    private readonly onParked: (parked: number) => void = () => undefined,
  ) {}

  get parked(): number {
    return this.parkedCount;
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else if (--this.active === 0) for (const idle of this.idleWaiters.splice(0)) idle();
  }

  /** Resolves once no record holds a slot: every one still in flight is parked. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Releases the slot for the duration of `wait`, then takes one back (waiting its turn). */
  async park<T>(wait: Promise<T>): Promise<T> {
    this.parkedCount++;
    this.onParked(this.parkedCount);
    this.release();
    try {
      return await wait;
    } finally {
      this.parkedCount--;
      this.onParked(this.parkedCount);
      await this.acquire();
    }
  }
}

const current = new AsyncLocalStorage<Slots>();

/** Runs `task` as a record that holds a slot of `slots` (released when it settles). */
export async function inSlot<T>(slots: Slots, task: () => Promise<T>): Promise<T> {
  return current.run(slots, async () => {
    try {
      return await task();
    } finally {
      slots.release();
    }
  });
}

const PENDING = Symbol('pending');

/**
 * Waits without holding a record slot, when called from a record and `wait` is not settled yet;
 * a plain wait otherwise (a settled promise costs no slot round trip).
 */
export async function parkDuring<T>(wait: Promise<T>): Promise<T> {
  const slots = current.getStore();
  if (!slots) return wait;
  const first = await Promise.race([wait, Promise.resolve(PENDING)]);
  return first === PENDING ? slots.park(wait) : (first as T);
}
