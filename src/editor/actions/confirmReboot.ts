import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import type { Services } from '../services/services';

/** The modal every reboot goes through, the command's and the "Reboot Instance…" action's of a failed connection. */
export async function confirmReboot(services: Services, instance: Ec2Instance): Promise<boolean> {
  const confirmed = await services.ui.showMessage('warning', `Reboot ${instanceTitle(instance)}?`, ['Reboot'], {
    modal: true,
    detail: 'Open sessions end, and the instance is unreachable for a minute or so. Its addresses and data stay.',
  });
  return confirmed === 'Reboot';
}
