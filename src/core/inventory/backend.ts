import type { AwsClients } from '../aws/clients';
import { describeInstancesById } from '../aws/instances';
import { loadProfiles } from '../aws/loadProfiles';
import type { AwsTarget, Ec2Instance } from '../aws/model';
import type { AwsProfile, Env } from '../aws/profiles';
import { type AccountRegion, describeRegions } from '../aws/regions';
import { EndpointDirectory } from '../eice/endpointDirectory';
import type { InstanceConnectEndpoint } from '../eice/endpoints';
import { describeFailure } from '../errors/describe';
import type { FailureContext } from '../errors/types';
import { listEverywhere, type ListEverywhereOptions } from './listing';

/**
 * What the inventory needs from AWS and the config files. The inventory takes it as a parameter, so it runs
 * without the SDK: against the sandbox in integration tests, against a fake in unit tests.
 */
export interface InventoryBackend {
  readonly env: Env;
  loadProfiles(): Promise<AwsProfile[]>;
  list(targets: readonly AwsTarget[], options: ListEverywhereOptions): Promise<void>;
  describeInstances(target: AwsTarget, instanceIds: readonly string[], abortSignal?: AbortSignal): Promise<Ec2Instance[]>;
  describeRegions(target: AwsTarget, abortSignal?: AbortSignal): Promise<AccountRegion[]>;
  /** The region's usable Instance Connect Endpoints (absent: rows do not say how they are reached through one). */
  describeEndpoints?(target: AwsTarget, abortSignal?: AbortSignal): Promise<InstanceConnectEndpoint[]>;
  /**
   * What a failed call of this backend's says to the user (describeFailure's message, for a region's error row).
   * The backend's, not the inventory's own import: the editor's entry bundle holds the inventory, and the words
   * for every failure load with the core, which any failure has loaded already.
   */
  describeFailure(error: unknown, context: FailureContext): string;
}

/** `endpoints`: the directory Connect reads too, so that what a listing found is not looked up again. */
export function createInventoryBackend(clients: AwsClients, env: Env = process.env, endpoints = new EndpointDirectory(() => clients)): InventoryBackend {
  return {
    env,
    loadProfiles: () => loadProfiles(env),
    list: (targets, options) => listEverywhere(clients, targets, options),
    describeInstances: (target, ids, signal) => describeInstancesById(clients.ec2Client(target), target, ids, signal),
    describeRegions: (target, signal) => describeRegions(clients.ec2Client(target), signal),
    describeEndpoints: (target, signal) => endpoints.list(target, { fresh: true, signal }),
    describeFailure: (error, context) => describeFailure(error, context).message,
  };
}
