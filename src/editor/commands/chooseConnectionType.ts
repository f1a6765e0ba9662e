import { instanceTitle } from '../../core/aws/model';
import { connectionTypeLabels, pickConnectionType } from '../pickers/pickConnectionType';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** Sets how Connect and Remote-SSH reach an instance (remembered per instance, like its OS user). */
export const chooseConnectionType: CommandDefinition = {
  id: commandIds.chooseConnectionType,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Choose how to reach an instance', filter: (i) => i.platform === 'linux' });
    const memory = services.connector().connectionTypes;
    const chosen = await pickConnectionType(services, instance, memory.get(instance.instanceId));
    if (!chosen) return;
    await memory.remember(instance.instanceId, chosen.value);
    // The tree's tooltip says how it is reached: show the new way.
    services.inventory.updateInstance(instance);
    const way = connectionTypeLabels[chosen.value ?? services.settings().connectionType].label;
    const actions = instance.state === 'running' ? ['Connect'] : [];
    const choice = await services.ui.showMessage('info', `${instanceTitle(instance)} is reached with "${way}" from now on.`, actions);
    if (choice === 'Connect') await services.ui.executeCommand(commandIds.connect, instance);
  },
};
