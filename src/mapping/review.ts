import { createHash } from 'node:crypto';

import { type Clock, systemClock } from '../model/clock';
import type { MappingFile, ReviewStatus } from '../model/mapping';
import { MappingError } from './errors';

/** JSON with object keys sorted, so the hash does not depend on key order or formatting. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of what the map says (everything but its review block and $schema pointer). */
export function contentHash(file: MappingFile): string {
  const { review: _review, $schema: _schema, ...content } = file;
  return createHash('sha256').update(stableStringify(content)).digest('hex');
}

/** Stamps the map reviewed (allows a sample) or approved (allows full and delta) by a named person. */
export function confirmMap(
  file: MappingFile,
  level: 'reviewed' | 'approved',
  by: string,
  clock: Clock = systemClock,
): MappingFile {
  const who = by.trim();
  if (who === '') throw new Error('a reviewer name is required to confirm the map');
  const stamp = { by: who, at: clock.now().toISOString(), hash: contentHash(file) };
  const review =
    level === 'approved'
      ? {
          status: 'approved' as const,
          reviewed: file.review.reviewed?.hash === stamp.hash ? file.review.reviewed : stamp,
          approved: stamp,
        }
      : { status: 'reviewed' as const, reviewed: stamp };
  return { ...file, review };
}

export type RunKind = 'configure' | 'sample' | 'full' | 'delta' | 'dry-run';

export class MapNotConfirmedError extends MappingError {
  override readonly name = 'MapNotConfirmedError';
}

/** What the map's review allows now: the stamp must match the current content. */
export function effectiveStatus(file: MappingFile): ReviewStatus {
  const hash = contentHash(file);
  if (file.review.status === 'approved' && file.review.approved?.hash === hash) return 'approved';
  if ((file.review.status === 'approved' || file.review.status === 'reviewed') && file.review.reviewed?.hash === hash)
    return 'reviewed';
  return 'draft';
}

/** The engine's gate: no record moves under a map that is not confirmed for this kind of run. */
export function assertRunAllowed(file: MappingFile, kind: RunKind): void {
  // Configuring creates the attributes the map names, so it needs a reviewed map, as a sample does.
  const needed: ReviewStatus =
    kind === 'full' || kind === 'delta' ? 'approved' : kind === 'sample' || kind === 'configure' ? 'reviewed' : 'draft';
  const status = effectiveStatus(file);
  const rank = { draft: 0, reviewed: 1, approved: 2 } as const;
  if (rank[status] >= rank[needed]) return;
  const stamped = file.review.status !== 'draft' && status === 'draft';
  const changed = stamped || (file.review.status === 'approved' && status !== 'approved');
  throw new MapNotConfirmedError(
    changed
      ? `mapping.json changed since it was ${file.review.status}; a ${kind} run needs it ${needed} again (st2ic map confirm${needed === 'approved' ? ' --approve' : ''})`
      : `a ${kind} run needs the map ${needed}; it is ${status} (st2ic map confirm --reviewer <name>${needed === 'approved' ? ' --approve' : ''})`,
  );
}
