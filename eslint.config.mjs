import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CLOCK_RULES = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Read the calendar through a Clock (src/model/clock.ts); durations use performance.now().' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Read the calendar through a Clock (src/model/clock.ts).' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.cache/**', 'migration/**', 'demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // DESIGN.md: only src/extension knows about VS Code.
    files: ['src/engine/**', 'src/mapping/**', 'src/source/**', 'src/intercom/**', 'src/ledger/**', 'src/reports/**', 'src/sandbox/**', 'src/model/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }] }] },
  },
  {
    // DESIGN.md: validation shares no code with what it checks. The verifier may read the mapping
    // file's model (src/model/mapping) but never the mapping layer's transforms, nor the engine.
    files: ['src/reports/verify/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }], patterns: [
      { group: ['**/mapping/*', '!**/model/mapping'], message: 'The verifier shares no code with the transforms it checks (DESIGN.md).' },
      { group: ['**/engine/*'], message: 'The verifier shares no code with the engine it checks (DESIGN.md).' },
    ] }] },
  },
  {
    // The calendar is read through src/model/clock.ts only, so every date rule can be pinned in tests.
    files: ['src/**/*.ts'],
    ignores: ['src/model/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CLOCK_RULES] },
  },
  {
    // The adapters get their Intercom client from the engine (src/engine/intercom-client.ts), so the
    // editor and the command line cannot drift apart in its settings.
    files: ['src/extension/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...CLOCK_RULES,
        { selector: "NewExpression[callee.name='IntercomClient']", message: 'Build the client with intercomClientFor (src/engine/intercom-client.ts).' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
