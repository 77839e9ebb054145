import type { FetchFile } from './types';

/** Intercom serves attachments at public (signed) URLs; a file that does not come within this is not compared. */
const TIMEOUT_MS = 15_000;

/** Downloads an attachment from the URL Intercom gives for it; null when it cannot be fetched. */
export const fetchServedFile: FetchFile = async (url) => {
  if (!/^https?:\/\//.test(url)) return null;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) return null;
    return Buffer.from(await res.arrayBuffer());
  } catch {
    return null;
  }
};
