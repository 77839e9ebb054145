import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';

import { RunNotStartedError } from '../../src/engine/errors';
import { runMigration } from '../../src/engine/run-migration';
import { IntercomClient, NetworkError } from '../../src/intercom';
import { makeDataset, openDataset, removeDir, runIds, tempDir, writeMap } from '../support/engine-fixtures';

// A reload kills the sandbox the folder points at: the next run is refused before it writes, and
// the refusal carries the network error, so the editor can offer the way back (start the sandbox).

const dir = tempDir('not-started');
after(() => removeDir(dir));

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('Intercom unreachable before the run: refused with its network error as the cause, and no run folder', async () => {
  const ds = await makeDataset(path.join(dir, 'ds'), 0.02, 3);
  const ws = path.join(dir, 'ws');
  await writeMap(ws, ds, 'approved');
  const client = new IntercomClient({
    token: 'unused',
    baseUrl: `http://127.0.0.1:${await deadPort()}`,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  const reader = await openDataset(ds);
  try {
    const error = await runMigration({ workspaceDir: ws, kind: 'full', reader, client }).catch((e: unknown) => e);
    assert.ok(error instanceof RunNotStartedError, String(error));
    assert.ok(error.cause instanceof NetworkError, `cause: ${String(error.cause)}`);
    assert.match(error.message, /ECONNREFUSED/);
  } finally {
    await reader.close();
  }
  assert.deepEqual(runIds(ws), [], 'nothing was started');
});
