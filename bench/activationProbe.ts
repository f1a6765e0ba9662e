/**
 * Run in a fresh Node process by bench/activation.ts: requires the built entry bundle with a stub
 * `vscode`, runs activate(), and prints JSON with the time taken and whether the heavy bundle (or the commands'
 * bundle, which a command loads on its first run) loaded.
 * With --eager it also requires dist/core.js first: what activation would cost without the split.
 */
import { join } from 'node:path';

import { installVscodeStub, stubContext } from './vscodeStub';

// Run bundled by plain node from a scratch directory (see activation.ts), in the repository as its working directory.
const dist = join(process.cwd(), 'dist');
installVscodeStub();
const start = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- what VS Code does to load an extension, timed
if (process.argv.includes('--eager')) require(join(dist, 'core.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- what VS Code does to load an extension, timed
const extension = require(join(dist, 'extension.js')) as { activate(context: unknown): unknown };
extension.activate(stubContext());
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const loaded = Object.keys(require.cache);
process.stdout.write(
  JSON.stringify({
    ms,
    coreLoaded: loaded.some((file) => file.endsWith(join('dist', 'core.js'))),
    commandsLoaded: loaded.some((file) => file.endsWith(join('dist', 'commands.js'))),
    sdkOrSsh2Loaded: loaded.some((file) => /node_modules[\\/](@aws-sdk|ssh2)[\\/]/.test(file)),
  }),
);
