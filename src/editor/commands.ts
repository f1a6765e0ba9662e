// Entry of the editor's second bundle (dist/commands.js): what runs only once the user does something (every
// command's body, the pickers, the terminals, the failure notifications and their texts). dist/extension.js
// registers the commands by id and requires this through loadCommands() on the first one run.
export { restoreForwards } from './actions/restoreForwards';
export { runCommandById } from './commands/registry';
export { offerSaveAsRoot } from './files/saveAsRoot';
