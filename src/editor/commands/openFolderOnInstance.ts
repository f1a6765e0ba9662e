import { posix } from 'node:path';

import { type Ec2Instance, instanceLabel, instanceTitle } from '../../core/aws/model';
import { oneLine } from '../../core/base/sanitize';
import type { Lease } from '../../core/connect/connectionPool';
import { isProductError } from '../../core/errors/productError';
import type { FilesLocation } from '../../core/files/location';
import { ConnectAttempt, leaseWithProgress, reconnectActions } from '../failures/connectAttempt';
import { instanceUri } from '../files/fileUri';
import { pickRemoteFolder } from '../files/pickRemoteFolder';
import { reportFileFailure } from '../files/reportFileFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { UriParts } from '../services/ui';
import type { CommandDefinition } from './command';

/**
 * Open Folder on Instance…: a folder of the instance (its user's home, or one browsed to or typed) as a workspace
 * folder of this window, or in a new window (`files.openIn`). Its files are read and written over SFTP on the
 * instance's shared connection: nothing is installed on the instance.
 */
export const openFolderOnInstance: CommandDefinition = {
  id: commandIds.openFolderOnInstance,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Open a folder of an instance',
      filter: (i) => i.state === 'running' && i.platform === 'linux',
    });
    return openFolderOf(services, instance);
  },
};

/**
 * Connects first (a stopped instance, a refused key or a missing endpoint is said before anything is asked; the
 * browsing and then the files share the connection), then asks for the folder, then opens it. Resolves to the
 * folder's URI, or undefined when it was not opened.
 */
export async function openFolderOf(services: Services, instance: Ec2Instance): Promise<UriParts | undefined> {
  const attempt = new ConnectAttempt(instance);
  let lease: Lease | undefined;
  let chosen: { location: FilesLocation; path: string } | undefined;
  let failure: unknown;
  try {
    lease = await leaseWithProgress(services, attempt);
    const current = attempt.instance;
    const location: FilesLocation = { instanceId: current.instanceId, region: current.region, osUser: lease.target.osUser };
    if (current.profile !== undefined) location.profile = current.profile;
    const remote = services.files().at(location);
    const home = await services.ui.withProgress(`Opening the files of ${instanceTitle(current)}…`, () => remote.home());
    const path = await pickRemoteFolder(services, remote, { start: home, home, title: `A folder of ${instanceLabel(current)} as ${location.osUser}` });
    if (path) chosen = { location, path };
  } catch (err) {
    failure = err;
  } finally {
    // The files hold the connection now (their SFTP session), or nothing does: it lingers, then ends.
    lease?.release();
  }
  const current = attempt.instance;
  if (failure !== undefined) {
    if (isProductError(failure, 'cancelled')) return undefined;
    const again = () => openFolderOf(services, current);
    await reportFileFailure(services, failure, attempt.context(), `open the files of ${instanceTitle(current)}`, {
      ...reconnectActions(services, current, attempt.target?.osUser, again),
      retry: again,
    });
    return undefined;
  }
  if (!chosen) return undefined;
  const uri = instanceUri(chosen.location, chosen.path);
  services.log.child('files').info(`opening ${chosen.path} of ${chosen.location.osUser}@${current.instanceId} (${services.fileSettings().openIn})`);
  // The explorer shows the name as it is: a folder's name from the instance, kept on one plain line.
  await openFolderUri(services, uri, `${oneLine(posix.basename(chosen.path), 80) || '/'} (${instanceLabel(current)})`);
  return uri;
}

/** In a new window, or at the end of this window's workspace (shown in the explorer; not added twice). */
async function openFolderUri(services: Services, uri: UriParts, name: string): Promise<void> {
  if (services.fileSettings().openIn === 'newWindow') {
    await services.ui.openFolder(uri, true);
    return;
  }
  const present = services.ui.workspaceFolders().some((folder) => folder.uri.scheme === uri.scheme && folder.uri.authority === uri.authority && folder.uri.path === uri.path);
  if (!present && !services.ui.addWorkspaceFolder({ uri, name })) {
    await services.ui.showMessage('warning', `The editor did not add ${uri.path} to the workspace. Try Open Folder on Instance… again, or set ec2InstanceConnect.files.openIn to newWindow.`);
    return;
  }
  // Adding a second folder can restart the extension host (a new workspace): showing the explorer is a courtesy.
  await services.ui.executeCommand('workbench.view.explorer').catch(() => undefined);
}
