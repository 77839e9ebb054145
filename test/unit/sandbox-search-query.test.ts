import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery } from '../../src/sandbox/search/query';

interface Row { email: string | null; created_at: number; tags: string[] }
const field = (name: string) => ({ email: (r: Row) => r.email, created_at: (r: Row) => r.created_at, tag_id: (r: Row) => r.tags })[name];
const dates = new Set(['created_at']);
const rows: Row[] = [
  { email: 'Ann@Example.com', created_at: 1_700_000_000, tags: ['1'] },
  { email: 'bob@other.org', created_at: 1_700_100_000, tags: [] },
  { email: null, created_at: 1_600_000_000, tags: ['1', '2'] },
];
const run = (query: unknown) => rows.filter(compileQuery<Row>(query, field, dates)).map((r) => r.email);

test('search query: operators, case-insensitive strings, arrays as "any element", nesting', () => {
  assert.deepEqual(run({ field: 'email', operator: '=', value: 'ann@example.com' }), ['Ann@Example.com']);
  assert.deepEqual(run({ field: 'email', operator: '!=', value: 'ann@example.com' }), ['bob@other.org', null]);
  assert.deepEqual(run({ field: 'email', operator: '$', value: '.org' }), ['bob@other.org']);
  assert.deepEqual(run({ field: 'email', operator: '^', value: 'ann' }), ['Ann@Example.com']);
  assert.deepEqual(run({ field: 'email', operator: '!~', value: 'example' }), ['bob@other.org', null]);
  assert.deepEqual(run({ field: 'tag_id', operator: '=', value: '2' }), [null]);
  assert.deepEqual(run({ field: 'tag_id', operator: 'NIN', value: ['1'] }), ['bob@other.org']);
  assert.deepEqual(run({ field: 'created_at', operator: '<', value: 1_650_000_000 }), [null]);
  assert.deepEqual(run({ field: 'created_at', operator: '=', value: 1_700_000_000 + 3600 }), ['Ann@Example.com'], 'dates match by day');
  assert.deepEqual(
    run({ operator: 'OR', value: [{ field: 'email', operator: '=', value: null }, { operator: 'AND', value: [{ field: 'email', operator: '~', value: 'bob' }, { field: 'created_at', operator: '>', value: 1 }] }] }),
    ['bob@other.org', null],
  );
});

test('search query: limits and unsupported filters are refused', () => {
  const deep = { operator: 'AND', value: [{ operator: 'OR', value: [{ operator: 'AND', value: [{ field: 'email', operator: '=', value: 'x' }] }] }] };
  assert.throws(() => run(deep), /nested/);
  assert.throws(() => run({ operator: 'AND', value: Array.from({ length: 16 }, () => ({ field: 'email', operator: '=', value: 'x' })) }), /15/);
  assert.throws(() => run({ field: 'created_at', operator: '>=', value: 1 }), /not supported/);
  assert.throws(() => run({ field: 'nope', operator: '=', value: 1 }), /searchable/);
  assert.throws(() => run({ field: 'email', operator: 'LIKE', value: 1 }), /not supported/);
  assert.throws(() => run({ field: 'email', operator: 'IN', value: 'x' }), /array/);
});
