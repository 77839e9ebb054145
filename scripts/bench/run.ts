/**
 * The migration benchmark (`npm run bench`): prints a table and writes bench-results/bench.json.
 *
 *  (a) achieved request rate over the allowed rate: a full migration of the demo dataset (scale 10)
 *      through the CLI into the sandbox at the real limit (1667 per 10 s), counted from the sandbox's
 *      request log per 10-s window over the steady part of the run;
 *  (b) write calls per migrated ticket (from the run's journal intents) against the minimum the
 *      ticket's content needs;
 *  (c) source read throughput and peak memory at scale 100, through SQLite and mssql + TDS fixture;
 *  (d) projected wall time of a typical migration (5,000 tickets, 1,000 contacts, 500 companies) at
 *      10,000 requests a minute, from the measured calls per record, next to the floor;
 *  (e) faults: the same migration through 2% 500, 1% 502, 1% 503 and 2% dropped connections (each
 *      applied, then unanswered), with `ratio` = its steady rate ÷ the unfaulted run's, and its final
 *      Intercom state compared with the unfaulted run's (differences, 0 expected);
 *  (f) workspaceCeiling: the same migration through 3 tokens of one workspace against a sandbox at
 *      1,667 per app and 4,167 per workspace per 10 s, with `ratio` = its steady rate ÷ 4,167;
 *  (g) extensionPath: the same migration driven as the extension drives the engine (its setting
 *      defaults, src/extension/run-inputs.ts, in-process), with `ratio` = its steady rate ÷ the CLI's;
 *  (h) delta and validate: after (a), against the same sandbox, the requests and seconds of a delta
 *      over the unchanged source and of `validate --all`.
 *
 *   npx tsx scripts/bench/run.ts [--scale 10] [--reader-scale 100] [--no-reader] [--no-faults] [--no-tokens] [--no-extension] [--only-tokens] [--tickets-as-tickets] [--concurrency N]
 *
 * `--tickets-as-tickets` sends every department's tickets to its proposed Intercom ticket type
 * (`st2ic map tickets`) for (a), (b), (d) and (h).
 *
 * A benchmark, not a test: it asserts nothing. About 5–8 minutes on a 2-core machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { benchMigration, type MigrationBench, RATE_LIMIT_PER_10S, WORKSPACE_LIMIT_PER_10S } from './migration';
import { benchReaders, type ReaderFigures } from './reader';

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    'reader-scale': { type: 'string' },
    'no-reader': { type: 'boolean' },
    'no-faults': { type: 'boolean' },
    'no-tokens': { type: 'boolean' },
    'no-extension': { type: 'boolean' },
    'only-tokens': { type: 'boolean' },
    'tickets-as-tickets': { type: 'boolean' },
    concurrency: { type: 'string' },
  },
});
const FAULTS = '500:0.02,502:0.01,503:0.01,drop:0.02,seed=21';
const TOKENS = 3;
const scale = Number(values.scale ?? '10');
const readerScale = Number(values['reader-scale'] ?? '100');
const TYPICAL = { tickets: 5000, contacts: 1000, companies: 500 };
const PER_MINUTE = 10_000;

interface Projection {
  typical: typeof TYPICAL;
  callsPerTicket: number;
  callsPerContact: number;
  callsPerCompany: number;
  calls: number;
  minimumCalls: number;
  floorMinutes: number;
  minimumFloorMinutes: number;
  projectedMinutes: number;
}

function project(m: MigrationBench): Projection {
  const w = m.writesPerRecord;
  const overhead = m.requestsPerWrite;
  const perContact =
    ((w.endUsers ?? 0) +
      (m.migrated.endUsers
        ? ((w.organizationMemberships ?? 0) * (m.migrated.organizationMemberships ?? 0)) / m.migrated.endUsers
        : 0)) *
    overhead;
  const perCompany = (w.organizations ?? 0) * overhead;
  const perTicket = m.tickets.meanCalls * overhead;
  const calls = TYPICAL.tickets * perTicket + TYPICAL.contacts * perContact + TYPICAL.companies * perCompany;
  const minimumCalls = TYPICAL.tickets * m.tickets.meanMinimum + TYPICAL.contacts * 1 + TYPICAL.companies * 1;
  const achievedPerMinute = PER_MINUTE * Math.min(1, m.rateRatio || 1);
  return {
    typical: TYPICAL,
    callsPerTicket: perTicket,
    callsPerContact: perContact,
    callsPerCompany: perCompany,
    calls,
    minimumCalls,
    floorMinutes: calls / PER_MINUTE,
    minimumFloorMinutes: minimumCalls / PER_MINUTE,
    projectedMinutes: calls / achievedPerMinute,
  };
}

const differenceFields = (d: { count: number; examples: string[] }) => ({
  differences: d.count,
  differenceExamples: d.examples,
});
const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);
const n = (x: number, digits = 2) => x.toFixed(digits);

async function main(): Promise<void> {
  const cacheDir = path.resolve('.cache');
  await mkdir(cacheDir, { recursive: true });
  process.stdout.write(
    `(a, b) full migration, demo dataset at scale ${scale}, sandbox limit ${RATE_LIMIT_PER_10S}/10 s …\n`,
  );
  const concurrency = values.concurrency ? { concurrency: Number(values.concurrency) } : {};
  const migration = await benchMigration(scale, cacheDir, {
    ...concurrency,
    followUps: !values['only-tokens'],
    ticketsAsTickets: values['tickets-as-tickets'] === true,
  });
  const projection = project(migration);
  let faulted: MigrationBench | undefined;
  if (!values['no-faults'] && !values['only-tokens']) {
    process.stdout.write(`(e) the same migration through faults ${FAULTS} …\n`);
    faulted = await benchMigration(scale, cacheDir, { ...concurrency, faults: FAULTS });
  }
  let ceiling: MigrationBench | undefined;
  if (!values['no-tokens']) {
    process.stdout.write(
      `(f) the same migration with ${TOKENS} tokens of one workspace, sandbox at ${RATE_LIMIT_PER_10S} per app and ${WORKSPACE_LIMIT_PER_10S} per workspace per 10 s …\n`,
    );
    ceiling = await benchMigration(scale, cacheDir, {
      ...concurrency,
      tokens: TOKENS,
      workspaceLimitPer10s: WORKSPACE_LIMIT_PER_10S,
    });
  }
  let extension: MigrationBench | undefined;
  if (!values['no-extension'] && !values['only-tokens']) {
    process.stdout.write('(g) the same migration driven as the extension drives the engine …\n');
    extension = await benchMigration(scale, cacheDir, { driver: 'extension' });
  }
  let readers: ReaderFigures[] = [];
  if (!values['no-reader']) {
    process.stdout.write(
      `(c) reading the demo dataset at scale ${readerScale} through SQLite and mssql + TDS fixture …\n`,
    );
    readers = (await benchReaders(readerScale)).figures;
  }

  process.stdout.write('\n');
  row('migration wall time', `${n(migration.seconds, 0)} s, exit code ${migration.exitCode}`);
  row('requests (sandbox log), rate-limited', `${migration.requests}, ${migration.throttled}`);
  row('requests per 10-s window', migration.windows.join(' '));
  row(
    `(a) steady mean / allowed (${migration.steadyWindows} windows)`,
    `${n(migration.steadyMeanPer10s, 0)} / ${RATE_LIMIT_PER_10S} = ${n(migration.rateRatio, 3)} (median ${migration.steadyMedianPer10s})`,
  );
  row(
    '    steady windows at ≥ 95 % of the limit',
    `${migration.windowsAtLimit} of ${migration.steadyWindows} (load average at the end ${migration.loadAverage.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs)`,
  );
  row(
    '(b) write calls per migrated ticket',
    `${n(migration.tickets.meanCalls)} (${migration.tickets.measured} tickets)`,
  );
  row(
    '(b) minimum calls the content needs',
    `${n(migration.tickets.meanMinimum)} → ratio ${n(migration.tickets.ratio, 3)}, ${migration.tickets.overMinimum} over`,
  );
  for (const e of migration.tickets.examples) row('      ', e);
  row('    all requests per journaled write', n(migration.requestsPerWrite, 3));
  for (const r of readers) {
    row(
      `(c) read at scale ${readerScale}, ${r.source}`,
      `${r.records} records in ${n(r.seconds, 1)} s = ${r.recordsPerSecond}/s; peak RSS ${r.peakRssMb} MB, heap ${r.peakHeapMb} MB${r.peakLiveHeapMb !== null ? `, live ${r.peakLiveHeapMb} MB` : ''}`,
    );
  }
  row(
    '(d) calls per ticket / contact / company',
    `${n(projection.callsPerTicket)} / ${n(projection.callsPerContact)} / ${n(projection.callsPerCompany)}`,
  );
  row(
    `(d) ${TYPICAL.tickets} tickets, ${TYPICAL.contacts} contacts, ${TYPICAL.companies} companies`,
    `${Math.round(projection.calls)} calls`,
  );
  row(
    `(d) projected at the measured rate (${n(migration.rateRatio * PER_MINUTE, 0)}/min)`,
    `${n(projection.projectedMinutes, 1)} min`,
  );
  row(
    `(d) floor: calls ÷ ${PER_MINUTE}/min`,
    `${n(projection.floorMinutes, 1)} min (content minimum ${Math.round(projection.minimumCalls)} calls: ${n(projection.minimumFloorMinutes, 1)} min)`,
  );

  const faults = faulted
    ? {
        spec: FAULTS,
        seconds: faulted.seconds,
        exitCode: faulted.exitCode,
        steadyMeanPer10s: faulted.steadyMeanPer10s,
        ratio: faulted.steadyMeanPer10s / Math.max(1, migration.steadyMeanPer10s),
        ...differenceFields(differences(migration.final, faulted.final)),
      }
    : null;
  if (faults && faulted) {
    row(
      '(e) faults: wall time, exit code',
      `${n(faults.seconds, 0)} s, ${faults.exitCode} (unfaulted ${n(migration.seconds, 0)} s)`,
    );
    row('(e) faults: requests per 10-s window', faulted.windows.join(' '));
    row(
      '(e) faults.ratio: steady rate ÷ unfaulted steady rate',
      `${n(faults.steadyMeanPer10s, 0)} / ${n(migration.steadyMeanPer10s, 0)} = ${n(faults.ratio, 3)}`,
    );
    row('(e) faults: final state vs the unfaulted run', `${faults.differences} difference(s)`);
    for (const e of faults.differenceExamples) row('      ', e);
  }
  const workspaceCeiling = ceiling
    ? {
        tokens: TOKENS,
        seconds: ceiling.seconds,
        exitCode: ceiling.exitCode,
        windows: ceiling.windows,
        steadyMeanPer10s: ceiling.steadyMeanPer10s,
        allowedPer10s: WORKSPACE_LIMIT_PER_10S,
        ratio: ceiling.steadyMeanPer10s / WORKSPACE_LIMIT_PER_10S,
        throttled: ceiling.throttled,
        speedup: migration.seconds / Math.max(1, ceiling.seconds),
        ...differenceFields(differences(migration.final, ceiling.final)),
        loadAverage: ceiling.loadAverage,
      }
    : null;
  if (workspaceCeiling) {
    row(
      `(f) ${TOKENS} tokens: wall time, exit code`,
      `${n(workspaceCeiling.seconds, 0)} s, ${workspaceCeiling.exitCode} (one token ${n(migration.seconds, 0)} s: ×${n(workspaceCeiling.speedup)})`,
    );
    row(`(f) ${TOKENS} tokens: requests per 10-s window`, workspaceCeiling.windows.join(' '));
    row(
      '(f) workspaceCeiling.ratio: steady mean / workspace limit',
      `${n(workspaceCeiling.steadyMeanPer10s, 0)} / ${WORKSPACE_LIMIT_PER_10S} = ${n(workspaceCeiling.ratio, 3)}, ${workspaceCeiling.throttled} rate-limited (load average ${workspaceCeiling.loadAverage.map((l) => l.toFixed(1)).join(' ')})`,
    );
    row(`(f) ${TOKENS} tokens: final state vs one token`, `${workspaceCeiling.differences} difference(s)`);
    for (const e of workspaceCeiling.differenceExamples) row('      ', e);
  }
  const extensionPath = extension
    ? {
        seconds: extension.seconds,
        exitCode: extension.exitCode,
        windows: extension.windows,
        steadyMeanPer10s: extension.steadyMeanPer10s,
        ratio: extension.steadyMeanPer10s / Math.max(1, migration.steadyMeanPer10s),
        ...differenceFields(differences(migration.final, extension.final)),
        loadAverage: extension.loadAverage,
      }
    : null;
  if (extensionPath) {
    row(
      '(g) extension path: wall time, exit code',
      `${n(extensionPath.seconds, 0)} s, ${extensionPath.exitCode} (CLI ${n(migration.seconds, 0)} s)`,
    );
    row('(g) extension path: requests per 10-s window', extensionPath.windows.join(' '));
    row(
      "(g) extensionPath.ratio: steady rate ÷ the CLI's",
      `${n(extensionPath.steadyMeanPer10s, 0)} / ${n(migration.steadyMeanPer10s, 0)} = ${n(extensionPath.ratio, 3)} (load average ${extensionPath.loadAverage.map((l) => l.toFixed(1)).join(' ')})`,
    );
    row('(g) extension path: final state vs the CLI run', `${extensionPath.differences} difference(s)`);
    for (const e of extensionPath.differenceExamples) row('      ', e);
  }
  const delta = migration.delta ?? null;
  const validate = migration.validate ?? null;
  if (delta)
    row(
      '(h) delta over the unchanged source: requests, seconds',
      `${delta.requests}, ${n(delta.seconds, 1)} s (exit ${delta.exitCode})`,
    );
  if (validate)
    row(
      '(h) validate --all: requests, seconds',
      `${validate.requests}, ${n(validate.seconds, 1)} s (exit ${validate.exitCode})`,
    );
  const out = path.resolve('bench-results', 'bench.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, migration: { ...migration, final: undefined, delta: undefined, validate: undefined }, projection, readers, readerScale, faults, workspaceCeiling, extensionPath, delta, validate }, null, 2)}\n`,
  );
  process.stdout.write(`\nwritten ${out}\n`);
}

/**
 * Entries of one snapshot missing from the other, both ways, over every object kind, with the first
 * few named (kind, which run has it, the entry cut at 600 characters) so a difference can be read.
 */
function differences(a: MigrationBench['final'], b: MigrationBench['final']): { count: number; examples: string[] } {
  let count = 0;
  const examples: string[] = [];
  const note = (text: string) => {
    count++;
    if (examples.length < 6) examples.push(text.slice(0, 600));
  };
  for (const key of Object.keys(a) as (keyof typeof a)[]) {
    const left = (a[key] as unknown[]).map((x) => JSON.stringify(x));
    const right = (b[key] as unknown[]).map((x) => JSON.stringify(x));
    const pool = new Map<string, number>();
    for (const x of right) pool.set(x, (pool.get(x) ?? 0) + 1);
    for (const x of left) {
      const left1 = pool.get(x) ?? 0;
      if (left1 > 0) pool.set(x, left1 - 1);
      else note(`${key}, only in the reference run: ${x}`);
    }
    for (const [x, v] of pool) for (let i = 0; i < v; i++) note(`${key}, only in this run: ${x}`);
  }
  return { count, examples };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
