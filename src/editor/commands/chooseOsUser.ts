import { connectorFor } from '../services/connector';
import { instanceTitle } from '../failures/instanceFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { pickOsUser } from '../pickers/pickOsUser';
import type { CommandDefinition } from '../services/services';

/** Sets the OS user Connect logs in to an instance as (remembered per instance). */
export const chooseOsUser: CommandDefinition = {
  id: 'ec2InstanceConnect.chooseOsUser',
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Choose the OS user for an instance', filter: (i) => i.platform === 'linux' });
    const users = connectorFor(services).osUsers;
    const user = await pickOsUser(services, instance, users.get(instance.instanceId));
    if (!user) return;
    await users.remember(instance.instanceId, user);
    const actions = instance.state === 'running' ? ['Connect'] : [];
    const choice = await services.ui.showMessage('info', `Connect logs in to ${instanceTitle(instance)} as "${user}" from now on.`, actions);
    if (choice === 'Connect') await services.ui.executeCommand('ec2InstanceConnect.connect', instance);
  },
};
