import { instanceArgument } from '../pickers/pickInstance';
import type { CommandDefinition } from '../services/services';

export const copyInstanceId: CommandDefinition = {
  id: 'ec2InstanceConnect.copyInstanceId',
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Copy the id of an instance' });
    await services.ui.copyToClipboard(instance.instanceId);
  },
};
