import { type ChildProcess, spawn } from 'node:child_process';

/** `st2ic sandbox` in a child process, as a rehearsal runs it, so a test can SIGKILL it. */
export interface SandboxProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
  output: () => string;
}

export async function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, INTERCOM_OPENAPI: '' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        child.stdout.off('data', look);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => reject(new Error(`sandbox exited early (${String(code)}): ${out}`)));
  });
  return { child, url, exited, output: () => out };
}
