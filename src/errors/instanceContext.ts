import type { Ec2Instance } from '../aws/model';
import { describeTarget } from './describe';
import type { FailureContext } from './types';

/** The failure context of an operation on an instance: what describeFailure needs to name it. */
export function instanceContext(
  instance: Pick<Ec2Instance, 'instanceId' | 'name' | 'region' | 'profile' | 'state'>,
  operation: string,
  extra: Partial<FailureContext> = {},
): FailureContext {
  return {
    operation,
    instanceId: instance.instanceId,
    instanceName: instance.name,
    region: instance.region,
    profile: instance.profile,
    instanceState: instance.state,
    ...extra,
  };
}

/** "web (i-0abc…) in us-east-1": how messages name an instance. */
export function describeInstance(instance: Pick<Ec2Instance, 'instanceId' | 'name' | 'region'>): string {
  return describeTarget({ operation: '', instanceId: instance.instanceId, instanceName: instance.name, region: instance.region });
}
