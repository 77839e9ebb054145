import { spawn } from 'node:child_process';
import path from 'node:path';

// The built CLI (npm run build), run as a user would run it, in its own process.
const cli = path.resolve('dist/cli.js');

export interface CliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `st2ic <args>` with the given environment added; never throws on a non-zero exit. */
export function st2ic(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ args, code: code ?? -1, stdout, stderr }));
  });
}

export const describeRun = (r: CliRun): string =>
  `st2ic ${r.args.join(' ')} → ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
