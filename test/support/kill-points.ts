/** Seeded kill points shared by the kill -9 suites, so a failing sequence replays from its seed. */

/** A small linear congruential generator: the same seed gives the same sequence. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * `count` distinct kill points spread over the first 85 % of an uninterrupted run's writes, as gaps
 * from one to the next (a resumed attempt skips the writes already done).
 */
export function killGaps(random: () => number, count: number, writes: number): number[] {
  const pool = Array.from({ length: Math.max(count, Math.floor(writes * 0.85)) }, (_, i) => i + 1);
  const points = Array.from({ length: count }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!).sort(
    (a, b) => a - b,
  );
  return points.map((p, i) => Math.max(1, p - (points[i - 1] ?? 0)));
}
