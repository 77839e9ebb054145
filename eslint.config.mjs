import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

const CLOCK_RULES = [
  {
    selector: "MemberExpression[object.name='Date'][property.name='now']",
    message: 'Read the calendar through a Clock (src/model/clock.ts); durations use performance.now().',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read the calendar through a Clock (src/model/clock.ts).',
  },
];

// The message of anything thrown comes from messageOf (src/model/error-message.ts): a cast reads
// undefined from a thrown non-Error.
const ERROR_RULES = [
  {
    selector: "MemberExpression[property.name='message'] > TSAsExpression.object[typeAnnotation.typeName.name='Error']",
    message: "Read a thrown value's message with messageOf (src/model/error-message.ts), not a cast.",
  },
  {
    selector:
      "ConditionalExpression[test.operator='instanceof'][test.right.name='Error'][consequent.property.name='message']",
    message: 'Use messageOf (src/model/error-message.ts).',
  },
];

// DESIGN.md, "The layers": every folder of src/, and the arrows that no-restricted-imports enforces.
const LAYERS = ['extension', 'cli', 'engine', 'reports', 'mapping', 'source', 'intercom', 'ledger', 'sandbox', 'model'];
const VSCODE = { name: 'vscode', message: 'Only src/extension may import vscode (DESIGN.md: layers).' };
const SOURCE_FACADE = 'Import the source layer through src/source/index.ts, its facade (DESIGN.md: layers).';
const arrow = (from, allowed) =>
  `${from} may ${allowed.length ? `import only ${allowed.map((a) => `src/${a}`).join(', ')}` : 'import no other folder of src'} (DESIGN.md: layers)`;

/** src/<name> may import only the layers in `allowed` (and its own folder); only src/extension imports vscode. */
function layer(name, allowed, message = arrow(`src/${name}`, allowed)) {
  const own = name.split('/')[0];
  const forbidden = LAYERS.filter((l) => l !== own && !allowed.includes(l));
  // A relative import climbs out of the folder (../), then names the layer it enters.
  const patterns = forbidden.length ? [{ regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`, message }] : [];
  // Other layers see the source through its facade (its readers' drivers and files stay its own).
  if (allowed.includes('source')) patterns.push({ regex: '^(\\.\\./)+source/.', message: SOURCE_FACADE });
  return {
    files: [`src/${name}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths: own === 'extension' ? [] : [VSCODE], patterns }] },
  };
}

/** The webview talks to the extension only through src/model; `allowed` are paths under src/. */
function webview(files, allowed) {
  const except = allowed.map((a) => `${a}(/|$)`).join('|');
  return {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [VSCODE], patterns: [{ regex: `^(\\.\\./)+src/(?!${except})`, message: arrow('webview', allowed) }] },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.cache/**', 'migration/**', 'demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      // One import order everywhere (side-effect imports stay first and in their own order).
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  // DESIGN.md, "The layers": the arrows between the folders of src/ and the webview, one block each.
  layer('extension', ['engine', 'reports', 'mapping', 'source', 'intercom', 'ledger', 'sandbox', 'model']),
  layer('cli', ['engine', 'reports', 'mapping', 'source', 'intercom', 'ledger', 'sandbox', 'model']),
  layer('engine', ['mapping', 'source', 'intercom', 'ledger', 'model']),
  // Reports are beside the engine, not under it: they read the ledger, the source and Intercom, and
  // the mapping file through src/model.
  layer('reports', ['source', 'intercom', 'ledger', 'model']),
  // DESIGN.md: validation shares no code with what it checks. The verifier may read the mapping
  // file's model (src/model/mapping) but never the mapping layer's transforms, nor the engine; its own
  // block keeps it so should the reports ever need more.
  layer(
    'reports/verify',
    ['source', 'intercom', 'ledger', 'model'],
    'src/reports/verify may import only src/source, src/intercom, src/ledger and src/model: it shares no code with the transforms or the engine it checks (DESIGN.md: invariants)',
  ),
  layer('mapping', ['model']),
  layer('source', ['model']),
  layer('intercom', ['model']),
  layer('ledger', ['model']),
  // The sandbox reimplements Intercom's rules on its own, so a rehearsal can catch the client's mistakes.
  layer('sandbox', ['model']),
  layer('model', []),
  webview('webview/**/*.ts', ['model']),
  {
    // The calendar is read through src/model/clock.ts only, so every date rule can be pinned in tests.
    files: ['src/**/*.ts'],
    ignores: ['src/model/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CLOCK_RULES, ...ERROR_RULES] },
  },
  {
    // The adapters get their Intercom client from the engine (src/engine/intercom-client.ts), so the
    // editor and the command line cannot drift apart in its settings.
    files: ['src/extension/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...CLOCK_RULES,
        ...ERROR_RULES,
        {
          selector: "NewExpression[callee.name='IntercomClient']",
          message: 'Build the client with intercomClientFor (src/engine/intercom-client.ts).',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
