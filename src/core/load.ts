import type * as Core from './core';

let core: typeof Core | undefined;

/**
 * The heavy half of the extension (AWS SDK, ssh2, sshpk) lives in a second bundle, `dist/core.js`,
 * so that activation stays fast: it is required the first time something needs it.
 */
export function loadCore(): typeof Core {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core bundle is a file beside this one, required at run time on first use
  core ??= require('./core.js') as typeof Core;
  return core;
}
