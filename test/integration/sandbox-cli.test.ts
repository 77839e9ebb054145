import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

/** `st2ic sandbox` from source in its own process; resolves once it prints its URL and tokens. */
async function spawnSandbox(
  args: string[],
): Promise<{ child: ReturnType<typeof spawn>; url: string; out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, INTERCOM_OPENAPI: '' },
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] && out.includes('Inspect')) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`sandbox exited early (${code}): ${out}`));
    });
  });
  return { child, url, out: () => out, exited };
}

test('st2ic sandbox: prints URL and token, serves until SIGTERM, then saves its state', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-cli-'));
  const stateFile = path.join(dir, 'state.json');
  const { child, url, out: output, exited } = await spawnSandbox(['--state', stateFile, '--rate-limit', '50']);
  const out = output();
  assert.match(out, /Token: sandbox-token/);
  const created = await fetch(`${url}/contacts`, {
    method: 'POST',
    headers: { Authorization: 'Bearer sandbox-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'user', email: 'cli@example.com' }),
  });
  assert.equal(created.status, 200);
  assert.equal(created.headers.get('x-ratelimit-limit'), '50');
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(existsSync(stateFile));
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { contacts: Record<string, { email: string }> };
  assert.deepEqual(
    Object.values(state.contacts).map((c) => c.email),
    ['cli@example.com'],
  );
});

test('st2ic sandbox: a bad option is a usage error (exit code 2)', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', 'abc'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(err, /--port needs a non-negative integer/);
});

test('st2ic sandbox: a missing or malformed --seed and a missing --openapi are named with what to give (exit code 2)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-cli-'));
  try {
    writeFileSync(path.join(dir, 'not-json.json'), '{bad');
    writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ admins: 'none' }));
    const cases: [string[], RegExp][] = [
      [
        ['--seed', path.join(dir, 'nope.json')],
        /^st2ic: --seed \S+nope\.json: no such file; give a JSON file of what the API cannot create .*demo\/sandbox-seed\.json\)$/,
      ],
      [
        ['--seed', path.join(dir, 'not-json.json')],
        /^st2ic: --seed \S+not-json\.json is not a seed \(.*JSON.*\); give a JSON file/,
      ],
      [
        ['--seed', path.join(dir, 'wrong.json')],
        /^st2ic: --seed \S+wrong\.json is not a seed \(admins: .*\); give a JSON file/,
      ],
      [
        ['--openapi', path.join(dir, 'nope.yaml')],
        /^st2ic: --openapi \S+nope\.yaml: no such file; give Intercom's OpenAPI 2\.16 description/,
      ],
    ];
    for (const [args, message] of cases) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 2, `${args.join(' ')}: ${err}`);
      assert.equal(err.trim().split('\n').length, 1, err);
      assert.match(err.trim(), message);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('st2ic sandbox: several apps and their limits; bad tokens and limits are one-line usage errors (exit code 2)', async () => {
  const {
    child,
    url,
    out: output,
    exited,
  } = await spawnSandbox([
    '--tokens',
    'tok-a,tok-b',
    '--foreign-tokens',
    'tok-x',
    '--app-limit',
    '7',
    '--workspace-limit',
    '9',
  ]);
  const out = output();
  assert.match(out, /Token: tok-a,tok-b\n/);
  const me = (token: string) => fetch(`${url}/me`, { headers: { Authorization: `Bearer ${token}` } });
  const b = await me('tok-b');
  assert.equal(b.status, 200);
  assert.equal(b.headers.get('x-ratelimit-limit'), '7');
  assert.equal((await me('tok-x')).status, 200);
  assert.equal((await fetch(`${url}/admins`, { headers: { Authorization: 'Bearer tok-x' } })).status, 401);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);

  const cases: [string[], RegExp][] = [
    [['--app-limit', 'many'], /^st2ic: --app-limit needs a non-negative integer \(got many\)$/],
    [['--workspace-limit', '2.5'], /^st2ic: --workspace-limit needs a non-negative integer \(got 2\.5\)$/],
    [['--tokens', 'tok-a,,tok-b'], /^st2ic: --tokens: token 2 is empty or holds a space/],
    [['--tokens', 'tok-a,tok-a'], /^st2ic: --tokens: token 2 repeats token 1; each app has its own token$/],
    [
      ['--tokens', 'tok-a', '--foreign-tokens', 'tok-a'],
      /^st2ic: --foreign-tokens: token 1 is also one of the sandbox workspace's own/,
    ],
    [
      ['--foreign-tokens', 'sandbox-token'],
      /^st2ic: --foreign-tokens: token 1 is also one of the sandbox workspace's own/,
    ],
    [['--app-limit', '5', '--rate-limit', '6'], /^st2ic: --app-limit 5 and --rate-limit 6 name the same limit/],
  ];
  for (const [args, message] of cases) {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => bad.on('exit', resolve));
    assert.equal(code, 2, `${args.join(' ')}: ${err}`);
    assert.equal(err.trim().split('\n').length, 1, err);
    assert.match(err.trim(), message);
  }
});
