import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { ESLint } from 'eslint';

// eslint.config.mjs (ERROR_RULES): the message of anything thrown is read with messageOf, never by a cast.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });

async function syntaxErrors(filePath: string, body: string): Promise<string[]> {
  const code = `import { messageOf } from '../model/error-message';\nexport function f(error: unknown): string {\n  ${body}\n}\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  assert.ok(result, filePath);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

test("a cast or a hand-made instanceof test for an error's message is refused in src, messageOf is not", async () => {
  for (const file of ['src/engine/any.ts', 'src/cli/any.ts', 'src/extension/any.ts']) {
    for (const body of [
      'return (error as Error).message;',
      'return (error as Error)?.message ?? "";',
      'return error instanceof Error ? error.message : String(error);',
    ]) {
      const refused = await syntaxErrors(file, body);
      assert.equal(refused.length, 1, `${file}: ${body}`);
      assert.match(refused[0] ?? '', /messageOf \(src\/model\/error-message\.ts\)/);
    }
    assert.deepEqual(await syntaxErrors(file, 'return messageOf(error);'), [], file);
  }
});
