import { randomBytes } from 'node:crypto';
import { constants as fsc, promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * The few file operations the ledger's writes go through. Production uses Node's fs; a test injects
 * a layer that fails the way a full or read-only disk does.
 */
export interface AppendFile {
  /** Writes the whole buffer at the end of the file (loops over short writes). */
  append(data: Buffer): Promise<void>;
  /** fdatasync: the data and the size needed to read it back are on stable storage. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface LedgerFs {
  openAppend(file: string): Promise<AppendFile>;
  /** temp file + fsync + rename + fsync of the directory: readers see the old or the new file, never half. */
  writeFileAtomic(file: string, data: string): Promise<void>;
}

export const nodeLedgerFs: LedgerFs = {
  async openAppend(file) {
    const handle = await fsp.open(file, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o644);
    return {
      async append(data) {
        let offset = 0;
        while (offset < data.length) {
          const { bytesWritten } = await handle.write(data, offset, data.length - offset);
          offset += bytesWritten;
        }
      },
      sync: () => handle.datasync(),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
  async writeFileAtomic(file, data) {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await fsp.open(temp, 'w', 0o644);
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, file);
    } catch (error) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncDirectory(path.dirname(file));
  },
};

/** Makes a rename or a new file's directory entry durable. Some platforms (Windows) cannot open a directory; skip there. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}
