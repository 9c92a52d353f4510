import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import { boundaryRule, boundarySettings } from './architecture.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', '.data/**', 'coverage/**', 'devTools/**', 'tab/public/vendor/**', '*.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': 'error',
    },
  },
  {
    // Who may import whom: the folders and their allowed dependencies are in architecture.mjs
    // (and docs/ARCHITECTURE.md); test/architecture.test.ts proves each rule bites.
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: boundarySettings,
    rules: { 'boundaries/dependencies': ['error', boundaryRule] },
  },
  {
    // botbuilder-dialogs' index loads every prompt it ships and the Recognizers-Text suite, about
    // 30 MB a bot process that the guided dialogs never use: its classes come from dialogs/dialogsSdk.ts.
    files: ['**/*.ts'],
    ignores: ['test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'botbuilder-dialogs', message: "Import from dialogs/dialogsSdk.ts: the package's index loads every prompt and the Recognizers-Text suite (about 30 MB a process)." }] },
      ],
    },
  },
  {
    // Table queries only through the odata tagged template, which escapes values.
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // Anything but odata`...` inline: a plain template, a concatenation, or a variable built elsewhere.
          selector: "Property[key.name='filter']:not([value.type='TaggedTemplateExpression'][value.tag.name='odata'])",
          message: 'Build table filters inline with the odata`...` tagged template (it escapes values), never a plain string, a concatenation or a variable.',
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
