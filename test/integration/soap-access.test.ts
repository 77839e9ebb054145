import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import axios from 'axios';
import Database from 'better-sqlite3';

import { openSource } from '../../src/source/open-source';
import { SoapAuthError, SoapOperationError, SoapTransportError } from '../../src/source/soap/errors';
import type { SoapSourceReader } from '../../src/source/soap/soap-reader';
import type { SoapFixture } from '../fixtures/soap/server';
import { collect, FIXTURE_PASSWORD, type SoapDataset, soapDataset } from '../support/soap-dataset';

/** Credentials, service roots, visibility and partitioning of the Web Services reader, against the SOAP fixture. */

let ds: SoapDataset;
let fixture: SoapFixture;
let group3Tickets: number[];
let ticketWithAttachment: number;
const API_USER = 'api.integration'; // member of group 3 (Billing) only

before(async () => {
  ds = await soapDataset(0.3);
  fixture = await ds.start({ agentUserName: API_USER });
  const db = new Database(ds.databasePath, { readonly: true });
  group3Tickets = (
    db.prepare('SELECT TicketID FROM st_Tickets WHERE GroupID = 3 ORDER BY TicketID').all() as { TicketID: number }[]
  ).map((r) => r.TicketID);
  ticketWithAttachment = (
    db
      .prepare(
        'SELECT a.TicketID FROM st_TicketAttachments a JOIN st_Tickets t ON t.TicketID = a.TicketID WHERE t.GroupID = 3 AND a.IsDeleted = 0 ORDER BY a.TicketID LIMIT 1',
      )
      .get() as { TicketID: number }
  ).TicketID;
  db.close();
});
after(async () => {
  await fixture?.close();
  ds?.remove();
});

const open = (options: { password?: string; url?: string; splitThreshold?: number } = {}) =>
  openSource(
    { kind: 'soap', baseUrl: options.url ?? fixture.url, user: API_USER },
    {
      password: options.password ?? FIXTURE_PASSWORD,
      soap: {
        downloadAttachments: false,
        ...(options.splitThreshold ? { splitThreshold: options.splitThreshold } : {}),
      },
    },
  ) as Promise<SoapSourceReader>;

test('a wrong password fails at open time, naming the operation and the user, never the password', async () => {
  const wrong = 'wrong-Pa55-word';
  await assert.rejects(open({ password: wrong }), (error: Error) => {
    assert.ok(error instanceof SoapAuthError, error.message);
    assert.match(error.message, /svcOrganization\.ValidateAgent/);
    assert.match(error.message, /"api\.integration"/);
    assert.ok(!error.message.includes(wrong) && !error.message.includes(FIXTURE_PASSWORD));
    return true;
  });
  const last = fixture.calls.at(-1)!;
  assert.deepEqual([last.operation, last.ok], ['ValidateAgent', false]);
});

test('an in-band error of a later call names the service, the operation, the user and the service message', async () => {
  const reader = await open();
  try {
    await assert.rejects(
      reader.client.call('svcTickets', 'GetTicketPropertiesList', [['ticketNumber', 'no-such-ticket']]),
      (error: Error) => {
        assert.ok(error instanceof SoapOperationError);
        assert.match(
          error.message,
          /svcTickets\.GetTicketPropertiesList as user "api\.integration" failed \(ResultCode 1\): Ticket not found/,
        );
        return true;
      },
    );
  } finally {
    await reader.close();
  }
});

test('the /Services2 root is probed first; /Services answers 404 on a current install', async () => {
  const legacy = await axios.get(`${fixture.url}/Services/svcTickets.asmx?WSDL`, { validateStatus: () => true });
  assert.equal(legacy.status, 404);
  const reader = await open();
  try {
    assert.equal(reader.client.servicesRoot, 'Services2');
    assert.equal((await reader.describe()).location, `${fixture.url}/Services2`);
  } finally {
    await reader.close();
  }
});

test('a legacy install without /Services2 is read through /Services', async () => {
  const legacyFixture = await ds.start({ agentUserName: API_USER, servicesRoot: 'Services' });
  try {
    const reader = await open({ url: legacyFixture.url });
    try {
      const description = await reader.describe();
      assert.equal(description.location, `${legacyFixture.url}/Services`);
      assert.ok(description.versionHints.some((h) => /legacy path/.test(h)));
      assert.deepEqual(
        (await collect(reader.tickets())).map((t) => t.id),
        group3Tickets,
      );
    } finally {
      await reader.close();
    }
  } finally {
    await legacyFixture.close();
  }
});

test('a site without Web Services is refused with both URLs tried', async () => {
  await assert.rejects(open({ url: `${fixture.url}/nothing-here` }), (error: Error) => {
    assert.ok(error instanceof SoapTransportError);
    assert.match(
      error.message,
      /nothing-here\/Services2\/svcTickets\.asmx\?WSDL and .*nothing-here\/Services\/svcTickets\.asmx\?WSDL/,
    );
    return true;
  });
});

test("visibility follows the API agent's groups and is reported", async () => {
  const reader = await open();
  try {
    const tickets = await collect(reader.tickets());
    assert.ok(group3Tickets.length > 5);
    assert.deepEqual(
      tickets.map((t) => t.id),
      group3Tickets,
    );
    assert.ok((await collect(reader.callLogs())).every((c) => c.groupId === 3));
    const hints = (await reader.describe()).versionHints.join('\n');
    assert.match(
      hints,
      /API user "api\.integration" \(agent #12\) sees the tickets and call logs of its groups only: 3 Billing/,
    );
    assert.match(
      hints,
      /Not visible to the API user .*: 1 Ledgerly Front Line, 2 Ledgerly Tier 2, 4 Fieldnote Front Line/,
    );
    assert.deepEqual((await reader.index()).figures.nonMemberGroupsWithTickets, []);
  } finally {
    await reader.close();
  }
});

test('every group is searched: an account that sees more than its groups is read in full, and the report says so', async () => {
  const adminFixture = await ds.start({ agentUserName: API_USER, seesAllGroups: true });
  try {
    const reader = await open({ url: adminFixture.url });
    try {
      const db = new Database(ds.databasePath, { readonly: true });
      const all = (db.prepare('SELECT TicketID FROM st_Tickets ORDER BY TicketID').all() as { TicketID: number }[]).map(
        (r) => r.TicketID,
      );
      db.close();
      assert.deepEqual(
        (await collect(reader.tickets())).map((t) => t.id),
        all,
      );
      const hints = (await reader.describe()).versionHints.join('\n');
      assert.match(
        hints,
        /not a member of that still returned tickets .*: 1 Ledgerly Front Line, 2 Ledgerly Tier 2, 4 Fieldnote Front Line/,
      );
    } finally {
      await reader.close();
    }
  } finally {
    await adminFixture.close();
  }
});

test('large search partitions are split by agent; rows are deduplicated by id', async () => {
  const reader = await open({ splitThreshold: 3 });
  try {
    assert.deepEqual(
      (await collect(reader.tickets())).map((t) => t.id),
      group3Tickets,
    );
    const { figures } = await reader.index();
    assert.ok(figures.splitPartitions > 0, JSON.stringify(figures));
    assert.ok(figures.duplicatesDropped > 0, JSON.stringify(figures));
    assert.ok(fixture.calls.some((c) => c.operation === 'GetAgentsForGroup'));
  } finally {
    await reader.close();
  }
});

test('the fixture speaks the documented wire format: alphabetical elements, late members last, lower-camel attachments, WSDL', async () => {
  const post = async (op: string, inner: string) =>
    (
      await axios.post<string>(
        `${fixture.url}/Services2/svcTickets.asmx`,
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><${op} xmlns="http://www.smartertools.com/SmarterTrack/Services2/svcTickets.asmx"><authUserName>${API_USER}</authUserName><authPassword>${FIXTURE_PASSWORD}</authPassword>${inner}</${op}></soap:Body></soap:Envelope>`,
        {
          headers: {
            'Content-Type': 'text/xml; charset=utf-8',
            SOAPAction: `"http://www.smartertools.com/SmarterTrack/Services2/svcTickets.asmx/${op}"`,
          },
          responseType: 'text',
        },
      )
    ).data;
  /** Child element names of the first <element> (its children are all scalar). */
  const tagsOf = (xml: string, element: string) => {
    const inner = new RegExp(`<${element}>(.*?)</${element}>`).exec(xml)?.[1] ?? '';
    return [...inner.replace(/<\/\w+>/g, '').matchAll(/<(\w+)\s*\/?>/g)].map((m) => m[1]!);
  };
  const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const search = await post('GetTicketsBySearch', '<searchCriteria><string>GroupId=3</string></searchCriteria>');
  assert.match(
    search,
    /<GetTicketsBySearchResult><Message\/><Result>true<\/Result><ResultCode>0<\/ResultCode><Tickets><TicketInfo>/,
  );
  const ticketTags = tagsOf(search, 'TicketInfo');
  assert.deepEqual(ticketTags, [...ticketTags].sort(ordinal));
  assert.ok(ticketTags.indexOf('ID') < ticketTags.indexOf('IdAgent'));
  assert.deepEqual(
    tagsOf(await post('GetTicketConversationPartList', `<ticketId>${group3Tickets[0]}</ticketId>`), 'TicketPartInfo'),
    ['CreationDateUtc', 'Description', 'Direction', 'PartId', 'Recipient', 'Sender', 'Type', 'IsDraft'],
  );
  assert.deepEqual(
    tagsOf(await post('GetTicketAttachments', `<ticketId>${ticketWithAttachment}</ticketId>`), 'TicketAttachmentInfo'),
    [
      'downloadUrl',
      'fileDateUtc',
      'fileId',
      'fileNameOnDisk',
      'fileNameOriginal',
      'fileSizeInBytes',
      'sender',
      'senderUserId',
      'ticketMessageId',
    ],
  );
  const wsdl = (await axios.get<string>(`${fixture.url}/Services2/svcTickets.asmx?WSDL`, { responseType: 'text' }))
    .data;
  assert.match(wsdl, /<wsdl:operation name="GetTicketsBySearch">/);
  assert.match(
    wsdl,
    /soapAction="http:\/\/www\.smartertools\.com\/SmarterTrack\/Services2\/svcTickets\.asmx\/GetTicketsBySearch"/,
  );
});

function st2ic(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve('src/cli/main.ts'), ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

test('st2ic scope --source https://user@site reads the Web Services and reports what they cannot give', async () => {
  const source = fixture.url.replace('http://', `http://${API_USER}@`);
  const ws = path.join(ds.dir, 'ws');
  const ok = await st2ic(['scope', '--source', source, '--workspace', ws, '--json'], {
    SMARTERTRACK_PASSWORD: FIXTURE_PASSWORD,
  });
  assert.equal(ok.code, 0, ok.stderr);
  const summary = JSON.parse(ok.stdout) as { counts: Record<string, number> };
  assert.equal(summary.counts.tickets, group3Tickets.length);
  const markdown = readFileSync(path.join(ws, 'migration/reports/scope.md'), 'utf8');
  assert.match(markdown, /not available through the Web Services: live chats/);
  assert.match(markdown, /Not visible to the API user/);

  const noPassword = await st2ic(['scope', '--source', source, '--workspace', ws], { SMARTERTRACK_PASSWORD: '' });
  assert.equal(noPassword.code, 2);
  assert.match(noPassword.stderr, /no password for "api\.integration"; set SMARTERTRACK_PASSWORD/);

  const wrong = await st2ic(['scope', '--source', source, '--workspace', ws], {
    SMARTERTRACK_PASSWORD: 'nope-Secret-42',
  });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /refused the credentials of user "api\.integration" on svcOrganization\.ValidateAgent/);
  assert.ok(!wrong.stderr.includes('nope-Secret-42'));
});
