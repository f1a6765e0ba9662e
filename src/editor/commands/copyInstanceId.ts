import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const copyInstanceId: CommandDefinition = {
  id: commandIds.copyInstanceId,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Copy the id of an instance' });
    await services.ui.copyToClipboard(instance.instanceId);
  },
};
