import assert from 'node:assert/strict';
import { test } from 'node:test';

import { z } from 'zod';

import { zodIssueLines, zodIssues } from '../../src/model/zod-issues';

const schema = z.object({ name: z.string(), fields: z.array(z.object({ target: z.string() })), note: z.string() });

function errorOf(value: unknown, s: z.ZodType = schema): z.ZodError {
  const parsed = s.safeParse(value);
  assert.ok(!parsed.success);
  return parsed.error;
}

test('zodIssues: every issue on one line, each named by its dotted path', () => {
  const error = errorOf({ name: 1, fields: [{ target: 'a' }, { target: 2 }], note: 'x' });
  assert.equal(
    zodIssues(error),
    'name: Invalid input: expected string, received number; fields.1.target: Invalid input: expected string, received number',
  );
});

test('zodIssues: the value itself is (root); past the limit, how many more', () => {
  assert.equal(zodIssues(errorOf(3, z.string())), '(root): Invalid input: expected string, received number');
  const error = errorOf({});
  assert.deepEqual(zodIssueLines(error, 1), ['name: Invalid input: expected string, received undefined', 'and 2 more']);
  assert.equal(zodIssues(error, 3).split('; ').length, 3, 'no "more" when all are shown');
});
