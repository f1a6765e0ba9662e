import { basename, posix } from 'node:path';

import { isRemoteFileError } from '../../core/files/fileErrors';
import { locationOf, remotePath } from '../files/fileUri';
import { locationContext, locationTitle } from '../files/locationContext';
import { reportFileFailure } from '../files/reportFileFailure';
import { instanceFolderArgument } from '../files/resourceArgument';
import { uploadFiles } from '../files/transfers';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { UriParts } from '../services/ui';
import type { CommandDefinition } from './command';

const replace = 'Replace';

/**
 * Upload…: files of this computer into a folder of an instance, each streamed by SFTP (dropping files on the
 * explorer works too, but VS Code hands a provider each file whole). Files already there are replaced only
 * after a confirmation that names them.
 */
export const upload: CommandDefinition = {
  id: commandIds.upload,
  run: async (services, arg) => {
    const folder = await instanceFolderArgument(services, arg, 'upload to');
    await uploadInto(services, folder);
  },
};

export async function uploadInto(services: Services, folder: UriParts, chosen?: string[]): Promise<void> {
  const location = locationOf(folder);
  const path = remotePath(folder.path);
  const title = locationTitle(services, location);
  const locals = chosen ?? (await services.ui.chooseLocal({ title: `Upload files to ${path} on ${title}`, openLabel: 'Upload', folder: false }));
  if (!locals?.length) return;
  const remote = services.files().at(location);
  try {
    const present = await Promise.all(
      locals.map((local) =>
        remote.stat(posix.join(path, basename(local))).then(
          () => true,
          (err: unknown) => {
            if (isRemoteFileError(err, 'FileNotFound')) return false;
            throw err;
          },
        ),
      ),
    );
    const existing = locals.filter((_, index) => present[index]).map((local) => basename(local));
    if (existing.length) {
      const choice = await services.ui.showMessage('warning', `Replace ${existing.length === 1 ? existing[0] : `${existing.length} files`} in ${path} on ${title}?`, [replace], {
        modal: true,
        detail: `Already there: ${existing.join(', ')}. Uploading replaces ${existing.length === 1 ? 'it' : 'them'}.`,
      });
      if (choice !== replace) return;
    }
    const uploaded = await services.ui.withProgress(`Uploading to ${path} on ${title}…`, (signal, report) => uploadFiles(remote, locals, path, { signal, report }));
    services.fileSystem?.didChange(
      uploaded.map((target, index) => ({ type: present[index] ? 'changed' : 'created', uri: { ...folder, path: target } })),
    );
    services.log.child('files').info(`uploaded ${uploaded.length} files to ${path} on ${location.instanceId}`);
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') return;
    await reportFileFailure(services, err, locationContext(services, location, 'upload'), `upload to ${path} on ${title}`, { retry: () => uploadInto(services, folder, locals) });
  }
}
