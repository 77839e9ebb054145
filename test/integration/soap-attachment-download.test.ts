import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AttachmentDownloader } from '../../src/source/soap/attachment-download';
import { SoapClient } from '../../src/source/soap/soap-client';
import { type ScriptedAnswer, type ScriptedServer, startScriptedServer } from '../helpers/scripted-http-server';

/** The download path's checks, against a scripted server: sizes, origin, cache, login, network failure. */

let dir: string;
let server: ScriptedServer;
let client: SoapClient;
const PASSWORD = 'dl-Secret-91';

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-soap-dl-'));
  server = await startScriptedServer((req): ScriptedAnswer => {
    if (req.path === '/Login.aspx')
      return {
        status: 302,
        headers: { Location: '/Main/Default.aspx', 'Set-Cookie': 'ASP.NET_SessionId=abc; path=/; HttpOnly' },
      };
    if (req.path.startsWith('/needs-login') && !/ASP\.NET_SessionId=abc/.test(String(req.headers.cookie ?? '')))
      return { status: 302, headers: { Location: '/Login.aspx?ReturnUrl=x' } };
    if (req.path.startsWith('/drop')) return 'drop';
    return { status: 200, body: 'abcdef' }; // 8 bytes on the wire: "abcdef" with its quotes
  });
  client = new SoapClient({
    baseUrl: server.url,
    user: 'api',
    password: PASSWORD,
    servicesRoot: 'Services2',
    attempts: 1,
  });
});
after(async () => {
  client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const files = (sub: string) => (existsSync(sub) ? readdirSync(sub) : []);

test('a file of the announced size is stored under Attachments/Tickets/<fileNameOnDisk>, then reused from the cache', async () => {
  const d = new AttachmentDownloader(client, path.join(dir, 'a'), 1_000_000);
  const req = { fileId: 1, downloadUrl: 'files/get.aspx?fileId=1', fileNameOnDisk: '2024/01/x.bin', expectedBytes: 8 };
  const first = await d.download(req);
  assert.equal(first.status, 'found');
  assert.equal(first.path, path.join(dir, 'a', 'Attachments', 'Tickets', '2024', '01', 'x.bin'));
  assert.equal(readFileSync(first.path!, 'utf8'), '"abcdef"');
  const seen = server.requests.length;
  assert.deepEqual(await d.download(req), { path: first.path, status: 'found' });
  assert.equal(server.requests.length, seen, 'no second request');
});

test('more bytes than announced, or over the ceiling: missing, and no partial file left', async () => {
  const d = new AttachmentDownloader(client, path.join(dir, 'b'), 1_000_000);
  const r1 = await d.download({ fileId: 2, downloadUrl: '/f?2', fileNameOnDisk: 'two.bin', expectedBytes: 5 });
  assert.equal(r1.status, 'missing');
  assert.match(r1.problem!, /more than 5 bytes/);
  const r2 = await d.download({ fileId: 3, downloadUrl: '/f?3', fileNameOnDisk: 'three.bin', expectedBytes: 20 });
  assert.match(r2.problem!, /got 8 bytes, expected 20/);
  const small = new AttachmentDownloader(client, path.join(dir, 'b'), 4);
  assert.match(
    (await small.download({ fileId: 4, downloadUrl: '/f?4', fileNameOnDisk: 'four.bin', expectedBytes: null }))
      .problem!,
    /more than 4 bytes/,
  );
  assert.match(
    (await small.download({ fileId: 5, downloadUrl: '/f?5', fileNameOnDisk: 'five.bin', expectedBytes: 10 })).problem!,
    /over the 4-byte download limit/,
  );
  assert.deepEqual(files(path.join(dir, 'b', 'Attachments', 'Tickets')), []);
});

test('a downloadUrl leaving the site is refused before any request; unsafe names fall back to the file id', async () => {
  const d = new AttachmentDownloader(client, path.join(dir, 'c'), 1_000_000);
  const seen = server.requests.length;
  const r = await d.download({
    fileId: 6,
    downloadUrl: 'https://elsewhere.example/f?6',
    fileNameOnDisk: 'six.bin',
    expectedBytes: 8,
  });
  assert.equal(r.status, 'unsafe');
  assert.equal(server.requests.length, seen);
  const ok = await d.download({ fileId: 7, downloadUrl: '/f?7', fileNameOnDisk: '../../etc/passwd', expectedBytes: 8 });
  assert.equal(ok.path, path.join(dir, 'c', 'Attachments', 'Tickets', 'file-7'));
});

test("a redirect to the login page logs in once; the password goes only to the site's login form", async () => {
  const d = new AttachmentDownloader(client, path.join(dir, 'd'), 1_000_000);
  const start = server.requests.length;
  const results = await Promise.all(
    [8, 9, 10].map((id) =>
      d.download({
        fileId: id,
        downloadUrl: `/needs-login?fileId=${id}`,
        fileNameOnDisk: `f${id}.bin`,
        expectedBytes: 8,
      }),
    ),
  );
  assert.deepEqual(
    results.map((r) => r.status),
    ['found', 'found', 'found'],
  );
  const logins = server.requests.slice(start).filter((r) => r.path === '/Login.aspx');
  assert.equal(logins.length, 1);
  assert.equal(new URLSearchParams(logins[0]!.body).get('password'), PASSWORD);
  assert.ok(
    server.requests
      .slice(start)
      .filter((r) => r.path !== '/Login.aspx')
      .every((r) => !r.path.includes(PASSWORD) && !JSON.stringify(r.headers).includes(PASSWORD)),
  );
});

test('a dropped connection makes that file missing instead of failing the thread', async () => {
  const d = new AttachmentDownloader(client, path.join(dir, 'e'), 1_000_000);
  const r = await d.download({ fileId: 11, downloadUrl: '/drop?11', fileNameOnDisk: 'eleven.bin', expectedBytes: 8 });
  assert.equal(r.status, 'missing');
  assert.match(r.problem!, /download failed/);
  assert.equal(d.problems.length, 1);
});
