/**
 * Reading a SmarterTrack dataset through the real mssql driver: generates the demo dataset at a
 * scale (cached under .cache/), serves it with the TDS fixture in its own process, and runs the
 * reader benchmark against mssql://… (and, with --compare, against the SQLite file). Prints
 * records/s and peak memory of the reading process and of the fixture. A benchmark, not a test.
 *
 *   npx tsx scripts/bench-mssql.ts [--scale 10] [--page-size 1000] [--compare]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { generateDataset } from '../test/fixtures/dataset/generate';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, 'page-size': { type: 'string' }, compare: { type: 'boolean' } },
});
const scale = Number(values.scale ?? '10');
const USER = 'st_reader';
const PASSWORD = 'bench-Passw0rd';

async function main(): Promise<void> {
  const dir = path.resolve('.cache', `bench-mssql-scale-${scale}`);
  const database = path.join(dir, 'smartertrack.db');
  if (!existsSync(database)) {
    process.stdout.write(`generating scale ${scale} into ${dir} …\n`);
    await generateDataset({ outDir: dir, seed: 1, scale });
  }
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/tds/serve.ts', '--database', database, '--user', USER, '--password', PASSWORD],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let serverOutput = '';
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      serverOutput += chunk.toString();
      const m = /listening (\d+)/.exec(serverOutput);
      if (m) resolve(Number(m[1]));
    });
    server.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
  });
  const pageSize = values['page-size'] ? ['--page-size', values['page-size']] : [];
  const bench = (source: string) => {
    const run = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        'scripts/bench-reader.ts',
        '--source',
        source,
        '--attachments',
        path.join(dir, 'App_Data'),
        ...pageSize,
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, SMARTERTRACK_PASSWORD: PASSWORD },
      },
    );
    if (run.status !== 0) throw new Error(`bench-reader failed for ${source}`);
  };
  try {
    process.stdout.write(`\n== through mssql + TDS fixture (port ${port}) ==\n`);
    bench(`mssql://${USER}@127.0.0.1:${port}/SmarterTrack`);
    if (values.compare) {
      process.stdout.write('\n== the same file through SQLite ==\n');
      bench(`sqlite:${database}`);
    }
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    process.stdout.write(
      `\n${serverOutput
        .split('\n')
        .filter((l) => l.startsWith('fixture'))
        .join('\n')}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
