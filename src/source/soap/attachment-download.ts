import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { messageOf } from '../../model/error-message';
import { AttachmentSubfolder } from '../../model/smartertrack-codes';
import type { AttachmentPathStatus } from '../../model/source';
import type { SoapClient } from './soap-client';

/**
 * Attachment bytes through their relative downloadUrl (VERIFIED relative). The API has no "get
 * bytes" method; whether the URL needs a web session is ASSUMED (reference notes 2.5): the first
 * download is tried bare, and a redirect to the login page or a 401/403 triggers one web login
 * (POST {site}/Login.aspx, form fields username/password: ASSUMED, kept in WEB_LOGIN) whose
 * session cookie is then sent with every download. Files land in
 * <cache>/Attachments/Tickets/<fileNameOnDisk> (shared by deduplicated rows), written to a
 * temporary name and renamed once the size checks pass.
 */
const WEB_LOGIN = { path: 'Login.aspx', userField: 'username', passwordField: 'password' } as const;

export interface DownloadRequest {
  fileId: number;
  downloadUrl: string | null;
  fileNameOnDisk: string | null;
  expectedBytes: number | null;
}

export interface DownloadResult {
  path: string | null;
  status: AttachmentPathStatus;
  /** Why it failed, for the reader's notes. */
  problem?: string;
}

export class AttachmentDownloader {
  private cookie: string | null = null;
  private login: Promise<void> | null = null;
  readonly problems: string[] = [];
  downloaded = 0;
  bytes = 0;

  constructor(
    private readonly client: SoapClient,
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /** Where a file goes: a safe relative fileNameOnDisk, else the file id. */
  target(req: DownloadRequest): string {
    const base = path.join(this.dir, AttachmentSubfolder.ticket);
    const name = (req.fileNameOnDisk ?? '').replace(/\\/g, '/').trim();
    const safe = name && !path.posix.isAbsolute(name) && !/^[a-z]:/i.test(name) && !name.split('/').includes('..');
    return safe ? path.join(base, ...name.split('/')) : path.join(base, `file-${req.fileId}`);
  }

  /** Already downloaded with the expected size? */
  cached(req: DownloadRequest): string | null {
    const file = this.target(req);
    if (!existsSync(file)) return null;
    const size = statSync(file).size;
    return req.expectedBytes === null || size === req.expectedBytes ? file : null;
  }

  async download(req: DownloadRequest): Promise<DownloadResult> {
    const hit = this.cached(req);
    if (hit) return { path: hit, status: 'found' };
    if (!req.downloadUrl) return this.fail(req, 'noFileName', 'no downloadUrl');
    if (req.expectedBytes !== null && req.expectedBytes > this.maxBytes)
      return this.fail(req, 'missing', `${req.expectedBytes} bytes is over the ${this.maxBytes}-byte download limit`);
    let url: URL;
    try {
      url = new URL(req.downloadUrl, this.client.baseUrl + '/');
    } catch {
      return this.fail(req, 'unsafe', `bad downloadUrl ${req.downloadUrl}`);
    }
    // The session cookie is only ever sent to the site itself.
    if (url.origin !== new URL(this.client.baseUrl).origin)
      return this.fail(req, 'unsafe', `downloadUrl leaves the site: ${url.origin}`);

    for (let attempt = 0; attempt < 2; attempt++) {
      const sent = this.cookie;
      let res;
      try {
        res = await this.client.getStream(url.toString(), sent ? { Cookie: sent } : {});
      } catch (error) {
        // One file's network failure is that file's problem, not the thread's.
        return this.fail(req, 'missing', `download failed: ${messageOf(error)}`);
      }
      const needsLogin =
        res.status === 401 ||
        res.status === 403 ||
        ([301, 302, 303, 307].includes(res.status) && /login/i.test(String(res.headers.location ?? '')));
      if (needsLogin) {
        (res.data as unknown as { destroy?: () => void }).destroy?.();
        if (attempt > 0) return this.fail(req, 'missing', `HTTP ${res.status} even after the web login`);
        try {
          // Another download may have logged in meanwhile: then just retry with its cookie.
          if (this.cookie === sent) await this.ensureSession();
        } catch (error) {
          return this.fail(req, 'missing', messageOf(error));
        }
        continue;
      }
      if (res.status !== 200) {
        (res.data as unknown as { destroy?: () => void }).destroy?.();
        return this.fail(req, 'missing', `HTTP ${res.status}`);
      }
      return this.save(req, res.data as unknown as NodeJS.ReadableStream);
    }
    return this.fail(req, 'missing', 'download failed');
  }

  private async save(req: DownloadRequest, body: NodeJS.ReadableStream): Promise<DownloadResult> {
    const file = this.target(req);
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.part-${randomBytes(4).toString('hex')}`;
    let count = 0;
    const limit = Math.min(this.maxBytes, req.expectedBytes ?? this.maxBytes);
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        count += chunk.length;
        if (count > limit) done(new Error(`more than ${limit} bytes`));
        else done(null, chunk);
      },
    });
    // Opened before streaming, and closed before removal, so a failed download never leaves a partial file behind.
    const out = (await open(temp, 'w')).createWriteStream();
    try {
      await pipeline(body, meter, out);
    } catch (error) {
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      rmSync(temp, { force: true });
      return this.fail(req, 'missing', `download stopped: ${messageOf(error)}`);
    }
    if (req.expectedBytes !== null && count !== req.expectedBytes) {
      rmSync(temp, { force: true });
      return this.fail(req, 'missing', `got ${count} bytes, expected ${req.expectedBytes}`);
    }
    renameSync(temp, file);
    this.downloaded++;
    this.bytes += count;
    return { path: file, status: 'found' };
  }

  private async ensureSession(): Promise<void> {
    this.login ??= (async () => {
      const { user, password } = this.client.credentials;
      const res = await this.client.postForm(`${this.client.baseUrl}/${WEB_LOGIN.path}`, {
        [WEB_LOGIN.userField]: user,
        [WEB_LOGIN.passwordField]: password,
      });
      const cookies = ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0]!.trim())
        .filter(Boolean);
      if (!cookies.length)
        throw new Error(
          `the web login of user "${user}" at /${WEB_LOGIN.path} gave no session cookie (HTTP ${res.status})`,
        );
      this.cookie = cookies.join('; ');
    })().finally(() => {
      this.login = null;
    });
    await this.login;
  }

  private fail(req: DownloadRequest, status: AttachmentPathStatus, problem: string): DownloadResult {
    const text = `attachment ${req.fileId}: ${this.client.redact(problem)}`;
    if (this.problems.length < 100) this.problems.push(text);
    return { path: null, status, problem: text };
  }
}
