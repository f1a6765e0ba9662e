import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import type { FailureContext } from '../../core/errors/types';
import type { FilesLocation } from '../../core/files/location';
import type { Services } from '../services/services';

/** The instance of a location as the view last listed it (its Name), if it did. */
export function knownInstance(services: Services, location: FilesLocation): Ec2Instance | undefined {
  return services.inventory
    .instances()
    .find((i) => i.instanceId === location.instanceId && i.region === location.region && (i.profile ?? undefined) === (location.profile ?? undefined));
}

/** "web-1 (i-0abc…)", or the id when the view has not listed it. */
export function locationTitle(services: Services, location: FilesLocation): string {
  return instanceTitle(knownInstance(services, location) ?? { instanceId: location.instanceId });
}

/** The failure context of an operation on a location's files: the messages name the instance, its region, profile and user. */
export function locationContext(services: Services, location: FilesLocation, operation: string): FailureContext {
  const instance = knownInstance(services, location);
  return {
    operation,
    instanceId: location.instanceId,
    instanceName: instance?.name,
    region: location.region,
    profile: location.profile,
    osUser: location.osUser,
    instanceState: instance?.state,
  };
}
