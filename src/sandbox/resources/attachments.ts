import { MAX_FILES_PER_PART } from '../../model/intercom-limits';
import { ApiError } from '../http/errors';
import type { Store } from '../state/store';
import type { Attachment } from '../state/types';

/** Intercom accepts at most 10 attachment URLs and 10 attachment files per request. */
const MAX_ATTACHMENTS = MAX_FILES_PER_PART;

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

function tooMany(field: string): ApiError {
  return new ApiError(400, 'parameter_invalid', `${field} can have at most ${MAX_ATTACHMENTS} items`, { field });
}

/** Reads `attachment_urls` and `attachment_files` (files win when both are given, as Intercom documents). */
export function readAttachments(store: Store, body: Record<string, unknown>, allowFiles: boolean): Attachment[] {
  const urls = body.attachment_urls;
  const files = body.attachment_files;
  let fromUrls: Attachment[] = [];
  if (urls !== undefined && urls !== null) {
    if (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string'))
      throw new ApiError(400, 'parameter_invalid', 'attachment_urls must be a list of URLs', {
        field: 'attachment_urls',
      });
    if (urls.length > MAX_ATTACHMENTS) throw tooMany('attachment_urls');
    fromUrls = (urls as string[]).map((url) => {
      let name = url;
      try {
        name = decodeURIComponent(new URL(url).pathname.split('/').pop() || url);
      } catch {
        throw new ApiError(400, 'parameter_invalid', `attachment_urls contains an invalid URL: ${url}`, {
          field: 'attachment_urls',
        });
      }
      const ext = name.split('.').pop()?.toLowerCase() ?? '';
      return {
        type: 'upload',
        name,
        url,
        content_type: CONTENT_TYPES[ext] ?? 'application/octet-stream',
        filesize: 0,
        width: null,
        height: null,
      };
    });
  }
  if (files === undefined || files === null) return fromUrls;
  if (!allowFiles) throw new ApiError(400, 'bad_request', "bad 'attachment_files' parameter");
  if (!Array.isArray(files))
    throw new ApiError(400, 'parameter_invalid', 'attachment_files must be a list', { field: 'attachment_files' });
  if (files.length > MAX_ATTACHMENTS) throw tooMany('attachment_files');
  return files.map((file: unknown, i) => {
    const f = (file ?? {}) as Record<string, unknown>;
    if (typeof f.name !== 'string' || typeof f.content_type !== 'string' || typeof f.data !== 'string') {
      throw new ApiError(
        400,
        'parameter_invalid',
        `attachment_files[${i}] needs name, content_type and data (base64)`,
        { field: 'attachment_files' },
      );
    }
    if (!/^[A-Za-z0-9+/=\s]*$/.test(f.data))
      throw new ApiError(400, 'parameter_invalid', `attachment_files[${i}].data is not base64`, {
        field: 'attachment_files',
      });
    const n = store.nextNumber('attachment');
    store.files.put(n, Buffer.from(f.data, 'base64'));
    return {
      type: 'upload',
      name: f.name,
      url: `https://downloads.intercomcdn.com/sandbox/${n}/${encodeURIComponent(f.name)}`,
      content_type: f.content_type,
      filesize: Buffer.from(f.data, 'base64').length,
      width: null,
      height: null,
    };
  });
}

/** Where Intercom's file host puts a file: the sandbox keeps the address, and serves the bytes itself. */
const SANDBOX_FILE = /^https:\/\/downloads\.intercomcdn\.com\/sandbox\/(\d+)\/([^/]+)$/;

/** An attachment as the API renders it: a file the sandbox holds is served from `/__sandbox/files/<n>/<name>`. */
export function withFileUrl(store: Store, a: Attachment): Attachment {
  const m = SANDBOX_FILE.exec(a.url);
  return m && store.publicUrl ? { ...a, url: `${store.publicUrl}/__sandbox/files/${m[1]}/${m[2]}` } : a;
}
