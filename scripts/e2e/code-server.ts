// Starts code-server in its own process group on 127.0.0.1 and stops the whole group.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before answering`);
    try {
      const response = await globalThis.fetch(`${url}/healthz`, { signal: globalThis.AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

export interface CodeServerOptions {
  nodeBin: string;
  entry: string;
  /** Receives user-data/ and extensions/ (fresh per run). */
  dir: string;
  logFile: string;
  extraArgs?: string[];
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

export async function startCodeServer({
  nodeBin,
  entry,
  dir,
  logFile,
  extraArgs = [],
}: CodeServerOptions): Promise<CodeServer> {
  const port = await freePort();
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    // The built workbench honours the test payload (extensionTestsPath) only with the smoke-test driver.
    '--vscode-option',
    'enable-smoke-test-driver',
    ...extraArgs,
  ];
  // setsid: code-server forks a watcher and extension hosts; a process group lets us stop them all.
  const child = spawn('setsid', [nodeBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    url,
    port,
    userDataDir,
    extensionsDir,
    async stop() {
      await killGroup(child);
      log.end();
    },
  };
  try {
    await waitHealthy(url, child, 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // group already gone
    }
  };
  if (!signalGroup('SIGTERM')) return;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    await sleep(100);
    if (!signalGroup(0)) return;
  }
  signalGroup('SIGKILL');
}
