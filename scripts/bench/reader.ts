import { spawn } from 'node:child_process';

export interface ReaderFigures {
  source: 'sqlite' | 'mssql';
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
  peakLiveHeapMb: number | null;
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

/** Pulls the figures out of one bench-reader report (its "all (read end to end)" and "peak" lines). */
function figuresOf(source: ReaderFigures['source'], report: string): ReaderFigures {
  const all = /all \(read end to end\)\s+(\d+)\s+([\d.]+)\s+(\d+)/.exec(report);
  const peak = /peak RSS (\d+) MB, peak heap used (\d+) MB(?:, peak live heap after GC ([\d.]+) MB)?/.exec(report);
  if (!all || !peak) throw new Error(`unexpected bench-reader output:\n${report}`);
  return {
    source,
    records: Number(all[1]),
    seconds: Number(all[2]),
    recordsPerSecond: Number(all[3]),
    peakRssMb: Number(peak[1]),
    peakHeapMb: Number(peak[2]),
    peakLiveHeapMb: peak[3] ? Number(peak[3]) : null,
  };
}

/**
 * Source read throughput and peak memory at a scale, through SQLite and through mssql + the TDS
 * fixture: scripts/bench-mssql.ts --compare generates (and caches) the dataset, serves it and runs
 * scripts/bench-reader.ts against both. Each report section is parsed separately.
 */
export async function benchReaders(scale: number): Promise<{ figures: ReaderFigures[]; report: string }> {
  const report = await run(['--import', 'tsx', 'scripts/bench-mssql.ts', '--scale', String(scale), '--compare']);
  const mssqlPart = report.split('== the same file through SQLite ==')[0] ?? '';
  const sqlitePart = report.split('== the same file through SQLite ==')[1] ?? '';
  return { figures: [figuresOf('mssql', mssqlPart), figuresOf('sqlite', sqlitePart)], report };
}
