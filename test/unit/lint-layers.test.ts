import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ESLint } from 'eslint';

// The layer arrows of DESIGN.md live in eslint.config.mjs; these snippets show that a wrong import
// fails the lint and a right one passes. Text is linted in memory, so no file is written.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });

async function layerErrors(filePath: string, specifier: string): Promise<string[]> {
  const code = `import { value } from '${specifier}';\nexport const again = value;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  assert.ok(result, filePath);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// [file inside the layer, an import its arrows forbid, an import they allow]
const CASES: [string, string, string][] = [
  ['src/extension/views/runs.ts', '../../cli/main', '../../engine/run-migration'],
  ['src/cli/commands/run.ts', '../../extension/extension', '../../sandbox/index'],
  ['src/engine/phases/people.ts', '../../reports/scope', '../../intercom/client'],
  ['src/engine/run.ts', '../sandbox/index', '../ledger/ledger'],
  ['src/reports/scope.ts', '../engine/run-migration', '../source'],
  ['src/reports/rebuild-inventory.ts', '../mapping/source-fields', '../ledger/index'],
  ['src/reports/verify/check-people.ts', '../../mapping/apply', '../../model/mapping'],
  ['src/mapping/apply.ts', '../source/reader', '../model/source'],
  ['src/source/sql/reader.ts', '../../intercom/client', '../../model/source'],
  ['src/intercom/endpoints/contacts.ts', '../../engine', '../../model/clock'],
  ['src/ledger/ledger.ts', '../reports/scope', '../model/journal'],
  ['src/sandbox/resources/contacts.ts', '../../intercom/client', '../../model/intercom-limits'],
  ['src/model/mapping.ts', '../mapping/targets', './source'],
  ['webview/main.ts', '../src/mapping/targets', '../src/model/mapping'],
  ['webview/field-table.ts', '../src/reports/scope', '../src/model/run-figures'],
];

for (const [file, forbidden, allowed] of CASES) {
  const layer = file.startsWith('webview/') ? 'webview' : file.split('/').slice(0, 2).join('/');
  test(`${file}: '${forbidden}' is refused, '${allowed}' is not`, async () => {
    const refused = await layerErrors(file, forbidden);
    assert.equal(refused.length, 1, `${forbidden} from ${file}`);
    // The message names the arrow: who may import what, and where DESIGN.md says so.
    assert.match(
      refused[0] ?? '',
      new RegExp(`${layer}(/verify)? may import .*\\(DESIGN\\.md: (layers|invariants)\\)$`),
    );
    assert.deepEqual(await layerErrors(file, allowed), [], `${allowed} from ${file}`);
  });
}

test('the other layers import the source through its facade only', async () => {
  for (const [file, deep, facade] of [
    ['src/cli/problems.ts', '../source/sql/catalog', '../source'],
    ['src/engine/context.ts', '../source/reader', '../source'],
    ['src/reports/verify/types.ts', '../../source/reader', '../../source'],
  ] as const) {
    const refused = await layerErrors(file, deep);
    assert.equal(refused.length, 1, file);
    assert.match(
      refused[0] ?? '',
      /Import the source layer through src\/source\/index\.ts, its facade \(DESIGN\.md: layers\)\.$/,
    );
    assert.deepEqual(await layerErrors(file, facade), [], file);
  }
  assert.deepEqual(
    await layerErrors('src/source/open-source.ts', './sql/catalog'),
    [],
    'inside the layer, its own modules',
  );
});

test('only src/extension imports vscode', async () => {
  assert.deepEqual(await layerErrors('src/extension/commands.ts', 'vscode'), []);
  for (const file of ['src/engine/run.ts', 'src/cli/main.ts', 'src/model/clock.ts', 'webview/main.ts']) {
    const refused = await layerErrors(file, 'vscode');
    assert.equal(refused.length, 1, file);
    assert.match(refused[0] ?? '', /Only src\/extension may import vscode \(DESIGN\.md: layers\)\.$/);
  }
});

test('every folder of src has its layer block (a new folder needs its arrows in eslint.config.mjs)', async () => {
  const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  assert.ok(folders.includes('engine') && folders.includes('model'));
  for (const folder of folders.filter((f) => f !== 'extension')) {
    assert.equal((await layerErrors(`src/${folder}/any.ts`, 'vscode')).length, 1, `src/${folder} has no layer block`);
  }
});
