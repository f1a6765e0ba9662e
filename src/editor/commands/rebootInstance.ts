import type { Ec2Instance } from '../../core/aws/model';
import { cancelled } from '../../core/errors/productError';
import { instanceContext, instanceTitle } from '../failures/instanceFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { reportFailure } from '../failures/reportFailure';
import type { CommandDefinition, Services } from '../services/services';

export const rebootInstance: CommandDefinition = {
  id: 'ec2InstanceConnect.rebootInstance',
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

/** The modal every reboot goes through, the command's and the "Reboot Instance…" action's of a failed connection. */
export async function confirmReboot(services: Services, instance: Ec2Instance): Promise<boolean> {
  const confirmed = await services.ui.showMessage('warning', `Reboot ${instanceTitle(instance)}?`, ['Reboot'], {
    modal: true,
    detail: 'Open sessions end, and the instance is unreachable for a minute or so. Its addresses and data stay.',
  });
  return confirmed === 'Reboot';
}
