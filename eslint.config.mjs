// ESLint (flat config): typescript-eslint's recommended rules, sorted imports, and the layers of src/ as rules.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

/**
 * The folders of src/ and what each may import (besides itself and node_modules). A folder missing from
 * another's list may not be imported by it, so that no two folders import each other and the editor,
 * the CLI and the core stay apart. See README.md, "How it is built".
 */
const core = ['core/base', 'core/errors', 'core/aws', 'core/ssh', 'core/transport', 'core/eice', 'core/inventory', 'core/remote', 'core/connect', 'core/forward', 'core/files'];
const layers = {
  'core/base': [],
  'core/errors': ['core/base'],
  'core/aws': ['core/base', 'core/errors'],
  'core/ssh': ['core/base', 'core/errors'],
  'core/transport': ['core/base', 'core/errors', 'core/aws'],
  'core/eice': ['core/base', 'core/errors', 'core/aws', 'core/transport'],
  'core/inventory': ['core/base', 'core/errors', 'core/aws', 'core/transport', 'core/eice'],
  'core/remote': ['core/base', 'core/errors', 'core/aws', 'core/ssh'],
  'core/connect': ['core/base', 'core/errors', 'core/aws', 'core/ssh', 'core/transport', 'core/eice'],
  'core/forward': ['core/base', 'core/errors', 'core/aws', 'core/ssh', 'core/transport', 'core/eice', 'core/connect'],
  'core/files': ['core/base', 'core/errors', 'core/aws', 'core/ssh', 'core/transport', 'core/eice', 'core/connect'],
  'editor/services': ['core', ...core],
  'editor/ui': ['editor/services'],
  'editor/actions': ['editor/services', ...core],
  'editor/pickers': ['editor/services', ...core],
  'editor/tree': ['editor/services', ...core],
  'editor/failures': ['editor/services', 'editor/actions', 'editor/pickers', ...core],
  'editor/terminal': ['editor/services', 'editor/actions', 'editor/pickers', 'editor/failures', ...core],
  'editor/files': ['editor/services', 'editor/actions', 'editor/pickers', 'editor/failures', ...core],
  'editor/commands': ['editor/services', 'editor/actions', 'editor/pickers', 'editor/failures', 'editor/terminal', 'editor/tree', 'editor/files', ...core],
  cli: ['core', ...core],
};
const folders = Object.keys(layers);

const allowed = (path) => (path === 'core' ? ['./core/core.ts', './core/load.ts'] : [`./${path}`]);

/**
 * One zone per folder: nothing under src/ but itself and what its layer allows (`except` is relative to
 * `from`). The root files of src/core (the bundle's entry, its loader) and of src/editor (the wiring) may use
 * their whole side, never the other's.
 */
const zones = [
  ...folders.map((folder) => ({
    target: `./src/${folder}/**`,
    from: './src',
    except: [folder, ...layers[folder]].flatMap(allowed),
    message: `src/${folder} may import only ${layers[folder].length ? layers[folder].join(', ') : 'nothing else under src/'} (the layers are in eslint.config.mjs).`,
  })),
  { target: './src/core/*.ts', from: './src', except: ['./core'], message: 'The core imports neither the editor nor the CLI.' },
  { target: './src/editor/*.ts', from: './src', except: ['./editor', './core'], message: 'The editor does not import the CLI.' },
];

const vscodeOnlyInEditor = {
  paths: [{ name: 'vscode', message: 'Only src/editor/ imports vscode: the core and the CLI run without an editor.' }],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'test-results/', '.vscode-test/', 'bench/tmp/', '**/*.js', '**/*.mjs', 'test/electron/harness/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX, 'simple-import-sort': simpleImportSort },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.json'] } } },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', vscodeOnlyInEditor],
    },
  },
  {
    // The layers: vscode inside src/editor only; core imports neither the editor nor the CLI; no two folders import each other.
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }],
    },
  },
  {
    files: ['src/editor/**/*.ts', 'test/electron/**/*.ts', 'bench/vscodeStub.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
