import { stableStringify } from '../mapping/review';
import { sha256 } from './write';

/** Short digest of what was written, kept on the record so delta finds what changed. */
export function fingerprint(value: unknown): string {
  return sha256(stableStringify(value)).slice(0, 24);
}
