// Benchmark (not a test): how close the Intercom client's pacing gets to the rate limit.
// Starts the sandbox at 100 requests per 10 s, creates 2,000 contacts through the client with its
// default concurrency, and prints the achieved rate against the allowed one and the 429s seen
// after the first window (the goal: none, and ≥ 95 % of the allowed rate). Takes about 200 s.
//   npx tsx scripts/bench-client.ts [--creates N] [--limit N]
import { IntercomClient } from '../src/intercom';
import { startSandbox } from '../src/sandbox';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function main(): Promise<void> {
  const creates = arg('creates', 2_000);
  const limit = arg('limit', 100);
  const sandbox = await startSandbox({ port: 0, rateLimitPer10s: limit, token: 'bench-token' });
  const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url });
  const started = Date.now();
  let done = 0;
  const progress = setInterval(() => {
    const s = client.stats();
    process.stdout.write(
      `  ${done}/${creates} created, ${s.sentInLastWindow} sent in the last 10 s, 429s so far ${s.throttled}\n`,
    );
  }, 10_000);
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < creates) {
        const i = next++;
        await client.contacts.create({ role: 'user', external_id: `bench-${i}`, email: `bench${i}@example.com` });
        done += 1;
      }
    }),
  );
  clearInterval(progress);
  const elapsedS = (Date.now() - started) / 1000;

  const log = sandbox.requests().filter((r) => r.path.startsWith('/contacts'));
  const windowOf = (r: { time: string }): number => Math.floor(Date.parse(r.time) / 10_000);
  const first = Math.min(...log.map(windowOf));
  const last = Math.max(...log.map(windowOf));
  const okPerWindow = new Map<number, number>();
  for (const r of log) if (r.status === 200) okPerWindow.set(windowOf(r), (okPerWindow.get(windowOf(r)) ?? 0) + 1);
  const full = [...okPerWindow.entries()].filter(([w]) => w > first && w < last).map(([, n]) => n);
  const throttled = log.filter((r) => r.status === 429);
  const throttledAfterFirst = throttled.filter((r) => windowOf(r) > first).length;
  const achievedPerWindow = full.length > 0 ? full.reduce((a, b) => a + b, 0) / full.length : 0;
  const overall = (creates / elapsedS) * 10;

  console.log(`creates:                    ${creates} in ${elapsedS.toFixed(1)} s`);
  console.log(`allowed:                    ${limit} per 10 s`);
  console.log(
    `achieved (full windows):    ${achievedPerWindow.toFixed(1)} per 10 s = ${((100 * achievedPerWindow) / limit).toFixed(1)} % of allowed (${full.length} windows, min ${Math.min(...full)}, max ${Math.max(...full)})`,
  );
  // Can exceed 100 %: the run starts mid-window with that window's whole budget available.
  console.log(
    `achieved (whole run):       ${overall.toFixed(1)} per 10 s = ${((100 * overall) / limit).toFixed(1)} % of allowed`,
  );
  console.log(
    `429s:                       ${throttled.length} in total, ${throttledAfterFirst} after the first window`,
  );
  await sandbox.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
