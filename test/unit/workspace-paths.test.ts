import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { LedgerPaths } from '../../src/ledger/paths';
import { migrationPaths } from '../../src/model/workspace-paths';

const ws = path.join(path.sep, 'ws');
const under = (...parts: string[]) => path.join(ws, 'migration', ...parts);

test('migrationPaths: the layout DESIGN.md describes, under <workspace>/migration/', () => {
  const p = migrationPaths(ws);
  assert.equal(p.dir, under());
  assert.equal(p.config, under('config.json'));
  assert.equal(p.mapping, under('mapping.json'));
  assert.equal(p.target, under('target.json'));
  assert.equal(p.workspacePlan, under('reports', 'workspace-plan.md'));
  assert.equal(p.reconciliation('r1'), under('reports', 'reconciliation-r1.md'));
  assert.equal(p.journal('r1'), under('runs', 'r1', 'journal.jsonl'));
  assert.equal(p.runMeta('r1'), under('runs', 'r1', 'run.json'));
  assert.equal(p.runLock('r1'), under('runs', 'r1', 'lock'));
  assert.equal(p.runReport('r1'), under('runs', 'r1', 'report.md'));
});

test('the ledger writes where the adapters look: its paths are the workspace paths', () => {
  const p = migrationPaths(ws);
  const ledger = new LedgerPaths(ws);
  assert.deepEqual(
    [
      ledger.migrationDir,
      ledger.runsDir,
      ledger.indexCache,
      ledger.writerLock,
      ledger.journal('r1'),
      ledger.runMeta('r1'),
      ledger.lock('r1'),
    ],
    [
      p.dir,
      p.runs,
      under('ledger-index.json'),
      under('writer.lock'),
      p.journal('r1'),
      p.runMeta('r1'),
      p.runLock('r1'),
    ],
  );
});
