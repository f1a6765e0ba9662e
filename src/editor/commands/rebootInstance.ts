import { instanceTitle } from '../../core/aws/model';
import { cancelled } from '../../core/errors/productError';
import { confirmReboot } from '../actions/confirmReboot';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const rebootInstance: CommandDefinition = {
  id: commandIds.rebootInstance,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Reboot an instance', filter: (i) => i.state === 'running' });
    if (!(await confirmReboot(services, instance))) throw cancelled();
    try {
      await services.core().rebootInstance(services.aws().ec2Client(instance), instance.instanceId);
    } catch (err) {
      await reportFailure(services, err, instanceContext(instance, 'RebootInstances'));
      return;
    }
    await services.ui.showMessage('info', `Reboot requested for ${instanceTitle(instance)}. It will be back in a minute or so.`);
  },
};
