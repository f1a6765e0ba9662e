import { forwardArgument } from '../pickers/pickForward';
import { commandIds } from '../services/commandIds';
import { forwardUrl } from '../services/forwardText';
import type { CommandDefinition } from './command';

/**
 * Opens `http://localhost:PORT/` of a forward in a browser, as the editor reaches it: in code-server or a remote
 * window that is the editor's own port proxy, since the forward listens where the extension runs.
 */
export const openForwardInBrowser: CommandDefinition = {
  id: commandIds.openForwardInBrowser,
  run: async (services, arg) => {
    const forward = await forwardArgument(services, arg, { title: 'Open which forwarded port in a browser?', filter: (f) => f.kind === 'ssh' });
    const url = forwardUrl(forward);
    const opened = await services.ui.openInBrowser(url);
    services.log.child('forward').info(`opened ${url}${opened !== url ? ` as ${opened}` : ''}`);
  },
};
