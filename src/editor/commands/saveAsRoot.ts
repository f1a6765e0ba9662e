import { isInstanceUri } from '../files/fileUri';
import { saveDocumentAsRoot } from '../files/saveAsRoot';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/**
 * Save as Root…: the document of an instance's file written with `sudo tee` (offered when a save is refused
 * for permissions and sudo works without a password; also in the palette for the active editor).
 */
export const saveAsRoot: CommandDefinition = {
  id: commandIds.saveAsRoot,
  run: async (services, arg) => {
    const uri = isInstanceUri(arg) ? arg : services.ui.activeDocument();
    if (!isInstanceUri(uri)) {
      await services.ui.showMessage('info', 'Save as Root… saves a file of an instance: open one from a folder of an instance first.');
      return;
    }
    await saveDocumentAsRoot(services, { scheme: uri.scheme, authority: uri.authority, path: uri.path });
  },
};
