import { posix } from 'node:path';

import { oneLine } from '../../core/base/sanitize';
import { type FoundLine, maxFindResults } from '../../core/files/instanceCommands';
import { connectRequest } from '../../core/files/instanceFiles';
import { locationOf, remotePath } from '../files/fileUri';
import { locationContext, locationTitle } from '../files/locationContext';
import { reportFileFailure } from '../files/reportFileFailure';
import { instanceFolderArgument } from '../files/resourceArgument';
import { inert } from '../pickers/instancePickItems';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { PickItem, UriParts } from '../services/ui';
import type { CommandDefinition } from './command';

/**
 * Find in Folder on Instance…: VS Code's search needs proposed APIs for a file system like this one, so the
 * search runs on the instance instead (`rg` where it is installed, else `grep -r`, on an exec channel of the
 * shared connection), and the matches are a quick pick that opens the file at the line.
 */
export const findInFolder: CommandDefinition = {
  id: commandIds.findInFolder,
  run: async (services, arg) => {
    const folder = await instanceFolderArgument(services, arg, 'search');
    const location = locationOf(folder);
    const text = await services.ui.input({
      title: `Find in ${remotePath(folder.path)} on ${locationTitle(services, location)}`,
      prompt: 'The text to find, as it is written (all lower case finds any case)',
      validate: (value) => (value ? undefined : 'Type the text to find.'),
    });
    if (!text) return;
    await findText(services, folder, text);
  },
};

export async function findText(services: Services, folder: UriParts, text: string): Promise<void> {
  const location = locationOf(folder);
  const path = remotePath(folder.path);
  const title = locationTitle(services, location);
  const shown = oneLine(text, 60);
  let found: FoundLine[];
  try {
    found = await services.ui.withProgress(`Searching ${path} on ${title} for "${shown}"…`, async () => {
      const core = services.core();
      const result = await core.runOnInstance(services.pool(), connectRequest(location), core.findCommand(path, text));
      return core.parseFindOutput(result.stdout.toString('utf8'));
    });
  } catch (err) {
    await reportFileFailure(services, err, locationContext(services, location, 'findInFolder'), `search ${path} on ${title}`, { retry: () => findText(services, folder, text) });
    return;
  }
  if (found.length === 0) {
    await services.ui.showMessage('info', `No line in ${path} on ${title} contains "${shown}".`);
    return;
  }
  // Names and lines come from the instance: plain text, and no $(icon) syntax in labels.
  const items: PickItem<FoundLine>[] = found.map((match) => ({
    label: `${inert(posix.relative(path, match.path) || posix.basename(match.path))}:${match.line}`,
    detail: inert(oneLine(match.text, 200)),
    value: match,
  }));
  const count = found.length >= maxFindResults ? `The first ${maxFindResults} matches` : `${found.length} ${found.length === 1 ? 'match' : 'matches'}`;
  const chosen = await services.ui.pick(items, { title: `${count} for "${shown}" in ${path} on ${title}`, placeholder: 'Type to filter; Enter opens the file at the line' });
  if (!chosen) return;
  await services.ui.openDocument({ ...folder, path: chosen.path }, chosen.line);
}
