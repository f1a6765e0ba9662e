import { instanceTitle } from '../../core/aws/model';
import { cancelled } from '../../core/errors/productError';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const stopInstance: CommandDefinition = {
  id: commandIds.stopInstance,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Stop an instance',
      filter: (i) => i.state === 'running' || i.state === 'pending',
    });
    const confirmed = await services.ui.showMessage('warning', `Stop ${instanceTitle(instance)}?`, ['Stop'], {
      modal: true,
      detail:
        'Open sessions end. Data on instance store volumes is lost, and the public IPv4 address changes when it starts again (unless it has an Elastic IP).',
    });
    if (confirmed !== 'Stop') throw cancelled();
    try {
      await services.core().stopInstance(services.aws().ec2Client(instance), instance.instanceId);
    } catch (err) {
      await reportFailure(services, err, instanceContext(instance, 'StopInstances'));
      return;
    }
    services.log.child('explorer').info(`stop requested for ${instance.instanceId} in ${instance.region}`);
    // Shown stopping everywhere at once; the view polls it from there.
    services.inventory.updateInstance({ ...instance, state: 'stopping' });
  },
};
