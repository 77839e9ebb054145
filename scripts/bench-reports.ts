/**
 * Figures for the reconciliation and the rebuild inventory: a generated source at --scale (default 5),
 * a run recording every source record of every type (90 % migrated, 9 % skipped, 1 % failed, the
 * rest left out), then the reconciliation without read-back; then --contacts (default 300) contacts
 * written to the sandbox and read back with sample 'all'. Prints times, heap and file sizes.
 *   npm run bench:reports -- --scale 5 --contacts 300
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { IntercomClient } from '../src/intercom';
import { openLedger } from '../src/ledger';
import { buildDefaultMap } from '../src/mapping/default-map';
import { OBJECT_TYPES } from '../src/model/object-types';
import { buildRebuildInventory, writeRebuildInventory } from '../src/reports/rebuild-inventory';
import { buildReconciliation, writeReconciliation } from '../src/reports/reconciliation';
import { sourceIdsOf } from '../src/reports/source-ids';
import { startSandbox } from '../src/sandbox/index';
import { openSource } from '../src/source/open-source';
import { generateDataset } from '../test/fixtures/dataset/generate';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '5' }, contacts: { type: 'string', default: '300' } },
});
const scale = Number(values.scale);
const contactCount = Number(values.contacts);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const result = await work();
  console.log(
    `${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s, heap ${mb(process.memoryUsage().heapUsed)}`,
  );
  return result;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'st2ic-bench-reports-'));
  const sandbox = await startSandbox({ openapiPath: '', rateLimitPer10s: 100_000 });
  try {
    const manifest = await timed(`generate scale ${scale}`, () =>
      generateDataset({ outDir: path.join(dir, 'source'), seed: 1, scale }),
    );
    const reader = await openSource(
      { kind: 'sqlite', path: path.join(dir, 'source', manifest.database) },
      { attachmentsRoot: path.join(dir, 'source', manifest.attachmentsRoot) },
    );
    const workspace = path.join(dir, 'workspace');
    const ledger = await openLedger(workspace, { warn: () => undefined });
    const client = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url });
    const collect = async <T>(items: AsyncIterable<T>) => {
      const out: T[] = [];
      for await (const i of items) out.push(i);
      return out;
    };
    const map = buildDefaultMap({
      customFields: await collect(reader.customFields()),
      fieldChannels: new Map(),
      samples: new Map(),
      statuses: await collect(reader.ticketStatuses()),
      priorities: await collect(reader.ticketPriorities()),
      departmentNames: (await collect(reader.departments())).map((d) => d.name ?? String(d.id)),
      brands: await collect(reader.brands()),
    });

    let recorded = 0;
    const run = await ledger.startRun({
      kind: 'full',
      mappingHash: 'sha256:bench',
      source: { kind: 'sqlite', description: 'bench' },
    });
    await timed('journal one record per source record', async () => {
      for (const type of OBJECT_TYPES) {
        let i = 0;
        for await (const id of sourceIdsOf(reader, type)) {
          const k = i++ % 100;
          if (k < 90) run.record({ objectType: type, sourceId: id, state: 'migrated', intercomId: `x${id}` });
          else if (k < 99) run.record({ objectType: type, sourceId: id, state: 'skipped', reason: `reason ${k % 3}` });
          else if (i % 200 !== 0)
            run.record({
              objectType: type,
              sourceId: id,
              state: 'failed',
              error: { errorClass: 'validation', field: 'email', message: 'bad, "quoted"' },
            });
          else continue;
          recorded++;
        }
      }
      await run.finish('completed');
    });
    console.log(`records journaled: ${recorded.toLocaleString('en-US')}`);
    const rec = await timed('reconciliation (counts, gaps, no read-back)', () =>
      buildReconciliation({ ledger, reader, client, map, runId: run.runId, sample: 0 }),
    );
    const files = await writeReconciliation(workspace, rec);
    console.log(
      `rows in CSV: ${rec.rows.length.toLocaleString('en-US')} (${mb((await stat(files.csv)).size)}), unaccounted ${rec.report.totals.unaccounted}`,
    );

    const users = (await collect(reader.endUsers())).filter((u) => u.email).slice(0, contactCount);
    const second = await ledger.startRun({
      kind: 'delta',
      mappingHash: 'sha256:bench',
      source: { kind: 'sqlite', description: 'bench' },
    });
    const seen = new Set<string>();
    for (const u of users) {
      if (seen.has(u.email!.toLowerCase())) continue;
      seen.add(u.email!.toLowerCase());
      const contact = await client.contacts.create({
        role: 'user',
        external_id: String(u.id),
        email: u.email!,
        ...(u.displayName ? { name: u.displayName } : {}),
      });
      second.record({ objectType: 'endUsers', sourceId: String(u.id), state: 'migrated', intercomId: contact.id });
    }
    await second.finish('completed');
    const checked = await timed(`field check of ${seen.size} contacts (sample all)`, () =>
      buildReconciliation({ ledger, reader, client, map, runId: second.runId, sample: 'all' }),
    );
    console.log(`mismatches: ${checked.report.fieldCheck.mismatches.length}`);
    const inventory = await timed('rebuild inventory', () => buildRebuildInventory({ reader, ledger, map }));
    await writeRebuildInventory(workspace, inventory);
    console.log(`inventory sections: ${inventory.sections.map((s) => `${s.area} ${s.entries.length}`).join(', ')}`);
    await ledger.close();
    await reader.close();
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
