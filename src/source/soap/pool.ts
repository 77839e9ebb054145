/** Runs fn over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Yields fn(item) in input order while up to `ahead` later items are already being fetched: the
 * network round trips of the next tickets overlap with the caller's work on this one.
 */
export async function* orderedAhead<T, R>(
  items: readonly T[],
  ahead: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  let i = 0;
  const fill = () => {
    while (i < items.length && inFlight.length < Math.max(1, ahead)) inFlight.push(fn(items[i++]!));
  };
  fill();
  while (inFlight.length) {
    const head = inFlight.shift()!;
    // Keep rejections of queued work from surfacing as unhandled while we wait on the head.
    for (const p of inFlight) p.catch(() => undefined);
    const value = await head;
    fill();
    yield value;
  }
}
