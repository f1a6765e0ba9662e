import type { AwsClients } from '../aws/clients';
import type { AwsTarget, Ec2Instance } from '../aws/model';
import { untilAborted } from '../base/abort';
import { oneLine } from '../base/sanitize';
import { instanceDescription } from '../errors/activity';
import { ProductError } from '../errors/productError';
import { describeUsableEndpoints, type InstanceConnectEndpoint } from './endpoints';
import { pickEndpoint } from './pickEndpoint';

/** How long a lookup is trusted: endpoints are created and deleted in minutes, and a failed tunnel looks again. */
const defaultTtlMs = 5 * 60_000;

type Placed = Pick<Ec2Instance, 'instanceId' | 'name' | 'region' | 'profile' | 'vpcId' | 'subnetId'>;

/**
 * The usable Instance Connect Endpoints of each (profile, region), looked up with one
 * DescribeInstanceConnectEndpoints (all pages) and shared: a listing fills it for every row of a region,
 * and Connect, Remote-SSH and the tooltip read it. A lookup runs without any one caller's signal, so that
 * closing one terminal does not cancel it for another; a failure is not kept.
 */
export class EndpointDirectory {
  private readonly lookups = new Map<string, { at: number; endpoints: Promise<InstanceConnectEndpoint[]> }>();

  constructor(
    private readonly aws: () => AwsClients,
    private readonly ttlMs = defaultTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** The region's usable endpoints; `fresh` looks again (a new listing, a tunnel that failed). */
  list(target: AwsTarget, options: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<InstanceConnectEndpoint[]> {
    const key = keyOf(target);
    const cached = this.lookups.get(key);
    if (cached && !options.fresh && this.now() - cached.at < this.ttlMs) return untilAborted(cached.endpoints, options.signal);
    const endpoints = describeUsableEndpoints(this.aws().ec2Client(target), target.region, {});
    const entry = { at: this.now(), endpoints };
    this.lookups.set(key, entry);
    endpoints.catch(() => {
      if (this.lookups.get(key) === entry) this.lookups.delete(key);
    });
    return untilAborted(endpoints, options.signal);
  }

  /**
   * The endpoint that reaches an instance: the one named (it must exist and be usable), else AWS CLI v2's
   * choice (its subnet's, else its VPC's). Throws `noEndpoint`, with the VPC and subnet, when there is none.
   */
  async forInstance(instance: Placed, options: { endpointId?: string; fresh?: boolean; signal?: AbortSignal } = {}): Promise<InstanceConnectEndpoint> {
    const id = options.endpointId;
    if (id !== undefined && !/^eice-[0-9a-f]{8,17}$/.test(id)) {
      throw new ProductError('badInput', `"${oneLine(id, 60)}" is not an EC2 Instance Connect Endpoint id. Endpoint ids look like eice-0123456789abcdef0.`, { endpointId: id });
    }
    const endpoints = await this.list({ profile: instance.profile, region: instance.region }, options);
    if (id) {
      const named = endpoints.find((e) => e.id === id);
      if (named) return named;
      throw new ProductError(
        'badInput',
        `There is no available EC2 Instance Connect Endpoint ${id} in ${instance.region}: it does not exist there, is being created or deleted, or belongs to another account.`,
        { endpointId: id, instanceId: instance.instanceId },
      );
    }
    const chosen = pickEndpoint(endpoints, instance);
    if (chosen) return chosen;
    throw noEndpoint(instance);
  }

  /** Forgets one region's lookup (a tunnel through one of its endpoints failed: it may be gone). */
  forget(target: AwsTarget): void {
    this.lookups.delete(keyOf(target));
  }

  /** Forgets every lookup (credentials or settings changed, an endpoint was created). */
  clear(): void {
    this.lookups.clear();
  }
}

function keyOf(target: AwsTarget): string {
  return `${target.profile ?? ''}\u0000${target.region}`;
}

export function noEndpoint(instance: Placed): ProductError {
  const vpc = instance.vpcId ?? 'its VPC';
  return new ProductError(
    'noEndpoint',
    `${instanceDescription(instance)} has no public address and there is no EC2 Instance Connect Endpoint in ${vpc}. ` +
      'Create one in its subnet (Create Instance Connect Endpoint…), or, if this computer can reach the VPC (VPN, Direct Connect), connect straight to its private address (Choose Connection Type…, or the setting ec2InstanceConnect.connectionType: "privateAddress").',
    { instanceId: instance.instanceId, vpcId: instance.vpcId, subnetId: instance.subnetId, region: instance.region },
  );
}
