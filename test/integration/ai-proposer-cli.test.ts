import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { MappingFile } from '../../src/model/mapping';
import { type AiStub, startAiStub } from '../fixtures/ai-stub/server';
import { DATABASE_FILE, generateDataset } from '../fixtures/dataset/generate';

// The CLI from source through tsx, run asynchronously so the stub in this process can answer it.
const run = promisify(execFile);
const main = path.resolve('src/cli/main.ts');
let dir: string;
let source: string;
let stub: AiStub;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-ai-cli-'));
  await generateDataset({ outDir: path.join(dir, 'data'), seed: 5, scale: 0.1 });
  source = `sqlite:${path.join(dir, 'data', DATABASE_FILE)}`;
  stub = await startAiStub('good');
});
after(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

async function st2ic(env: NodeJS.ProcessEnv, ...args: string[]) {
  const clean = { ...process.env };
  delete clean.OPENAI_API_KEY;
  delete clean.INTERCOM_TOKEN;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd: process.cwd(),
      env: { ...clean, ...env },
      encoding: 'utf8',
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const mapping = (ws: string) => readFileSync(path.join(ws, 'migration', 'mapping.json'), 'utf8');

test('map propose --ai with a base URL writes AI proposals into mapping.json', async () => {
  const ws = path.join(dir, 'ws-ai');
  const from = stub.requests.length;
  const result = await st2ic(
    {},
    'map',
    'propose',
    '--source',
    source,
    '--workspace',
    ws,
    '--ai',
    '--ai-base-url',
    stub.url,
    '--ai-model',
    'stub-model',
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /proposed by AI \(stub-model\)/u);
  assert.match(result.stderr, /INTERCOM_TOKEN is not set/u);
  assert.equal(stub.requests.length - from, 1);
  assert.equal(JSON.parse(stub.requests[from]!.body).model, 'stub-model');
  const map = MappingFile.parse(JSON.parse(mapping(ws)));
  assert.ok(
    Object.values(map.objects)
      .flatMap((o) => o.fields)
      .some((f) => f.proposal?.by === 'ai'),
  );
});

test('without --ai, and with --ai but no key nor base URL, the heuristic map is written byte for byte the same', async () => {
  const plain = path.join(dir, 'ws-plain');
  const first = await st2ic({}, 'map', 'propose', '--source', source, '--workspace', plain);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stderr, '');
  assert.match(first.stdout, /^Wrote .*mapping\.json: \d+ field mappings, \d+ with low confidence\. Review it/u);

  const keyless = path.join(dir, 'ws-keyless');
  const from = stub.requests.length;
  const second = await st2ic({}, 'map', 'propose', '--source', source, '--workspace', keyless, '--ai');
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /AI proposer not used: no OpenAI key \(OPENAI_API_KEY\) and no AI base URL/u);
  assert.match(second.stdout, /heuristic proposals only/u);
  assert.equal(mapping(keyless), mapping(plain));
  assert.equal(stub.requests.length, from);
});

test('migration/config.json can turn the AI proposer on; a failing endpoint leaves the heuristic map and says why', async () => {
  const plain = path.join(dir, 'ws-plain2');
  assert.equal((await st2ic({}, 'map', 'propose', '--source', source, '--workspace', plain)).status, 0);
  const ws = path.join(dir, 'ws-config');
  mkdirSync(path.join(ws, 'migration'), { recursive: true });
  writeFileSync(
    path.join(ws, 'migration', 'config.json'),
    JSON.stringify({ version: 1, ai: { enabled: true, baseUrl: stub.url, timeoutMs: 1000 } }),
  );
  stub.mode = 'status-401';
  try {
    const result = await st2ic(
      { OPENAI_API_KEY: 'sk-cli-secret-abcdef123456' },
      'map',
      'propose',
      '--source',
      source,
      '--workspace',
      ws,
      '--json',
    );
    assert.equal(result.status, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { ai: { used: boolean; warnings: string[] } };
    assert.equal(summary.ai.used, false);
    assert.match(summary.ai.warnings.join('\n'), /refused the key \(HTTP 401/u);
    assert.ok(
      !`${result.stdout}${result.stderr}${mapping(ws)}`.includes('sk-cli-secret-abcdef123456'),
      'the key reaches no output nor file',
    );
    assert.equal(mapping(ws), mapping(plain));
  } finally {
    stub.mode = 'good';
  }
});

test('--ai-model without --ai is a usage error', async () => {
  const result = await st2ic(
    {},
    'map',
    'propose',
    '--source',
    source,
    '--workspace',
    path.join(dir, 'ws-bad'),
    '--ai-model',
    'x',
  );
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--ai-model and --ai-base-url need --ai/u);
});
