import assert from 'node:assert/strict';
import { test } from 'node:test';

import { preloginReply, readTypedValue } from '../../fixtures/tds/messages';
import {
  type ColumnSpec,
  DoneStatus,
  guidBytes,
  Token,
  writeColMetadata,
  writeDone,
  writeError,
  writeRow,
  writeValue,
} from '../../fixtures/tds/tokens';
import { Cursor, MessageReader, ReplyWriter, TdsProtocolError } from '../../fixtures/tds/wire';

/** Encoders checked byte by byte against MS-TDS 2.2.5 / 2.2.7, and through the fixture's own decoder. */

function bytes(write: (w: ReplyWriter) => void): Buffer {
  const w = new ReplyWriter(4096);
  write(w);
  return Buffer.concat(w.takePackets(true)).subarray(8);
}

const hex = (b: Buffer) => b.toString('hex');

test('integers, bit and float: length byte then little-endian value; length 0 is NULL', () => {
  const c = (type: ColumnSpec['type']): ColumnSpec => ({ name: 'x', type });
  assert.equal(hex(bytes((w) => writeValue(w, c('int'), 258))), '0402010000');
  assert.equal(hex(bytes((w) => writeValue(w, c('int'), null))), '00');
  assert.equal(hex(bytes((w) => writeValue(w, c('smallint'), -2))), '02feff');
  assert.equal(hex(bytes((w) => writeValue(w, c('bigint'), 2n ** 40n))), '080000000000010000');
  assert.equal(hex(bytes((w) => writeValue(w, c('bigint'), -2))), '08feffffffffffffff');
  assert.equal(hex(bytes((w) => writeValue(w, c('bigint'), '9223372036854775807'))), '08ffffffffffffff7f');
  assert.equal(hex(bytes((w) => writeValue(w, c('bit'), 1))), '0101');
  assert.equal(hex(bytes((w) => writeValue(w, c('float'), 1.5))), '08000000000000f83f');
  assert.throws(() => bytes((w) => writeValue(w, c('int'), 2 ** 31)), /out of range/);
});

test('datetime2(7): 5 bytes of 100 ns ticks then 3 bytes of days since 0001-01-01; datetime: days since 1900 and 1/300 s', () => {
  const d2 = bytes((w) => writeValue(w, { name: 'd', type: 'datetime2' }, '2021-01-05 12:59:00.559'));
  assert.equal(d2[0], 8);
  const ticks = d2.readUIntLE(1, 5);
  const days = d2.readUIntLE(6, 3);
  assert.equal(ticks, ((12 * 60 + 59) * 60 + 0.559) * 1e7);
  assert.equal(days, 737794); // 2021-01-05
  assert.equal(
    hex(bytes((w) => writeValue(w, { name: 'd', type: 'datetime' }, '1900-01-02 00:00:01'))),
    '08010000002c010000',
  );
  // Round trip through the parameter decoder (DATETIME2N with scale 7)
  const param = Buffer.concat([Buffer.from([0x2a, 7]), d2]);
  assert.equal((readTypedValue(new Cursor(param)) as Date).toISOString(), '2021-01-05T12:59:00.559Z');
});

test('nvarchar(n) is u16 byte length + UTF-16LE; nvarchar(max) and varbinary(max) are PLP; NULLs', () => {
  assert.equal(hex(bytes((w) => writeValue(w, { name: 's', type: 'nvarchar', length: 10 }, 'hé'))), '04006800e900');
  assert.equal(hex(bytes((w) => writeValue(w, { name: 's', type: 'nvarchar', length: 10 }, null))), 'ffff');
  assert.throws(
    () => bytes((w) => writeValue(w, { name: 's', type: 'nvarchar', length: 2 }, 'abc')),
    /would be truncated/,
  );
  assert.equal(
    hex(bytes((w) => writeValue(w, { name: 's', type: 'nvarchar(max)' }, 'ab'))),
    '0400000000000000' + '04000000' + '61006200' + '00000000',
  );
  assert.equal(hex(bytes((w) => writeValue(w, { name: 's', type: 'nvarchar(max)' }, null))), 'ffffffffffffffff');
  assert.equal(
    hex(bytes((w) => writeValue(w, { name: 'b', type: 'varbinary(max)' }, Buffer.from([1, 2])))),
    '0200000000000000' + '02000000' + '0102' + '00000000',
  );
  assert.equal(hex(bytes((w) => writeValue(w, { name: 's', type: 'varchar', length: 10 }, 'ab'))), '02006162');
});

test('uniqueidentifier: the first three groups are little-endian', () => {
  assert.equal(
    hex(guidBytes('00112233-4455-6677-8899-aabbccddeeff', { name: 'g', type: 'uniqueidentifier' })),
    '33221100554477668899aabbccddeeff',
  );
  assert.throws(() => guidBytes('nope', { name: 'g', type: 'uniqueidentifier' }), /uniqueidentifier/);
});

test('COLMETADATA, ROW, DONE and ERROR tokens', () => {
  const columns: ColumnSpec[] = [
    { name: 'id', type: 'int' },
    { name: 'n', type: 'nvarchar(max)' },
  ];
  const b = bytes((w) => {
    writeColMetadata(w, columns);
    writeRow(w, columns, [7, null]);
    writeDone(w, Token.DONE, DoneStatus.FINAL, 1);
  });
  const expected = [
    '81',
    '0200',
    '00000000',
    '0900',
    '26',
    '04',
    '02',
    '69006400',
    '00000000',
    '0900',
    'e7',
    'ffff',
    '0904d00034',
    '01',
    '6e00',
    'd1',
    '0407000000',
    'ffffffffffffffff',
    'fd',
    '1000',
    'c100',
    '0100000000000000',
  ].join('');
  assert.equal(hex(b), expected);
  const e = bytes((w) => writeError(w, 208, "Invalid object name 'x'."));
  assert.equal(e[0], 0xaa);
  assert.equal(e.readUInt16LE(1), e.length - 3);
  assert.equal(e.readInt32LE(3), 208);
  assert.equal(e[8], 16); // severity
});

test('a row whose value cannot be encoded leaves nothing half-written', () => {
  const w = new ReplyWriter(4096);
  const columns: ColumnSpec[] = [
    { name: 'a', type: 'int' },
    { name: 'b', type: 'int' },
  ];
  writeRow(w, columns, [1, 2]);
  const length = w.length;
  assert.throws(() => writeRow(w, columns, [1, 'x']));
  assert.equal(w.length, length);
});

test('replies are cut into packets of the negotiated size, the last one flagged end-of-message', () => {
  const w = new ReplyWriter(512);
  w.bytes(Buffer.alloc(1200, 7));
  const packets = w.takePackets(true);
  assert.deepEqual(
    packets.map((p) => p.length),
    [512, 512, 200],
  );
  assert.deepEqual(
    packets.map((p) => p[1]),
    [0, 0, 1],
  );
  assert.deepEqual(
    packets.map((p) => p.readUInt16BE(2)),
    [512, 512, 200],
  );
  assert.deepEqual(
    packets.map((p) => p[6]),
    [1, 2, 3],
  );
});

test('PRELOGIN answers ENCRYPT_NOT_SUP; a TLS ClientHello is refused instead of looping', () => {
  const reply = preloginReply();
  assert.equal(reply[5], 0x01); // second option: ENCRYPTION
  const encryptionOffset = reply.readUInt16BE(6);
  assert.equal(reply[encryptionOffset], 0x02);
  const reader = new MessageReader();
  assert.throws(
    () => reader.push(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x50, 0, 0, 0, 0]), () => undefined),
    TdsProtocolError,
  );
  const messages: [number, string][] = [];
  const split = new MessageReader();
  const packet = (status: number, body: string) =>
    Buffer.concat([Buffer.from([0x01, status, 0, 8 + body.length, 0, 0, 1, 0]), Buffer.from(body)]);
  const stream = Buffer.concat([packet(0, 'ab'), packet(1, 'cd')]);
  split.push(stream.subarray(0, 5), (t, p) => messages.push([t, p.toString()]));
  split.push(stream.subarray(5), (t, p) => messages.push([t, p.toString()]));
  assert.deepEqual(messages, [[1, 'abcd']]);
});
