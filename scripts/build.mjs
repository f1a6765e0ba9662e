// One esbuild script for every bundle.
//   dist/extension.js  what activate() loads: the editor layer's wiring, the tree and the file system's registration, kept tiny
//   dist/commands.js   every command's body and the failure notifications, required when a command first runs
//   dist/core.js       the AWS SDK, ssh2 and everything heavy, required on first use
//   dist/proxy.js      `ec2ic proxy` alone (the SDK clients it calls, the tunnel; no ssh2), run by ssh for every connection
//   dist/cli.js        the `ec2ic` command line; shares dist/core.js and dist/proxy.js at run time
// Flags: --watch rebuilds on change, --production minifies and drops source maps.
import * as esbuild from 'esbuild';
import { activationBundleProblems, commandsOnlySources, heavyPackages, notInProxyBundle, sourcesUnder } from './activation-bundle.mjs';
import { nodeBundle } from './esbuild-options.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  ...nodeBundle,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'info',
};

/**
 * Fails the build when a bundle holds a package it must not, or a source file under one of `sources` (see
 * activation-bundle.mjs), saying why with `reason`.
 */
function bundleCheck(name, packages, reason, sources = []) {
  return {
    name,
    setup(build) {
      build.onEnd((result) => {
        if (!result.metafile) return;
        const problems = [...activationBundleProblems(result.metafile, packages), ...sourcesUnder(result.metafile, sources)];
        if (problems.length === 0) return;
        const text = `${reason} It contains:\n  ${problems.join('\n  ')}`;
        // esbuild does not print errors an onEnd callback adds.
        console.error(`✘ [ERROR] ${text}\n`);
        return { errors: [{ text }] };
      });
    },
  };
}

const activationBundleCheck = bundleCheck(
  'activation-bundle-check',
  heavyPackages,
  'dist/extension.js, the bundle activate() loads, must not contain the AWS SDK or ssh2: reach them through loadCore() ' +
    '(src/core/load.ts), which requires dist/core.js on first use; nor the commands\' bodies, the terminals or the failure ' +
    'notifications: reach them through loadCommands() (src/editor/loadCommands.ts), which requires dist/commands.js.',
  commandsOnlySources,
);

const commandsBundleCheck = bundleCheck(
  'commands-bundle-check',
  heavyPackages,
  'dist/commands.js, the bundle a command loads on its first run, must not contain the AWS SDK or ssh2: reach them through ' +
    'services.core() (src/core/load.ts), which requires dist/core.js on first use.',
);

const proxyBundleCheck = bundleCheck(
  'proxy-bundle-check',
  notInProxyBundle,
  'dist/proxy.js, what `ec2ic proxy` loads for every ssh connection, must not contain ssh2 (OpenSSH does the SSH protocol): ' +
    'import nothing from src/core/ssh/ but sshErrors.ts into it (see src/core/proxyCore.ts).',
);

const builds = [
  { ...common, entryPoints: { extension: 'src/editor/extension.ts' }, outdir: 'dist', metafile: true, plugins: [...common.plugins, activationBundleCheck] },
  { ...common, entryPoints: { commands: 'src/editor/commands.ts' }, outdir: 'dist', metafile: true, plugins: [...common.plugins, commandsBundleCheck] },
  { ...common, entryPoints: { core: 'src/core/core.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { proxy: 'src/core/proxyCore.ts' }, outdir: 'dist', metafile: true, plugins: [...common.plugins, proxyBundleCheck] },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  // esbuild has printed the errors (logLevel above): only the exit status is left to set.
  await Promise.all(builds.map((options) => esbuild.build(options))).catch(() => process.exit(1));
}
