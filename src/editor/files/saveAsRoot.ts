import { describeThrown } from '../../core/base/log';
import { connectRequest } from '../../core/files/instanceFiles';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { UriParts } from '../services/ui';
import { locationOf, remotePath, uriKey } from './fileUri';
import { locationContext, locationTitle } from './locationContext';
import { reportFileFailure } from './reportFileFailure';

export const saveAsRootTitle = 'Save as Root…';

/** Files whose offer is showing: a second refused save (auto save) does not stack another. */
const offering = new Set<string>();

/**
 * A save the instance refused for permissions: when the user may run sudo without a password (`sudo -n true`),
 * a notification offers Save as Root…; otherwise VS Code's own error is all there is to say.
 */
export async function offerSaveAsRoot(services: Services, uri: UriParts): Promise<void> {
  const key = uriKey(uri);
  if (offering.has(key)) return;
  offering.add(key);
  try {
    const location = locationOf(uri);
    const path = remotePath(uri.path);
    const log = services.log.child('files');
    if (!(await services.core().canSudo(services.pool(), connectRequest(location)))) {
      log.info(`${location.osUser} may not write ${path} on ${location.instanceId}, and cannot sudo without a password: Save as Root is not offered`);
      return;
    }
    const choice = await services.ui.showMessage(
      'warning',
      `${location.osUser} may not write ${path} on ${locationTitle(services, location)}. Save it as root instead (with sudo)?`,
      [saveAsRootTitle],
    );
    if (choice === saveAsRootTitle) await services.ui.executeCommand(commandIds.saveAsRoot, uri);
  } catch (err) {
    services.log.child('files').warn(`could not check whether Save as Root is possible for ${uri.path}: ${describeThrown(err)}`);
  } finally {
    offering.delete(key);
  }
}

/**
 * Save as Root…: the document's text written through `sudo tee` on the instance's shared connection (which keeps
 * the file's mode and owner), then the editor reverted to the file, so that it is clean and shows what was written.
 */
export async function saveDocumentAsRoot(services: Services, uri: UriParts): Promise<void> {
  const location = locationOf(uri);
  const path = remotePath(uri.path);
  const title = locationTitle(services, location);
  const text = services.ui.documentText(uri);
  if (text === undefined) {
    await services.ui.showMessage('warning', `${path} on ${title} is not open in an editor: open it, then Save as Root… saves what the editor shows.`);
    return;
  }
  const core = services.core();
  const pool = services.pool();
  const request = connectRequest(location);
  let saved: boolean;
  try {
    saved = await services.ui.withProgress(`Saving ${path} on ${title} as root…`, async () => {
      if (!(await core.canSudo(pool, request))) return false;
      await core.writeAsRoot(pool, request, path, Buffer.from(text, 'utf8'));
      return true;
    });
  } catch (err) {
    await reportFileFailure(services, err, locationContext(services, location, 'saveAsRoot'), `save ${path} on ${title} as root`, {
      retry: () => saveDocumentAsRoot(services, uri),
    });
    return;
  }
  if (!saved) {
    await services.ui.showMessage(
      'warning',
      `${path} was not saved: ${location.osUser} cannot run sudo on ${title} without a password, which Save as Root… needs (it runs sudo -n, which never asks).`,
    );
    return;
  }
  services.log.child('files').info(`${path} on ${location.instanceId} saved as root`);
  services.fileSystem?.didChange([{ type: 'changed', uri }]);
  await services.ui.revertDocument(uri);
}
