import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('the CLI rejects an unknown command with exit code 2', () => {
  const result = spawnSync(process.execPath, ['dist/cli.js', 'no-such-verb'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command "no-such-verb"/);
});
