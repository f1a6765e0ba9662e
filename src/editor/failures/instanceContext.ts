import type { Ec2Instance } from '../../core/aws/model';
import type { FailureContext } from '../../core/errors/types';

/** The failure context for an operation on an instance: every message names it, its region and profile. */
export function instanceContext(instance: Ec2Instance, operation: string): FailureContext {
  return {
    operation,
    instanceId: instance.instanceId,
    instanceName: instance.name,
    region: instance.region,
    profile: instance.profile,
    instanceState: instance.state,
  };
}
