import type * as Commands from './commands';

let commands: typeof Commands | undefined;

/**
 * The commands' bundle, `dist/commands.js` (commands.ts): required the first time a command runs (or a save is
 * refused, or forwards are restored at startup), so that activation loads only what registers them.
 */
export function loadCommands(): typeof Commands {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the commands bundle is a file beside this one, required at run time on first use
  commands ??= require('./commands.js') as typeof Commands;
  return commands;
}
