import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  type EC2Client,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';

import { describeInstancesPage } from './leanDescribeInstances';
import type { AwsTarget, Ec2Instance, InstanceState } from './model';
import { isSerialConsoleCapable } from './nitro';

/** The SDK's Instance, reduced to the product's model. */
export function toEc2Instance(instance: Instance, target: AwsTarget): Ec2Instance {
  const tags = (instance.Tags ?? []).map((tag) => ({ key: tag.Key ?? '', value: tag.Value ?? '' }));
  const ipv6 =
    instance.Ipv6Address ??
    instance.NetworkInterfaces?.flatMap((nic) => nic.Ipv6Addresses ?? []).find((a) => a.Ipv6Address)?.Ipv6Address;
  const instanceType = instance.InstanceType ?? 'unknown';
  const securityGroupIds = (instance.SecurityGroups ?? []).flatMap((group) => group.GroupId || []);
  return {
    instanceId: instance.InstanceId ?? '',
    name: tags.find((tag) => tag.key === 'Name')?.value || undefined,
    state: (instance.State?.Name ?? 'pending') as InstanceState,
    instanceType,
    profile: target.profile,
    region: target.region,
    availabilityZone: instance.Placement?.AvailabilityZone,
    publicIpv4: instance.PublicIpAddress || undefined,
    publicIpv6: ipv6 || undefined,
    privateIpv4: instance.PrivateIpAddress || undefined,
    publicDnsName: instance.PublicDnsName || undefined,
    privateDnsName: instance.PrivateDnsName || undefined,
    platform: instance.Platform?.toLowerCase() === 'windows' ? 'windows' : 'linux',
    platformDetails: instance.PlatformDetails,
    imageId: instance.ImageId,
    launchTime: instance.LaunchTime,
    vpcId: instance.VpcId,
    subnetId: instance.SubnetId,
    securityGroupIds: securityGroupIds.length ? securityGroupIds : undefined,
    tags,
    serialCapable: isSerialConsoleCapable(instanceType),
  };
}

export interface ListOptions {
  filters?: Filter[];
  /**
   * Instances as they are read, so that a view shows them before the last page: the region's first ones as
   * soon as they are in (a few dozen, from the first 64 KB of the first page), then the rest of each page when
   * it ends. A view that sorts what it shows at each call then sorts about once per page, not once per 64 KB.
   */
  onPage?: (instances: Ec2Instance[]) => void;
  abortSignal?: AbortSignal;
  /** Page size, 5..1000. */
  pageSize?: number;
}

/** Every instance in one region, page by page (MaxResults 1000 by default), each page read as it streams in. */
export async function listInstances(client: EC2Client, target: AwsTarget, options: ListOptions = {}): Promise<Ec2Instance[]> {
  const all: Ec2Instance[] = [];
  let pending: Ec2Instance[] = [];
  let shownAny = false;
  const flush = () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    shownAny = true;
    options.onPage?.(batch);
  };
  let nextToken: string | undefined;
  do {
    const input: DescribeInstancesCommandInput = {
      Filters: options.filters,
      MaxResults: options.pageSize ?? 1000,
      NextToken: nextToken,
    };
    const page = await describeInstancesPage(client, input, {
      abortSignal: options.abortSignal,
      onInstances: (instances) => {
        for (const instance of instances) {
          const ec2Instance = toEc2Instance(instance, target);
          all.push(ec2Instance);
          pending.push(ec2Instance);
        }
        if (!shownAny) flush();
      },
    });
    flush();
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/**
 * The instances with these ids that the region still has (refreshing pending or stopping ones).
 * Ids the region no longer knows are left out rather than failing the whole call.
 */
export async function describeInstancesById(
  client: EC2Client,
  target: AwsTarget,
  instanceIds: readonly string[],
  abortSignal?: AbortSignal,
): Promise<Ec2Instance[]> {
  if (instanceIds.length === 0) return [];
  // A filter instead of InstanceIds: an unknown id then drops out instead of failing the others.
  const filters: Filter[] = [{ Name: 'instance-id', Values: [...instanceIds] }];
  return listInstances(client, target, { filters, abortSignal });
}

/** One instance by id, or undefined when the region has no such instance. */
export async function describeInstance(
  client: EC2Client,
  target: AwsTarget,
  instanceId: string,
  abortSignal?: AbortSignal,
): Promise<Ec2Instance | undefined> {
  try {
    const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal });
    const instance = out.Reservations?.flatMap((r) => r.Instances ?? [])[0];
    return instance ? toEc2Instance(instance, target) : undefined;
  } catch (err) {
    if ((err as { name?: string }).name === 'InvalidInstanceID.NotFound') return undefined;
    throw err;
  }
}
