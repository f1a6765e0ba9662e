import { cancelled } from '../../core/errors/productError';
import type { Services } from '../services/services';
import type { UriParts } from '../services/ui';
import { isInstanceUri } from './fileUri';

/** A URI's parts, copied (a vscode.Uri from a menu has them as getters). */
function copy(uri: UriParts): UriParts {
  return { scheme: uri.scheme, authority: uri.authority, path: uri.path };
}

/**
 * What an explorer menu passes (the item, then every selected item): the selected files of instances, or the
 * item alone when the selection does not hold it.
 */
export function instanceResources(arg: unknown, selected: unknown): UriParts[] {
  if (!isInstanceUri(arg)) return [];
  const all = Array.isArray(selected) ? selected.filter(isInstanceUri) : [];
  const key = (uri: UriParts) => `${uri.authority}${uri.path}`;
  return (all.some((uri) => key(uri) === key(arg)) ? all : [arg]).map(copy);
}

/**
 * The folder of an instance a command acts on: the explorer's item, else the workspace folder of an instance
 * (asked when there are several). Throws `cancelled()` when dismissed, and says so when none is open.
 */
export async function instanceFolderArgument(services: Services, arg: unknown, purpose: string): Promise<UriParts> {
  if (isInstanceUri(arg)) return copy(arg);
  const folders = services.ui.workspaceFolders().filter((folder) => isInstanceUri(folder.uri));
  if (folders.length === 1) return copy(folders[0].uri);
  if (folders.length === 0) {
    await services.ui.showMessage('info', 'No folder of an instance is open: Open Folder on Instance… opens one.');
    throw cancelled();
  }
  const chosen = await services.ui.pick(
    folders.map((folder) => ({ label: folder.name, description: folder.uri.path, value: folder.uri })),
    { title: `Choose the folder to ${purpose}` },
  );
  if (!chosen) throw cancelled();
  return copy(chosen);
}
