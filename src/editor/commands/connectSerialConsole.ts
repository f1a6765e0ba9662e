import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import { openSerialConsoleTerminal } from '../terminal/serialConsoleTerminal';
import type { CommandDefinition } from './command';

/** Connect to Serial Console: the instance's serial console in a terminal, with a fresh key pushed by EC2 Instance Connect. */
export const connectSerialConsole: CommandDefinition = {
  id: commandIds.connectSerialConsole,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Connect to the serial console of an instance',
      filter: (i) => i.state === 'running' && i.platform === 'linux' && i.serialCapable,
    });
    await openSerialConsoleTerminal(services, instance);
  },
};
