import type { Ec2Instance } from '../aws/model';
import { describeTarget } from './describe';

/** "web (i-0abc…) in us-east-1": how the core's messages name an instance, as failure descriptions do. */
export function instanceDescription(instance: Pick<Ec2Instance, 'instanceId' | 'name' | 'region'>): string {
  return describeTarget({ operation: '', instanceId: instance.instanceId, instanceName: instance.name, region: instance.region });
}
