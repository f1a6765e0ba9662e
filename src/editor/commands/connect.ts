import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import { openConnectTerminal } from '../terminal/connectTerminal';
import type { CommandDefinition } from './command';

/** Connect: a shell on the instance in a terminal, with a fresh key pushed by EC2 Instance Connect. */
export const connect: CommandDefinition = {
  id: commandIds.connect,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Connect to an instance',
      filter: (i) => i.state === 'running' && i.platform === 'linux',
    });
    await openConnectTerminal(services, instance);
  },
};
