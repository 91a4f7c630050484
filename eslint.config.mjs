// ESLint flat config (`npm run lint`). Recommended presets only, none type-checked, so the whole tree lints in a few
// seconds: @eslint/js, typescript-eslint and eslint-plugin-react-hooks (renderer only), plus the architecture
// boundaries below, which mirror test/unit/architecture/core-has-no-electron.test.ts (that test stays; the lint
// rules report the same thing in the editor and name the line). test/unit/tooling/eslint-boundaries.test.ts
// proves each boundary rule fires on a violating import.
//
// Boundaries (see STYLE.md, "layering by runtime"):
//   src-main/core/**      plain Node: never `electron` (import, import type, export from, import(), require(),
//                         import = require()); relative imports only into src-main/core and src-shared/contract;
//                         no computed import()/require() (they cannot be checked).
//   src-renderer/**       sandboxed: never `electron`; from outside itself only src-shared/contract and
//                         src-shared/transport (never src-main, src-preload, test or scripts).
//   src-shared/**         shared with the renderer: never `electron`; the contract imports only itself, the
//                         transport only itself and the contract.
// To add a boundary, add a block with `proximity/import-boundaries` (scripts/lint/import-boundaries.mjs) and, for
// package names, `@typescript-eslint/no-restricted-imports` + `no-restricted-syntax` (electronBan below).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import proximity from './scripts/lint/import-boundaries.mjs';

const root = import.meta.dirname;

/** `electron` and its subpaths (`electron/main`, ...), not `electron-store` or `electron-vite`. */
const ELECTRON = /^electron(?![\w.-])/.source;

/** Rules that refuse `electron` in every import form, with `because` in each message. */
function electronBan(because) {
  const message = `${because}.`;
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { paths: [{ name: 'electron', message }], patterns: [{ group: ['electron/*'], message }] },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: `ImportExpression[source.value=/${ELECTRON}/]`, message: `import('electron'): ${message}` },
      { selector: `CallExpression[callee.name='require'][arguments.0.value=/${ELECTRON}/]`, message: `require('electron'): ${message}` },
      { selector: `TSImportType[source.value=/${ELECTRON}/]`, message: `typeof import('electron'): ${message}` },
    ],
  };
}

/** `proximity/import-boundaries` for one layer: relative imports only into `allow`. */
function boundary(allow, because, forbidComputed = false) {
  return { 'proximity/import-boundaries': ['error', { root, allow, because, forbidComputed }] };
}

export default defineConfig(
  globalIgnores([
    'out/',
    'dist/',
    '.cache/',
    '.lab-run/',
    'test-results/',
    'test/lab/userland/bin/_lib/node_modules/',
  ]),
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { proximity },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (ignored callback parameters, placeholders).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests and the lab read untyped wire data (PVE answers, the API schema, JSON from child processes) and poke at
    // mocks; `any` is a deliberate shortcut there. Product code (src-*, scripts) stays strict.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The renderer runs in a browser (Electron's sandboxed renderer or a tab via `npm run web`).
    files: ['src-renderer/**'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...electronBan('the renderer is sandboxed; it reaches main only through the preload API'),
      ...boundary(
        ['src-renderer', 'src-shared/contract', 'src-shared/transport'],
        'the renderer imports from outside itself only the shared contract and transport (never main-process or preload code)',
      ),
    },
  },
  {
    files: ['src-main/core/**'],
    rules: {
      ...electronBan('core must not depend on Electron (src-main/core is plain Node; Electron adapters live in src-main/platform)'),
      ...boundary(['src-main/core', 'src-shared/contract'], 'core may import only core and the contract', true),
    },
  },
  {
    files: ['src-shared/**'],
    rules: electronBan('src-shared is shared with the renderer and must not depend on Electron'),
  },
  {
    files: ['src-shared/contract/**'],
    rules: boundary(['src-shared/contract'], 'the contract imports only itself'),
  },
  {
    files: ['src-shared/transport/**'],
    rules: boundary(['src-shared/transport', 'src-shared/contract'], 'the transport imports only itself and the contract'),
  },
);
