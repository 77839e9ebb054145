import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The bytes of the files sent with replies, so the sandbox serves them at their URL as Intercom does
 * (a migration's files can then be downloaded and compared). Kept beside the state file, one file per
 * attachment, written and synced before the reply that carries it is answered; in memory without one.
 */
export class FileStore {
  private readonly memory = new Map<number, Buffer>();

  constructor(private readonly dir: string | undefined) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  static besideState(stateFile: string | undefined): FileStore {
    return new FileStore(stateFile ? `${stateFile}.files` : undefined);
  }

  put(n: number, bytes: Buffer): void {
    if (!this.dir) {
      this.memory.set(n, bytes);
      return;
    }
    const fd = openSync(path.join(this.dir, String(n)), 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  get(n: number): Buffer | undefined {
    if (!this.dir) return this.memory.get(n);
    try {
      return readFileSync(path.join(this.dir, String(n)));
    } catch {
      return undefined;
    }
  }
}
