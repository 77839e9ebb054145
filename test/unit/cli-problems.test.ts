import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PROBLEM_RULES, problemOf } from '../../src/cli/problems';
import { AuthError } from '../../src/intercom/errors';

/** Issue 18, bullet 2: the README's exit-code table and the CLI's one error path agree, row by row. */

function readmeRows(): { name: string; exit: number }[] {
  const readme = readFileSync('README.md', 'utf8');
  const table = /### Exit codes[\s\S]*?\| error \| exit \|[^\n]*\n\|[-|]+\|\n((?:\|[^\n]*\n)+)/.exec(readme)?.[1];
  assert.ok(table, 'README has the exit-code table under "### Exit codes"');
  return table.trim().split('\n').map((line) => {
    const [, name, exit] = line.split('|').map((c) => c.trim());
    return { name: name!.replace(/`/g, ''), exit: Number(exit) };
  });
}

/** An instance of the class without its constructor's arguments: only `instanceof` and `message` matter here. */
function instanceOf(cls: abstract new (...args: never[]) => Error): Error {
  return Object.assign(Object.create(cls.prototype as object) as Error, { message: `a ${cls.name}` });
}

test('every row of the README exit-code table is the exit code the CLI gives that error class', () => {
  const rows = readmeRows();
  const classes = new Map(PROBLEM_RULES.flatMap((r) => r.classes.map((c) => [c.name, c] as const)));
  const named = rows.filter((r) => r.name !== 'anything else');
  assert.deepEqual(named.map((r) => r.name).sort(), [...classes.keys()].sort(), 'the table lists exactly the classes the CLI knows');
  for (const row of named) {
    const problem = problemOf(instanceOf(classes.get(row.name)!));
    assert.equal(problem?.exitCode, row.exit, `${row.name}: README says exit ${row.exit}`);
    assert.doesNotMatch(problem.message, /\n\s+at /, `${row.name}: one message, no stack`);
  }
  const other = rows.find((r) => r.name === 'anything else');
  assert.equal(other?.exit, 1);
  assert.equal(problemOf(new TypeError('x')), undefined, 'an unexpected error is not a user problem (main: exit 1, stack only with --debug)');
});

test('a refused token says which variable to set, and for which workspace', () => {
  const error = new AuthError({ request: 'GET /me', status: 401 });
  const bound = problemOf(error, { target: { baseUrl: 'https://api.eu.intercom.io', from: '--region eu', workspaceName: 'Acme Support' } });
  assert.equal(bound?.exitCode, 2);
  assert.match(bound.message, /set INTERCOM_TOKEN to an access token of Intercom workspace "Acme Support"/);
  const unbound = problemOf(error, { target: { baseUrl: 'http://127.0.0.1:18921', from: '--intercom-url' } });
  assert.match(unbound!.message, /set INTERCOM_TOKEN to an access token of the Intercom workspace at http:\/\/127\.0\.0\.1:18921/);
});
