import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { PROBLEM_RULES, problemOf } from '../../src/cli/problems';
import { AuthError } from '../../src/intercom/errors';
import * as source from '../../src/source';

/** Issue 18, bullet 2: the README's exit-code table and the CLI's one error path agree, row by row. */

function readmeRows(): { name: string; exit: number }[] {
  const readme = readFileSync('README.md', 'utf8');
  const table = /### Exit codes[\s\S]*?\| error \| exit \|[^\n]*\n\|[-|]+\|\n((?:\|[^\n]*\n)+)/.exec(readme)?.[1];
  assert.ok(table, 'README has the exit-code table under "### Exit codes"');
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const [, name, exit] = line.split('|').map((c) => c.trim());
      return { name: name!.replace(/`/g, ''), exit: Number(exit) };
    });
}

/** An instance of the class without its constructor's arguments: only `instanceof` and `message` matter here. */
function instanceOf(cls: abstract new (...args: never[]) => Error): Error {
  return Object.assign(Object.create(cls.prototype as object) as Error, { message: `a ${cls.name}` });
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every error class the source facade exports, by name. */
const sourceErrors = (Object.values(source) as unknown[]).filter(
  (v): v is ErrorClass => typeof v === 'function' && (v.prototype as unknown) instanceof Error,
);

/** The classes the CLI classifies: its rules' own, with the source's base stood in for by the errors that extend it. */
function classifiedClasses(): Map<string, ErrorClass> {
  const ruled = PROBLEM_RULES.flatMap((r) => r.classes).filter((c) => c !== source.SourceAccessError);
  const access = sourceErrors.filter((c) => c.prototype instanceof source.SourceAccessError);
  return new Map([...ruled, ...access].map((c) => [c.name, c] as const));
}

test('every row of the README exit-code table is the exit code the CLI gives that error class', () => {
  const rows = readmeRows();
  const classes = classifiedClasses();
  const named = rows.filter((r) => r.name !== 'anything else');
  assert.deepEqual(
    named.map((r) => r.name).sort(),
    [...classes.keys()].sort(),
    'the table lists exactly the classes the CLI knows',
  );
  for (const row of named) {
    const problem = problemOf(instanceOf(classes.get(row.name)!));
    assert.equal(problem?.exitCode, row.exit, `${row.name}: README says exit ${row.exit}`);
    assert.doesNotMatch(problem.message, /\n\s+at /, `${row.name}: one message, no stack`);
  }
  const other = rows.find((r) => r.name === 'anything else');
  assert.equal(other?.exit, 1);
  assert.equal(
    problemOf(new TypeError('x')),
    undefined,
    'an unexpected error is not a user problem (main: exit 1, stack only with --debug)',
  );
});

test('a refused token says which variable to set, and for which workspace', () => {
  const error = new AuthError({ request: 'GET /me', status: 401 });
  const bound = problemOf(error, {
    target: { baseUrl: 'https://api.eu.intercom.io', from: '--region eu', workspaceName: 'Acme Support' },
  });
  assert.equal(bound?.exitCode, 2);
  assert.match(bound.message, /set INTERCOM_TOKEN to an access token of Intercom workspace "Acme Support"/);
  const unbound = problemOf(error, { target: { baseUrl: 'http://127.0.0.1:18921', from: '--intercom-url' } });
  assert.match(
    unbound!.message,
    /set INTERCOM_TOKEN to an access token of the Intercom workspace at http:\/\/127\.0\.0\.1:18921/,
  );
});

test('the source errors keep their classification: those of the source as given exit 2, the others are bugs (exit 1)', () => {
  const userToFix = [
    'SourceUrlError',
    'SourceNotFoundError',
    'SourceBusyError',
    'SourceCorruptError',
    'SourceUnreadableError',
    'SourceNotSupportedError',
    'SchemaError',
    'SourceLoginError',
    'SourceUnreachableError',
    'SourceCredentialsError',
    'SoapAuthError',
    'SoapTransportError',
  ];
  const notTheUsers = ['WriteRefusedError', 'RowError', 'SoapError', 'SoapOperationError', 'SoapWriteRefusedError'];
  const byName = new Map(sourceErrors.map((c) => [c.name, c] as const));
  assert.deepEqual(
    [...byName.keys()].filter((n) => n !== 'SourceError' && n !== 'SourceAccessError').sort(),
    [...userToFix, ...notTheUsers].sort(),
    'the facade exports every source error',
  );
  for (const cls of sourceErrors)
    assert.ok(
      cls === source.SourceError || cls.prototype instanceof source.SourceError,
      `${cls.name} extends SourceError`,
    );
  for (const name of userToFix) assert.equal(problemOf(instanceOf(byName.get(name)!))?.exitCode, 2, name);
  for (const name of notTheUsers) assert.equal(problemOf(instanceOf(byName.get(name)!)), undefined, name);
});
