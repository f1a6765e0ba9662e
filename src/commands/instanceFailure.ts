import type { Ec2Instance } from '../aws/model';
import type { FailureContext } from '../errors/types';

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

/** "web-1 (i-0abc…)" or the id: how notifications name an instance. The name is shown as plain text. */
export function instanceTitle(instance: Ec2Instance): string {
  return instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId;
}

export function isAbort(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'AbortError';
}
