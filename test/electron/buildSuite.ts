/** Bundles the in-editor suite into one file an extension host can require (vscode stays external). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { buildSync } from 'esbuild';

const root = join(__dirname, '..', '..');
export const suiteBundle = join(root, '.cache', 'electron-suite', 'index.js');
export const harnessVsix = join(root, '.cache', 'electron-suite', 'test-harness.vsix');

export function buildSuite(): string {
  buildSync({
    entryPoints: [join(__dirname, 'suite', 'index.ts')],
    outfile: suiteBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return suiteBundle;
}

/** Packages the harness extension (test/electron/harness) that runs the suite inside code-server. */
export function packageHarness(): string {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', harnessVsix],
    { cwd: join(__dirname, 'harness'), stdio: 'ignore' },
  );
  return harnessVsix;
}
