import { locationOf, remotePath } from '../files/fileUri';
import { knownInstance, locationContext } from '../files/locationContext';
import { instanceFolderArgument } from '../files/resourceArgument';
import { commandIds } from '../services/commandIds';
import { openFolderTerminal } from '../terminal/folderTerminal';
import type { CommandDefinition } from './command';

/** Open Terminal Here: a shell in a folder of an instance, on the same connection as its files. */
export const openTerminalHere: CommandDefinition = {
  id: commandIds.openTerminalHere,
  run: async (services, arg) => {
    const folder = await instanceFolderArgument(services, arg, 'open a terminal in');
    const location = locationOf(folder);
    openFolderTerminal(services, location, remotePath(folder.path), {
      instanceName: knownInstance(services, location)?.name,
      context: locationContext(services, location, 'connect'),
    });
  },
};
