import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

import { AttachmentSubfolder } from '../model/smartertrack-codes';
import type { AttachmentOwnerKind, AttachmentPathStatus } from '../model/source';

export interface ResolvedPath {
  readonly path: string | null;
  readonly status: AttachmentPathStatus;
}

/**
 * Where an attachment's bytes are: <root>/<subfolder of its kind>/<FileNameOnDisk>, else
 * <root>/<FileNameOnDisk>. A name that would leave the root (.., absolute paths, a symbolic link
 * pointing outside) is refused and reported as unsafe, never opened.
 */
export function resolveAttachmentPath(
  root: string | null,
  kind: AttachmentOwnerKind,
  fileNameOnDisk: string | null,
): ResolvedPath {
  const name = (fileNameOnDisk ?? '').trim();
  if (!name) return { path: null, status: 'noFileName' };
  const relative = name.replace(/\\/g, '/');
  if (path.posix.isAbsolute(relative) || /^[a-z]:/i.test(relative) || relative.split('/').includes('..')) {
    return { path: null, status: 'unsafe' };
  }
  if (!root) return { path: null, status: 'noRoot' };
  const base = path.resolve(root);
  for (const candidate of [path.join(base, AttachmentSubfolder[kind], relative), path.join(base, relative)]) {
    if (!isInside(base, candidate)) return { path: null, status: 'unsafe' };
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      // A symbolic link inside the root may still point outside it.
      if (!isInside(realpathSync(base), realpathSync(candidate))) return { path: null, status: 'unsafe' };
      return { path: candidate, status: 'found' };
    }
  }
  return { path: null, status: 'missing' };
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
