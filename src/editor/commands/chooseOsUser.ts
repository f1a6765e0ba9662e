import { instanceTitle } from '../../core/aws/model';
import { instanceArgument } from '../pickers/pickInstance';
import { pickOsUser } from '../pickers/pickOsUser';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** Sets the OS user Connect logs in to an instance as (remembered per instance). */
export const chooseOsUser: CommandDefinition = {
  id: commandIds.chooseOsUser,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Choose the OS user for an instance', filter: (i) => i.platform === 'linux' });
    const users = services.connector().osUsers;
    const user = await pickOsUser(services, instance, users.get(instance.instanceId));
    if (!user) return;
    await users.remember(instance.instanceId, user);
    const actions = instance.state === 'running' ? ['Connect'] : [];
    const choice = await services.ui.showMessage('info', `Connect logs in to ${instanceTitle(instance)} as "${user}" from now on.`, actions);
    if (choice === 'Connect') await services.ui.executeCommand(commandIds.connect, instance);
  },
};
