import { forwardArgument } from '../pickers/pickForward';
import { commandIds } from '../services/commandIds';
import { localAddress } from '../services/forwardText';
import type { CommandDefinition } from './command';

/** Copies where a forward is reached on this computer: `localhost:18080`. */
export const copyForwardAddress: CommandDefinition = {
  id: commandIds.copyForwardAddress,
  run: async (services, arg) => {
    const forward = await forwardArgument(services, arg, { title: 'Copy the local address of which forwarded port?' });
    await services.ui.copyToClipboard(localAddress(forward));
  },
};
