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
 *      10,000 requests a minute, from the measured calls per record, next to the floor.
 *
 *   npx tsx scripts/bench/run.ts [--scale 10] [--reader-scale 100] [--no-reader] [--concurrency N]
 *
 * A benchmark, not a test: it asserts nothing. About 5–8 minutes on a 2-core machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchMigration, RATE_LIMIT_PER_10S, type MigrationBench } from './migration';
import { benchReaders, type ReaderFigures } from './reader';

const { values } = parseArgs({ options: { scale: { type: 'string' }, 'reader-scale': { type: 'string' }, 'no-reader': { type: 'boolean' }, concurrency: { type: 'string' } } });
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
  const perContact = ((w.endUsers ?? 0) + (m.migrated.endUsers ? ((w.organizationMemberships ?? 0) * (m.migrated.organizationMemberships ?? 0)) / m.migrated.endUsers : 0)) * overhead;
  const perCompany = (w.organizations ?? 0) * overhead;
  const perTicket = m.tickets.meanCalls * overhead;
  const calls = TYPICAL.tickets * perTicket + TYPICAL.contacts * perContact + TYPICAL.companies * perCompany;
  const minimumCalls = TYPICAL.tickets * m.tickets.meanMinimum + TYPICAL.contacts * 1 + TYPICAL.companies * 1;
  const achievedPerMinute = PER_MINUTE * Math.min(1, m.rateRatio || 1);
  return {
    typical: TYPICAL, callsPerTicket: perTicket, callsPerContact: perContact, callsPerCompany: perCompany, calls, minimumCalls,
    floorMinutes: calls / PER_MINUTE, minimumFloorMinutes: minimumCalls / PER_MINUTE, projectedMinutes: calls / achievedPerMinute,
  };
}

const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);
const n = (x: number, digits = 2) => x.toFixed(digits);

async function main(): Promise<void> {
  const cacheDir = path.resolve('.cache');
  await mkdir(cacheDir, { recursive: true });
  process.stdout.write(`(a, b) full migration, demo dataset at scale ${scale}, sandbox limit ${RATE_LIMIT_PER_10S}/10 s …\n`);
  const migration = await benchMigration(scale, cacheDir, values.concurrency ? Number(values.concurrency) : undefined);
  const projection = project(migration);
  let readers: ReaderFigures[] = [];
  if (!values['no-reader']) {
    process.stdout.write(`(c) reading the demo dataset at scale ${readerScale} through SQLite and mssql + TDS fixture …\n`);
    readers = (await benchReaders(readerScale)).figures;
  }

  process.stdout.write('\n');
  row('migration wall time', `${n(migration.seconds, 0)} s, exit code ${migration.exitCode}`);
  row('requests (sandbox log), rate-limited', `${migration.requests}, ${migration.throttled}`);
  row('requests per 10-s window', migration.windows.join(' '));
  row(`(a) steady mean / allowed (${migration.steadyWindows} windows)`, `${n(migration.steadyMeanPer10s, 0)} / ${RATE_LIMIT_PER_10S} = ${n(migration.rateRatio, 3)} (median ${migration.steadyMedianPer10s})`);
  row('    steady windows at ≥ 95 % of the limit', `${migration.windowsAtLimit} of ${migration.steadyWindows} (load average at the end ${migration.loadAverage.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs)`);
  row('(b) write calls per migrated ticket', `${n(migration.tickets.meanCalls)} (${migration.tickets.measured} tickets)`);
  row('(b) minimum calls the content needs', `${n(migration.tickets.meanMinimum)} → ratio ${n(migration.tickets.ratio, 3)}, ${migration.tickets.overMinimum} over`);
  for (const e of migration.tickets.examples) row('      ', e);
  row('    all requests per journaled write', n(migration.requestsPerWrite, 3));
  for (const r of readers) {
    row(`(c) read at scale ${readerScale}, ${r.source}`, `${r.records} records in ${n(r.seconds, 1)} s = ${r.recordsPerSecond}/s; peak RSS ${r.peakRssMb} MB, heap ${r.peakHeapMb} MB${r.peakLiveHeapMb !== null ? `, live ${r.peakLiveHeapMb} MB` : ''}`);
  }
  row('(d) calls per ticket / contact / company', `${n(projection.callsPerTicket)} / ${n(projection.callsPerContact)} / ${n(projection.callsPerCompany)}`);
  row(`(d) ${TYPICAL.tickets} tickets, ${TYPICAL.contacts} contacts, ${TYPICAL.companies} companies`, `${Math.round(projection.calls)} calls`);
  row(`(d) projected at the measured rate (${n(migration.rateRatio * PER_MINUTE, 0)}/min)`, `${n(projection.projectedMinutes, 1)} min`);
  row(`(d) floor: calls ÷ ${PER_MINUTE}/min`, `${n(projection.floorMinutes, 1)} min (content minimum ${Math.round(projection.minimumCalls)} calls: ${n(projection.minimumFloorMinutes, 1)} min)`);

  const out = path.resolve('bench-results', 'bench.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, migration, projection, readers, readerScale }, null, 2)}\n`);
  process.stdout.write(`\nwritten ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
