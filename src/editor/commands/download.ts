import { access } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

import { isInstanceUri, locationOf, remotePath } from '../files/fileUri';
import { locationContext, locationTitle } from '../files/locationContext';
import { reportFileFailure } from '../files/reportFileFailure';
import { instanceResources } from '../files/resourceArgument';
import { downloadTree, localName } from '../files/transfers';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { UriParts } from '../services/ui';
import type { CommandDefinition } from './command';

const directoryBit = 2;

/**
 * Download…: files and folders of an instance (the explorer's selection, or the active editor's file) to this
 * computer, streamed by SFTP (nothing is held whole in memory), folders with everything in them.
 */
export const download: CommandDefinition = {
  id: commandIds.download,
  run: async (services, arg, selected) => {
    let resources = instanceResources(arg, selected);
    const active = services.ui.activeDocument();
    if (!resources.length && isInstanceUri(active)) resources = [active];
    if (!resources.length) {
      await services.ui.showMessage('info', 'Download… copies files and folders of an instance to this computer: right-click them in the explorer.');
      return;
    }
    await downloadResources(services, resources);
  },
};

/** Asks where (a save dialog for one file, a folder for the rest), then downloads with progress. */
export async function downloadResources(services: Services, resources: UriParts[]): Promise<void> {
  const location = locationOf(resources[0]);
  const title = locationTitle(services, location);
  const paths = resources.map((uri) => remotePath(uri.path));
  const what = paths.length === 1 ? `download ${paths[0]} from ${title}` : `download ${paths.length} items from ${title}`;
  const remote = services.files().at(location);
  try {
    const first = paths.length === 1 ? await remote.stat(paths[0]) : undefined;
    let targets: string[];
    if (first && !(first.type & directoryBit)) {
      const file = await services.ui.chooseSaveFile({ title: `Download ${paths[0]} from ${title}`, defaultName: localName(posix.basename(paths[0])) });
      if (!file) return;
      targets = [file];
    } else {
      const chosen = await services.ui.chooseLocal({ title: `Download ${paths.length === 1 ? paths[0] : `${paths.length} items`} from ${title} into…`, openLabel: 'Download Here', folder: true });
      if (!chosen?.length) return;
      targets = paths.map((path) => join(chosen[0], localName(posix.basename(path) || 'root')));
      const taken = (await Promise.all(targets.map(async (target) => ((await exists(target)) ? target : undefined)))).filter((t) => t !== undefined);
      if (taken.length) {
        await services.ui.showMessage('warning', `Nothing was downloaded: ${taken.join(', ')} already ${taken.length === 1 ? 'exists' : 'exist'} on this computer. Choose another folder, or move ${taken.length === 1 ? 'it' : 'them'} away first.`);
        return;
      }
    }
    const results = await services.ui.withProgress(`Downloading from ${title}…`, async (signal, report) => {
      const all = [];
      for (const [index, path] of paths.entries()) all.push(await downloadTree(remote, path, targets[index], { signal, report }));
      return all;
    });
    const files = results.reduce((sum, r) => sum + r.files, 0);
    const skipped = results.flatMap((r) => r.skipped);
    const where = targets.length === 1 ? targets[0] : dirname(targets[0]);
    const note = skipped.length ? ` Left out (links to folders, sockets, devices): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}.` : '';
    await services.ui.showMessage('info', `Downloaded ${files} ${files === 1 ? 'file' : 'files'} from ${title} to ${where}.${note}`);
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') return;
    await reportFileFailure(services, err, locationContext(services, location, 'download'), what, { retry: () => downloadResources(services, resources) });
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
