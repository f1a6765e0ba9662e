import type { Ec2Instance } from '../../core/aws/model';
import type { Services } from '../services/services';

/**
 * The instance as EC2 describes it now, and shown so everywhere: when the service says it is not running
 * though its row says it is, so that the notification offers Start only for a stopped one.
 * Undefined when it cannot be described (the failure is then shown as it is).
 */
export async function describedAgain(services: Services, instance: Ec2Instance): Promise<Ec2Instance | undefined> {
  const now = await services
    .connector()
    .resolveInstance(instance, true)
    .catch(() => undefined);
  if (now) services.inventory.updateInstance(now);
  return now;
}
