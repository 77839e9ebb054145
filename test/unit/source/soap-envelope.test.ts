import assert from 'node:assert/strict';
import { test } from 'node:test';

import { flatFields } from '../../../src/source/soap/directory';
import { buildRequest, child, items, parseResponse, text } from '../../../src/source/soap/envelope';
import { keyValueList, KeyValues } from '../../../src/source/soap/key-values';
import { TicketAttachmentInfo, TicketInfo } from '../../../src/source/soap/schemas';
import { credentialNames, isReadOnlyOperation, soapAction } from '../../../src/source/soap/services';
import { senderAddress, senderName } from '../../../src/source/soap/soap-reader';

test('requests carry the exact namespace, the credentials first and string lists as ArrayOfString, escaped', () => {
  const xml = buildRequest({
    service: 'svcTickets',
    operation: 'GetTicketsBySearch',
    user: 'api',
    password: 'p<&>"w',
    params: [['searchCriteria', ['GroupId=4', 'IsOpen=true']]],
  });
  assert.match(xml, /<soap:Envelope xmlns:soap="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"/);
  assert.match(
    xml,
    /<GetTicketsBySearch xmlns="http:\/\/www\.smartertools\.com\/SmarterTrack\/Services2\/svcTickets\.asmx"><authUserName>api<\/authUserName><authPassword>p&lt;&amp;&gt;&quot;w<\/authPassword><searchCriteria><string>GroupId=4<\/string><string>IsOpen=true<\/string><\/searchCriteria>/,
  );
  assert.equal(
    soapAction('svcTickets', 'GetTicketsBySearch'),
    'http://www.smartertools.com/SmarterTrack/Services2/svcTickets.asmx/GetTicketsBySearch',
  );
  const kb = buildRequest({
    service: 'svcKB',
    operation: 'GetFolders',
    user: 'a',
    password: 'b',
    params: [['parentFolderID', 0]],
  });
  assert.match(
    kb,
    /<GetFolders xmlns="http:\/\/www\.smartertools\.com\/Products\/SmarterTrack\/Services2\/svcKB"><adminUsername>a<\/adminUsername><adminPassword>b<\/adminPassword><parentFolderID>0<\/parentFolderID>/,
  );
  assert.deepEqual(credentialNames('svcTickets', 'PingService'), ['authUsername', 'authPassword']);
  assert.deepEqual(credentialNames('svcOrganization', 'GetAllAgents'), ['authUserName', 'authPassword']);
});

test('answers parse with prefixes, pretty-printing, empty elements and entities; faults are recognised', () => {
  const xml = `<?xml version="1.0"?>
  <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
    <s:Body>
      <GetTicketsBySearchResponse xmlns="x">
        <GetTicketsBySearchResult>
          <Message />
          <Result>true</Result>
          <ResultCode>0</ResultCode>
          <Tickets>
            <TicketInfo><ID>30</ID><IdAgent>-1</IdAgent><IsOpen>true</IsOpen><Subject> Printer &amp; scanner &lt;offline&gt; </Subject><TicketNumber>069-24F284AF-0020</TicketNumber><LastReplyDateUtc>2019-08-23T11:04:15</LastReplyDateUtc></TicketInfo>
          </Tickets>
        </GetTicketsBySearchResult>
      </GetTicketsBySearchResponse>
    </s:Body>
  </s:Envelope>`;
  const parsed = parseResponse(xml, 'GetTicketsBySearch');
  assert.equal(parsed.kind, 'result');
  if (parsed.kind !== 'result') return;
  assert.equal(text(child(parsed.result, 'Message')), '');
  const [row] = items(child(parsed.result, 'Tickets'), 'TicketInfo');
  const t = TicketInfo.parse(flatFields(row!));
  assert.equal(t.ID, 30);
  assert.equal(t.IdAgent, null);
  assert.equal(t.Subject, ' Printer & scanner <offline> ');
  assert.equal(t.TicketNumber, '069-24F284AF-0020');
  assert.equal(t.LastReplyDateUtc, '2019-08-23T11:04:15.000Z');
  const fault = parseResponse(
    '<soap:Envelope xmlns:soap="u"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad</faultstring></soap:Fault></soap:Body></soap:Envelope>',
    'X',
  );
  assert.deepEqual(fault, { kind: 'fault', code: 'soap:Client', message: 'bad' });
  assert.throws(() => parseResponse('<html>login</html>', 'X'), /no SOAP Envelope/);
});

test('TicketAttachmentInfo is read with its lower-camel names; 0001-01-01 is no date', () => {
  const a = TicketAttachmentInfo.parse({
    downloadUrl: 'Main/x.aspx?fileId=3',
    fileDateUtc: '0001-01-01T00:00:00',
    fileId: '3',
    fileNameOnDisk: 'a/b.png',
    fileNameOriginal: 'b.png',
    fileSizeInBytes: '12',
    sender: '',
    senderUserId: '-1',
    ticketMessageId: '77',
  });
  assert.deepEqual(
    [a.fileId, a.fileDateUtc, a.fileSizeInBytes, a.sender, a.senderUserId, a.ticketMessageId],
    [3, null, 12, null, null, 77],
  );
});

test('key=value lists split on the first "=", keys case-insensitive', () => {
  const kv = new KeyValues(['Subject=a=b', 'ticketstatusid=3', 'Empty=', 'noequals', 'IsSpam=True']);
  assert.equal(kv.get('subject'), 'a=b');
  assert.equal(kv.int('TicketStatusID'), 3);
  assert.equal(kv.text('empty'), null);
  assert.equal(kv.get('missing'), null);
  assert.equal(kv.bool('isspam'), true);
  assert.deepEqual(keyValueList({ GroupId: 4, IsOpen: false }), ['GroupId=4', 'IsOpen=false']);
});

test('only reads and the credential check count as read-only operations', () => {
  for (const op of ['GetTicketsBySearch', 'GetAllAgents', 'SearchKBArticles', 'ValidateAgent', 'PingService'])
    assert.ok(isReadOnlyOperation(op), op);
  for (const op of ['CreateTicket', 'SetTicketProperties', 'DeleteUser', 'AddTicketNote', 'Getaway', 'EditTicketNote'])
    assert.ok(!isReadOnlyOperation(op), op);
});

test('senders "Display Name (email)" split into name and address', () => {
  assert.equal(senderAddress('Jane Doe (jane@example.com)'), 'jane@example.com');
  assert.equal(senderName('Jane Doe (jane@example.com)'), 'Jane Doe');
  assert.equal(senderAddress('"Jane" <jane@example.com>'), 'jane@example.com');
  assert.equal(senderAddress('jane@example.com'), 'jane@example.com');
  assert.equal(senderName('jane@example.com'), null);
  assert.equal(senderAddress('Jane Doe'), null);
});

test('--source https://user@site carries the user; a password in the URL is refused', async () => {
  const { parseSourceUrl, describeSourceUrl } = await import('../../../src/source/source-url');
  assert.deepEqual(parseSourceUrl('https://api%40corp@support.example.com/'), {
    kind: 'soap',
    baseUrl: 'https://support.example.com',
    user: 'api@corp',
  });
  assert.equal(
    describeSourceUrl(parseSourceUrl('https://api@support.example.com')),
    'SmarterTrack Web Services at https://support.example.com as api',
  );
  assert.throws(
    () => parseSourceUrl('https://api:secret@support.example.com'),
    /do not put the SmarterTrack password in --source/,
  );
});
