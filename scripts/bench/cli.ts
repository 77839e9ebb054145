import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = process.cwd();

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Extra node flags for the CLI's processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (not allowed in NODE_OPTIONS). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

/** Runs the st2ic CLI from source (tsx) in its own process, as a user would run it. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runScript('src/cli/main.ts', args, env);
}

/** Runs a TypeScript entry point of this repository (tsx) in its own process. */
export function runScript(file: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, '--import', 'tsx', path.join(ROOT, file), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
