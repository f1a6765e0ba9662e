import type { Ec2Instance } from '../../core/aws/model';
import type { FailureContext } from '../../core/errors/types';
import { connectorFor } from '../services/connector';
import type { Services } from '../services/services';

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

/**
 * The instance as EC2 describes it now, and shown so in the view: when the service says it is not running
 * though its row says it is, so that the notification offers Start only for a stopped one.
 * Undefined when it cannot be described (the failure is then shown as it is).
 */
export async function describedAgain(services: Services, instance: Ec2Instance): Promise<Ec2Instance | undefined> {
  const now = await connectorFor(services)
    .resolveInstance(instance, true)
    .catch(() => undefined);
  if (now) services.explorer?.updateInstance(now);
  return now;
}
