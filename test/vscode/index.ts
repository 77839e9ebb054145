// Entry point VS Code loads as extensionTestsPath: runs every compiled *.test.js next to it with
// mocha inside the real extension host (see scripts/e2e/build-tests.mjs).
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export async function run(): Promise<void> {
  // The host forwards console output, not process.stdout, to the test driver: the spec reporter's
  // lines go through console.log, so they arrive intact.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  for (const name of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, name));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
