import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { fileTypeFromBuffer } from 'file-type';
import mime from 'mime-types';

import { MAX_ATTACHMENT_BYTES, MAX_FILES_PER_PART } from '../model/intercom-limits';
import type { Attachment } from '../model/source';
import { RecordError } from './errors';

// Re-exported: the limits are defined once in src/model/intercom-limits.ts.
export { MAX_FILES_PER_PART };

export interface AttachmentFile {
  name: string;
  content_type: string;
  data: string;
}

/** Reads an attachment's bytes, checks size, detects its type from content (then extension). */
export async function readAttachment(att: Attachment): Promise<AttachmentFile> {
  const name = att.originalName?.trim() || att.fileNameOnDisk || `attachment-${att.id}`;
  const where = `attachment ${att.id} ("${name}") of ${att.owner.kind} ${att.owner.id}`;
  if (!att.path || att.pathStatus !== 'found') {
    const why = {
      missing: 'its file is missing on disk',
      unsafe: 'its path leaves the attachments folder',
      noRoot: 'no attachments folder was given (--attachments)',
      noFileName: 'it has no file name on disk',
      found: 'no path',
    }[att.pathStatus];
    throw new RecordError(
      `${where}: ${why}${att.path ? ` (${att.path})` : ''}`,
      'attachment_missing',
      'FileNameOnDisk',
    );
  }
  const info = await stat(att.path).catch(() => null);
  if (!info)
    throw new RecordError(
      `${where}: its file is missing on disk (${att.path})`,
      'attachment_missing',
      'FileNameOnDisk',
    );
  if (info.size === 0) throw new RecordError(`${where}: the file is empty (0 bytes)`, 'attachment_empty', 'Length');
  if (info.size > MAX_ATTACHMENT_BYTES) {
    throw new RecordError(
      `${where}: ${info.size} bytes is over the ${MAX_ATTACHMENT_BYTES}-byte limit for inline files`,
      'attachment_too_large',
      'Length',
    );
  }
  const bytes = await readFile(att.path);
  const detected = await fileTypeFromBuffer(bytes);
  const byName = mime.lookup(path.extname(name)) || mime.lookup(att.path);
  return {
    name,
    content_type: detected?.mime ?? (byName || 'application/octet-stream'),
    data: bytes.toString('base64'),
  };
}
