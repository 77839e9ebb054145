/**
 * Reads every object of a SmarterTrack database end to end through the SourceReader and prints
 * records per second and peak memory. A benchmark, not a test: it asserts nothing.
 *
 *   npx tsx scripts/bench-reader.ts --source sqlite:<path> [--attachments <dir>] [--page-size N]
 *   node --expose-gc --import tsx scripts/bench-reader.ts …   (also reports the live heap after GC)
 */
import { parseArgs } from 'node:util';

import { openSource } from '../src/source/open-source';
import type { SourceReader } from '../src/source/reader';
import { parseSourceUrl } from '../src/source/source-url';

const { values } = parseArgs({
  options: { source: { type: 'string' }, attachments: { type: 'string' }, 'page-size': { type: 'string' } },
});
if (!values.source) {
  process.stderr.write('usage: bench-reader.ts --source sqlite:<path> [--attachments <dir>] [--page-size N]\n');
  process.exit(2);
}

let peakHeap = 0;
let peakLiveHeap = 0;
const gc = (globalThis as { gc?: () => void }).gc;
function sample(collect = false): void {
  const heap = process.memoryUsage().heapUsed;
  if (heap > peakHeap) peakHeap = heap;
  if (collect && gc) {
    // What is really retained, mid-stream: a growing figure across scales means a leak.
    gc();
    peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
  }
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const reader: SourceReader = await openSource(parseSourceUrl(values.source!), {
    attachmentsRoot: values.attachments ?? null,
    ...(values['page-size'] ? { pageSize: Number(values['page-size']) } : {}),
  });
  const lists: [string, () => AsyncIterable<unknown>][] = [
    ['brands', () => reader.brands()],
    ['departments', () => reader.departments()],
    ['groups', () => reader.groups()],
    ['agents', () => reader.agents()],
    ['endUsers', () => reader.endUsers()],
    ['organizations', () => reader.organizations()],
    ['organizationMemberships', () => reader.organizationMemberships()],
    ['customFields', () => reader.customFields()],
    ['customFieldValues', () => reader.customFieldValues()],
    ['tickets', () => reader.tickets()],
    ['ticketMessages', () => reader.ticketMessages()],
    ['ticketComments', () => reader.ticketComments()],
    ['ticketThreads', () => reader.ticketThreads()],
    ['attachments', () => reader.attachments()],
    ['liveChats', () => reader.liveChats()],
    ['chatMessages', () => reader.chatMessages()],
    ['callLogs', () => reader.callLogs()],
    ['kbCategories', () => reader.kbCategories()],
    ['kbArticles', () => reader.kbArticles()],
    ['tags', () => reader.tags()],
    ['automationRules', () => reader.automationRules()],
    ['departmentPolicies', () => reader.departmentPolicies()],
  ];
  const d = await reader.describe();
  process.stdout.write(`source ${d.location} (${d.engine}, prefix ${d.tablePrefix}); node ${process.version}\n\n`);
  process.stdout.write(
    `${'object'.padEnd(24)} ${'records'.padStart(10)} ${'seconds'.padStart(8)} ${'records/s'.padStart(10)}\n`,
  );
  let total = 0;
  const started = performance.now();
  for (const [name, list] of lists) {
    const t0 = performance.now();
    let n = 0;
    for await (const _ of list()) {
      if (++n % 500 === 0) sample(n % 5000 === 0);
    }
    sample(true);
    const seconds = (performance.now() - t0) / 1000;
    total += n;
    process.stdout.write(
      `${name.padEnd(24)} ${String(n).padStart(10)} ${seconds.toFixed(2).padStart(8)} ${(seconds > 0 ? Math.round(n / seconds) : 0).toString().padStart(10)}\n`,
    );
  }
  const t1 = performance.now();
  const counts = await reader.insights.counts();
  const countSeconds = (performance.now() - t1) / 1000;
  await reader.close();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\n${'all (read end to end)'.padEnd(24)} ${String(total).padStart(10)} ${seconds.toFixed(2).padStart(8)} ${Math.round(
      total / seconds,
    )
      .toString()
      .padStart(10)}\n`,
  );
  process.stdout.write(
    `aggregate counts (scope) in ${countSeconds.toFixed(2)} s: tickets ${counts.tickets}, messages ${counts.ticketMessages}\n`,
  );
  process.stdout.write(
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, peak heap used ${(peakHeap / MB).toFixed(0)} MB`,
  );
  process.stdout.write(
    gc
      ? `, peak live heap after GC ${(peakLiveHeap / MB).toFixed(1)} MB\n`
      : ' (run with --expose-gc for the live heap)\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
