/** Bundles the in-editor suite into one file an extension host can require (vscode stays external). */
import { buildSync } from 'esbuild';
import { join } from 'node:path';

export const suiteBundle = join(__dirname, '..', '..', '.cache', 'electron-suite', 'index.js');

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
