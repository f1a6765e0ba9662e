// One esbuild script for every bundle.
//   dist/extension.js  what activate() loads: the editor layer only, kept tiny
//   dist/core.js       the AWS SDK, ssh2 and everything heavy, required on first use
//   dist/cli.js        the `ec2ic` command line; shares dist/core.js at run time
// Flags: --watch rebuilds on change, --production minifies and drops source maps.
import * as esbuild from 'esbuild';
import { activationBundleProblems } from './activation-bundle.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** The entry bundles reach the core through `require('./core.js')` at run time (src/core/load.ts). */
const coreIsExternal = {
  name: 'core-is-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/core\.js$/ }, () => ({ path: './core.js', external: true }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'info',
  // ssh2's optional native speed-ups: it falls back to pure JS when they are missing.
  external: ['vscode', 'cpu-features', '*.node'],
  plugins: [coreIsExternal],
};

/** Fails the build when the activation bundle pulls in the AWS SDK or ssh2 (see activation-bundle.mjs). */
const activationBundleCheck = {
  name: 'activation-bundle-check',
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) return;
      const problems = activationBundleProblems(result.metafile);
      if (problems.length === 0) return;
      const text =
        'dist/extension.js, the bundle activate() loads, must not contain the AWS SDK or ssh2: reach them through loadCore() ' +
        `(src/core/load.ts), which requires dist/core.js on first use. It contains:\n  ${problems.join('\n  ')}`;
      // esbuild does not print errors an onEnd callback adds.
      console.error(`✘ [ERROR] ${text}\n`);
      return { errors: [{ text }] };
    });
  },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/editor/extension.ts' }, outdir: 'dist', metafile: true, plugins: [...common.plugins, activationBundleCheck] },
  { ...common, entryPoints: { core: 'src/core/core.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  // esbuild has printed the errors (logLevel above): only the exit status is left to set.
  await Promise.all(builds.map((options) => esbuild.build(options))).catch(() => process.exit(1));
}
