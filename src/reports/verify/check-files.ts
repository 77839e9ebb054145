import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import type { Attachment } from '../../model/source';
import type { PartView } from './intercom-parts';
import type { FetchFile } from './types';

interface FileDifference {
  field: string;
  source: string;
  intercom: string;
}

export interface FileCheck {
  differences: FileDifference[];
  /** False when Intercom's copy could not be downloaded, so its content was not compared. */
  contentCompared: boolean;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The file's name as SmarterTrack shows it (the name it was sent with, else the one on disk). */
const sourceFileName = (att: Attachment): string =>
  att.originalName?.trim() || att.fileNameOnDisk?.trim() || `attachment ${att.id}`;

/**
 * A migrated file is on the conversation with the source's name, size and content. `preferred`: the
 * part the ledger says carries it; any part of the conversation will do (files past ten per part
 * travel on the notes after it).
 */
export async function fileDifferences(
  att: Attachment,
  parts: readonly PartView[],
  preferred: string | undefined,
  fetchFile: FetchFile | undefined,
): Promise<FileCheck> {
  const name = sourceFileName(att);
  let bytes: Buffer;
  try {
    if (!att.path) throw new Error('no path');
    bytes = await readFile(att.path);
  } catch {
    // The source file cannot be read now: what it held cannot be compared.
    return {
      differences: [
        { field: 'file', source: `${name} (its file cannot be read in the source now)`, intercom: '(not compared)' },
      ],
      contentCompared: false,
    };
  }
  const ordered = [...parts].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
  const candidates = ordered.flatMap((p) =>
    p.attachments.filter((f) => f.name.trim() === name).map((f) => ({ part: p, file: f })),
  );
  if (candidates.length === 0) {
    const onPart = parts.find((p) => p.id === preferred)?.attachments.map((f) => f.name) ?? [];
    return {
      differences: [
        {
          field: 'file name',
          source: `${name} (${bytes.length} bytes)`,
          intercom: onPart.length
            ? `part ${preferred} has ${onPart.join(', ')}`
            : 'no file of that name on the conversation',
        },
      ],
      contentCompared: false,
    };
  }
  const sized = candidates.find((c) => c.file.size === bytes.length);
  if (!sized)
    return {
      differences: [
        {
          field: 'file size',
          source: `${name}: ${bytes.length} bytes`,
          intercom: `${candidates[0]!.file.size ?? 'unknown'} bytes`,
        },
      ],
      contentCompared: false,
    };
  if (!fetchFile || !sized.file.url) return { differences: [], contentCompared: false };
  const served = await fetchFile(sized.file.url);
  if (served === null) return { differences: [], contentCompared: false };
  const want = sha256(bytes);
  const got = sha256(served);
  return {
    differences:
      want === got ? [] : [{ field: 'file content', source: `${name}: sha256 ${want}`, intercom: `sha256 ${got}` }],
    contentCompared: true,
  };
}
