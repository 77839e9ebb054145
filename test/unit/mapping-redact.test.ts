import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  codeMask,
  containsNamePair,
  dateFormatOf,
  describeValue,
  hasUrlCredentials,
  isEmail,
  isPhone,
  isSafeToken,
  looksLikePersonName,
  phoneDigits,
  redactOption,
  scrubSecret,
  summariseSamples,
} from '../../src/mapping/redact';

test('emails are detected, whole or inside text', () => {
  assert.equal(isEmail('karen.whitfield@brightloop.io'), true);
  assert.equal(isEmail(' Ana.Lima+support@example.co.uk '), true);
  assert.equal(isEmail('not an email'), false);
  assert.equal(isEmail('user@localhost'), false);
  assert.equal(describeValue('karen.whitfield@brightloop.io'), 'email address (domain hidden)');
  assert.match(
    describeValue('Please write to karen.whitfield@brightloop.io about this.'),
    /contains an email address/u,
  );
});

test('phone numbers are detected by their punctuation and 7–15 digits', () => {
  assert.equal(phoneDigits('+61 2 9423 6448'), 11);
  assert.equal(phoneDigits('(656) 984-5399'), 10);
  assert.equal(phoneDigits('555-1234 ext. 12'), 7);
  assert.equal(isPhone('12345'), false);
  assert.equal(isPhone('2024-03-05'), true, 'phone-shaped on its own; describeValue checks dates first');
  assert.equal(describeValue('2024-03-05'), 'date (YYYY-MM-DD)');
  assert.equal(describeValue('+61 2 9423 6448'), 'phone number, 11 digits');
  assert.equal(describeValue('4155550123'), 'integer 10 or more digits');
});

test('person names: capitalised word pairs, and any value of a personal field', () => {
  assert.equal(looksLikePersonName('Karen Whitfield'), true);
  assert.equal(looksLikePersonName("Mary-Jane O'Neil"), true);
  assert.equal(looksLikePersonName('José Álvarez Ruiz'), true);
  assert.equal(looksLikePersonName('Sales question'), false);
  assert.equal(looksLikePersonName('Windows 11'), false);
  assert.equal(looksLikePersonName('Karen'), false);
  assert.equal(containsNamePair('I spoke to Karen Whitfield yesterday'), true);
  assert.equal(containsNamePair('I spoke to support yesterday'), false);
  assert.equal(describeValue('Karen Whitfield', { personal: true }), 'person name, 2 words');
  assert.equal(describeValue('Karen', { personal: true }), 'name or word, 1 word');
  assert.equal(describeValue('李小龍', { personal: true }), 'name or word, 1 word');
});

test('URLs with credentials are hidden whole; other URLs keep only their scheme', () => {
  assert.equal(hasUrlCredentials('https://admin:hunter2@help.example.com/api'), true);
  assert.equal(hasUrlCredentials('ftp://user@files.example.com'), false);
  assert.equal(describeValue('https://admin:hunter2@help.example.com/api'), 'URL with credentials (hidden)');
  assert.equal(describeValue('https://acme.example.com/pricing'), 'URL (https, address hidden)');
  assert.match(redactOption('sqlserver://sa:secret@db/x'), /^\(option hidden: URL with credentials/u);
});

test('free text is described by length, lines and words, never quoted', () => {
  const text = 'The import fails on the second page.\nIt worked yesterday after the update.';
  const shape = describeValue(text);
  assert.equal(shape, 'text, 40–120 characters, 2 lines, over 10 words');
  assert.ok(!shape.includes('import'));
  assert.equal(describeValue('<p>Hello <b>there</b></p>'), 'HTML, 10–40 characters');
  assert.equal(describeValue('x'.repeat(300)), 'text, 255–1000 characters, 1 line');
});

test('dates, numbers, booleans, versions and codes are described by format', () => {
  assert.equal(dateFormatOf('2024-03-05T10:00:00.000Z'), 'YYYY-MM-DDTHH:MM:SS.fffZ');
  assert.equal(dateFormatOf('2024-03-05 10:00'), 'YYYY-MM-DD HH:MM');
  assert.equal(dateFormatOf('3/5/2024'), 'M/D/YYYY');
  assert.equal(dateFormatOf('March 5'), null);
  assert.equal(describeValue('123456'), 'integer 6–9 digits');
  assert.equal(describeValue('42'), 'integer 1–5 digits');
  assert.equal(describeValue('1,234.50'), 'decimal number');
  assert.equal(describeValue('true'), 'boolean word (true/false, yes/no)');
  assert.equal(describeValue(false), 'boolean');
  assert.equal(describeValue('4.2.1'), 'version number, 3 parts');
  assert.equal(describeValue('670-27AFBFBC-0001'), 'code (pattern 999-99AAAAAA-9999)');
  assert.equal(codeMask('Ab-9z'), 'Aa-9a');
  assert.equal(describeValue(['a', 'b']), 'list of 2 items');
  assert.equal(describeValue(null), 'empty');
});

test('drop-down options are sent unless they look personal', () => {
  assert.equal(redactOption('Invoice question'), 'Invoice question');
  assert.equal(redactOption('Windows 11'), 'Windows 11');
  assert.equal(redactOption('karen@brightloop.io'), '(option hidden: email address (domain hidden))');
  assert.equal(redactOption('Karen Whitfield'), '(option hidden: name, 2 words)');
  assert.equal(redactOption('+1 415 555 0100'), '(option hidden: phone number, 11 digits)');
});

test('safe tokens: short categorical values of non-personal fields, without digits or names', () => {
  assert.equal(isSafeToken('Closed and Locked'), true);
  assert.equal(isSafeToken('en-US'), true);
  assert.equal(isSafeToken('Closed', { personal: true }), false);
  assert.equal(isSafeToken('Closed', { freeText: true }), false);
  assert.equal(isSafeToken('Karen Whitfield'), false);
  assert.equal(isSafeToken('ACC 102938'), false);
  assert.equal(isSafeToken('one two three four'), false);
});

test('samples summarise as distinct shapes with counts; redaction off sends values, cut', () => {
  const values = ['karen@brightloop.io', 'tom@brightloop.io', 'Closed', 'Karen Whitfield'];
  assert.deepEqual(summariseSamples(values, { redact: true }), [
    { shape: 'email address (domain hidden)', count: 2 },
    { shape: 'Closed', count: 1 },
    { shape: 'name, 2 words', count: 1 },
  ]);
  assert.deepEqual(
    summariseSamples(values, { redact: true, personal: true }).map((s) => s.shape),
    ['email address (domain hidden)', 'person name or word, 1 word'.replace('person ', ''), 'person name, 2 words'],
  );
  assert.deepEqual(
    summariseSamples(['Gold', 'Karen Whitfield'], { redact: true, options: ['Gold', 'Karen Whitfield'] }).map(
      (s) => s.shape,
    ),
    ['Gold', '(option hidden: name, 2 words)'],
  );
  assert.deepEqual(
    summariseSamples(['abcdef', 'karen@brightloop.io'], { redact: false, maxLength: 3 }).map((s) => s.shape),
    ['abc…', 'kar…'],
  );
});

test('secrets are scrubbed from messages: the exact key and anything shaped like one', () => {
  const key = 'sk-proj-abcdefghijklmnop1234';
  assert.equal(scrubSecret(`Incorrect API key provided: ${key}.`, key), 'Incorrect API key provided: [key hidden].');
  assert.equal(
    scrubSecret('Incorrect API key provided: sk-proj-****************wxyz.'),
    'Incorrect API key provided: [key hidden].',
  );
  assert.equal(scrubSecret('Authorization: Bearer abc.def'), 'Authorization: Bearer [key hidden]');
  assert.equal(scrubSecret('local-key-123 was used', 'local-key-123'), '[key hidden] was used');
});
