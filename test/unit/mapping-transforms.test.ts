import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyTransform, toUnixSeconds } from '../../src/mapping/transforms';
import { Transform } from '../../src/model/mapping';

const t = (input: unknown) => Transform.parse(input);

test('checkbox values become booleans; anything else is an error quoting the value', () => {
  assert.equal(applyTransform('Yes', t({ kind: 'checkbox-to-boolean' })).value, true);
  assert.equal(applyTransform('0', t({ kind: 'checkbox-to-boolean' })).value, false);
  assert.equal(applyTransform('checked', t({ kind: 'checkbox-to-boolean' })).value, true);
  assert.match(
    applyTransform('maybe', t({ kind: 'checkbox-to-boolean' })).error ?? '',
    /"maybe" is not a checkbox value/,
  );
});

test('dates from SmarterTrack text, ISO and US forms become Unix seconds in UTC', () => {
  assert.equal(toUnixSeconds('2019-08-23 06:55:19'), Date.UTC(2019, 7, 23, 6, 55, 19) / 1000);
  assert.equal(toUnixSeconds('2019-08-23T06:55:19.000Z'), Date.UTC(2019, 7, 23, 6, 55, 19) / 1000);
  assert.equal(toUnixSeconds('2019-08-23'), Date.UTC(2019, 7, 23) / 1000);
  assert.equal(toUnixSeconds('8/23/2019'), Date.UTC(2019, 7, 23) / 1000);
  assert.equal(toUnixSeconds('1965-01-01'), Date.UTC(1965, 0, 1) / 1000);
  assert.equal(toUnixSeconds('next tuesday'), null);
  assert.match(applyTransform('soon', t({ kind: 'date-to-datetime' })).error ?? '', /not a date/);
});

test('numbers accept thousands separators and reject words', () => {
  assert.equal(applyTransform('1,250', t({ kind: 'integer-to-number' })).value, 1250);
  assert.equal(applyTransform('2.5', t({ kind: 'integer-to-number' })).value, 2.5);
  assert.match(applyTransform('ten', t({ kind: 'integer-to-number' })).error ?? '', /"ten" is not a number/);
});

test('value maps use the entry, then the fallback, else fail naming the value', () => {
  const map = { kind: 'value-map', values: { Closed: 'closed', Active: 'open' } };
  assert.equal(applyTransform('Closed', t(map)).value, 'closed');
  assert.match(applyTransform('Waiting', t(map)).error ?? '', /"Waiting" has no entry/);
  assert.equal(applyTransform('Waiting', t({ ...map, fallback: 'open' })).value, 'open');
});

test('HTML becomes plain text without markup or images', () => {
  const r = applyTransform('<p>Hello <b>there</b></p><img src="cid:x"><p>Bye</p>', t({ kind: 'html-to-text' }));
  assert.equal(typeof r.value, 'string');
  assert.doesNotMatch(String(r.value), /<|cid:/);
  assert.match(String(r.value), /Hello there/);
});

test('over-long values are cut and reported, or fail when asked, never splitting a surrogate pair', () => {
  const long = 'a'.repeat(9) + '😀' + 'b';
  const trimmed = applyTransform(long, t({ kind: 'string', maxLength: 10, overflow: 'trim' }));
  assert.equal(trimmed.value, 'a'.repeat(9));
  assert.equal(trimmed.overflow?.length, long.length);
  const failed = applyTransform('x'.repeat(300), t({ kind: 'string', maxLength: 255, overflow: 'fail' }));
  assert.equal(failed.value, null);
  assert.match(failed.error ?? '', /300 characters, over the limit of 255/);
});
