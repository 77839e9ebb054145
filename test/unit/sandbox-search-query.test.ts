import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compileQuery, CONTACT_RULES, CONVERSATION_RULES, type SearchField } from '../../src/sandbox/search/query';

interface Row {
  email: string | null;
  created_at: number;
  tags: string[];
  body: string;
  vip: boolean;
}
const FIELDS: Record<string, SearchField<Row>> = {
  email: { read: (r) => r.email, type: 'string' },
  created_at: { read: (r) => r.created_at, type: 'date' },
  tag_id: { read: (r) => r.tags, type: 'string', operators: ['=', '!='] },
  body: { read: (r) => r.body, type: 'string', words: true },
  vip: { read: (r) => r.vip, type: 'boolean' },
};
const field = (name: string) => FIELDS[name];
const DAY = 86_400;
const JAN_1_2020 = 1_577_836_800; // 00:00 UTC
const rows: Row[] = [
  {
    email: 'Ann@Example.com',
    created_at: JAN_1_2020 + 9 * 3600,
    tags: ['1'],
    body: '<p>I need support</p>',
    vip: true,
  },
  { email: 'bob@other.org', created_at: JAN_1_2020 + DAY + 60, tags: [], body: 'supportive words', vip: false },
  { email: null, created_at: JAN_1_2020 - 60, tags: ['1', '2'], body: '', vip: false },
];
const run = (query: unknown, rules = CONTACT_RULES) =>
  rows.filter(compileQuery<Row>(query, field, rules)).map((r) => r.email);

test('search query: operators, case-insensitive strings, arrays as "any element", nesting', () => {
  assert.deepEqual(run({ field: 'email', operator: '=', value: 'ann@example.com' }), ['Ann@Example.com']);
  assert.deepEqual(run({ field: 'email', operator: '!=', value: 'ann@example.com' }), ['bob@other.org', null]);
  assert.deepEqual(run({ field: 'email', operator: '$', value: '.org' }), ['bob@other.org']);
  assert.deepEqual(run({ field: 'email', operator: '^', value: 'ann' }), ['Ann@Example.com']);
  assert.deepEqual(run({ field: 'email', operator: '!~', value: 'example' }), ['bob@other.org', null]);
  assert.deepEqual(run({ field: 'email', operator: 'IN', value: ['bob@other.org', 'x@y.z'] }), ['bob@other.org']);
  assert.deepEqual(run({ field: 'tag_id', operator: '=', value: '2' }), [null]);
  assert.deepEqual(run({ field: 'vip', operator: '=', value: 'true' }), ['Ann@Example.com']);
  assert.deepEqual(
    run({
      operator: 'OR',
      value: [
        { field: 'email', operator: '=', value: null },
        {
          operator: 'AND',
          value: [
            { field: 'email', operator: '~', value: 'bob' },
            { field: 'created_at', operator: '>', value: 1 },
          ],
        },
      ],
    }),
    ['bob@other.org', null],
  );
});

test('search query: contact dates are matched by UTC day, as 2.16 documents', () => {
  assert.deepEqual(
    run({ field: 'created_at', operator: '=', value: JAN_1_2020 }),
    ['Ann@Example.com'],
    '= is the whole day',
  );
  assert.deepEqual(
    run({ field: 'created_at', operator: '>', value: JAN_1_2020 + 9 * 3600 - 1 }),
    ['bob@other.org'],
    '> starts at the next day',
  );
  assert.deepEqual(
    run({ field: 'created_at', operator: '<', value: JAN_1_2020 + 20 * 3600 }),
    [null],
    '< ends at the start of the day',
  );
  assert.deepEqual(
    run({ field: 'created_at', operator: '>', value: String(JAN_1_2020 - DAY) }),
    ['Ann@Example.com', 'bob@other.org'],
    'a numeric string is a date',
  );
  assert.deepEqual(
    run({ field: 'created_at', operator: '>', value: JAN_1_2020 + 9 * 3600 - 1 }, CONVERSATION_RULES),
    ['Ann@Example.com', 'bob@other.org'],
    'conversation dates are exact',
  );
});

test('search query: source.body-like fields match word by word', () => {
  assert.deepEqual(run({ field: 'body', operator: '=', value: 'support' }), ['Ann@Example.com']);
  assert.deepEqual(run({ field: 'body', operator: '=', value: 'need support' }), [], 'a phrase is not one word');
  assert.deepEqual(run({ field: 'body', operator: '~', value: 'support' }), ['Ann@Example.com', 'bob@other.org']);
});

test('search query: limits, wrong operators and wrong-typed values are refused with a 400', () => {
  const refuses = (query: unknown, pattern: RegExp, rules = CONTACT_RULES) =>
    assert.throws(
      () => run(query, rules),
      (e: { status?: number; message: string }) => e.status === 400 && pattern.test(e.message),
    );
  const deep = {
    operator: 'AND',
    value: [{ operator: 'OR', value: [{ operator: 'AND', value: [{ field: 'email', operator: '=', value: 'x' }] }] }],
  };
  refuses(deep, /nested/);
  refuses(
    { operator: 'AND', value: Array.from({ length: 16 }, () => ({ field: 'email', operator: '=', value: 'x' })) },
    /15/,
  );
  for (const op of ['>=', '<=', '!=', 'IN', 'NIN'])
    refuses({ field: 'created_at', operator: op, value: op.endsWith('IN') ? [1] : 1 }, /not supported/);
  refuses({ field: 'created_at', operator: '=', value: 'foobar' }, /not a valid date/);
  refuses({ field: 'vip', operator: '=', value: 'yes' }, /not a valid boolean/);
  refuses({ field: 'email', operator: '>', value: 'a' }, /not supported/);
  refuses({ field: 'tag_id', operator: 'IN', value: ['1'] }, /not supported/);
  refuses({ field: 'created_at', operator: '>=', value: 1 }, /not supported/, CONVERSATION_RULES);
  refuses({ field: 'nope', operator: '=', value: 1 }, /searchable/);
  refuses({ field: 'email', operator: 'LIKE', value: 1 }, /not supported/);
  refuses({ field: 'email', operator: 'IN', value: 'x' }, /array/);
});
