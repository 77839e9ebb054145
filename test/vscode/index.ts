// Entry point VS Code loads as extensionTestsPath: runs every compiled *.test.js next to it with
// mocha inside the real extension host (see scripts/e2e/build-tests.mjs).
import { readdirSync } from 'node:fs';
import path from 'node:path';

import Mocha from 'mocha';

export async function run(): Promise<void> {
  // The host forwards console output, not process.stdout, to the test driver: the spec reporter's
  // lines go through console.log, so they arrive intact.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  // Sorted by stem, so `workflow.<part>.test.js` suites run after `workflow.test.js`, whose workspace they continue.
  const stem = (name: string) => name.replace(/\.test\.js$/, '');
  const files = readdirSync(__dirname)
    .filter((n) => n.endsWith('.test.js'))
    .sort((a, b) => (stem(a) < stem(b) ? -1 : stem(a) > stem(b) ? 1 : 0));
  for (const name of files) {
    mocha.addFile(path.join(__dirname, name));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
