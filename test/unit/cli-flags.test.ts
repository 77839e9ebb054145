import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { FLAGS, parseVerb, synopsis, verbHelp } from '../../src/cli/flags';
import { VERBS } from '../../src/cli/verbs';

/** Issue 18, bullet 3: each verb takes only its own flags, --help describes them, the README agrees. */

test("the README's command block is exactly the synopsis of every verb, from the same definitions", () => {
  const readme = readFileSync('README.md', 'utf8');
  const block = /### Commands[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has a command block under "### Commands"');
  const expected = Object.values(VERBS).map(synopsis).join('\n') + '\n';
  assert.equal(block, expected, `README command block is out of date; it should read:\n${expected}`);
});

test('--help of every verb describes each of its flags with a default', () => {
  for (const spec of Object.values(VERBS)) {
    const help = verbHelp(spec);
    for (const flag of spec.flags) {
      const line = help
        .split('\n')
        .find(
          (l) =>
            l.trimStart().startsWith(`--${flag} `) ||
            l.trim() === `--${flag}` ||
            l.trimStart().startsWith(`--${flag}  `),
        );
      assert.ok(line, `${spec.verb} --help lists --${flag}`);
      assert.ok(line.includes(FLAGS[flag].description), `${spec.verb} --help describes --${flag}`);
      assert.match(line, /\((default: .+|required)\)$/, `${spec.verb} --help gives the default of --${flag}`);
    }
    assert.match(help, /--debug/);
  }
});

test("another verb's flag is refused with the list of what this one takes", () => {
  assert.throws(
    () => parseVerb(VERBS.migrate, ['--source', 'sqlite:x.db', '--size', '5']),
    (e: Error) => {
      assert.match(e.message, /^migrate does not take --size\. It takes: --source, --attachments, --workspace/);
      return true;
    },
  );
  assert.throws(
    () => parseVerb(VERBS.scope, ['--source', 'sqlite:x.db', '--dry-run', '--yes']),
    /scope does not take --dry-run, --yes\. It takes: --source/,
  );
  assert.throws(
    () => parseVerb(VERBS.mapConfirm, ['--reviewer', 'x', '--intercom-url=http://x']),
    /map confirm does not take --intercom-url/,
  );
  assert.throws(() => parseVerb(VERBS.rollback, ['r1', '-y']), /rollback does not take -y/);
  // Its own flags parse, in either spelling.
  const { values, positionals } = parseVerb(VERBS.rollback, ['r1', '--workspace=w', '--yes']);
  assert.deepEqual({ ...values }, { workspace: 'w', yes: true });
  assert.deepEqual(positionals, ['r1']);
  assert.throws(
    () => parseVerb(VERBS.migrate, []),
    /--source is required \(usage: st2ic migrate --source <source> <target>/,
  );
  assert.throws(
    () => parseVerb(VERBS.migrate, ['--source', 'sqlite:x', 'stray']),
    /Unexpected argument 'stray'|positional/,
  );
});
