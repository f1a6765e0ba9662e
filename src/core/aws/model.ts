import { oneLine } from '../base/sanitize';

/** What the product knows about an instance: the SDK's Instance, reduced to what the views and commands use. */
export const instanceStates = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] as const;
export type InstanceState = (typeof instanceStates)[number];

export interface Ec2Instance {
  instanceId: string;
  /** The Name tag, untrusted text. */
  name?: string;
  state: InstanceState;
  instanceType: string;
  /** Where it was listed: the profile (undefined = the default credential chain) and region. */
  profile?: string;
  region: string;
  availabilityZone?: string;
  publicIpv4?: string;
  publicIpv6?: string;
  privateIpv4?: string;
  publicDnsName?: string;
  privateDnsName?: string;
  platform: 'linux' | 'windows';
  /** e.g. "Linux/UNIX", "Red Hat Enterprise Linux", "Windows". */
  platformDetails?: string;
  imageId?: string;
  launchTime?: Date;
  vpcId?: string;
  subnetId?: string;
  /** The instance's security groups (ids), undefined when DescribeInstances listed none. */
  securityGroupIds?: string[];
  /** Tags in the order AWS returned them, untrusted text. */
  tags: { key: string; value: string }[];
  /** Nitro-based or bare metal: the EC2 serial console works on it. */
  serialCapable: boolean;
}

/** The credentials and region a call is made with. `profile` undefined = the SDK's default chain (env, AWS_PROFILE, default). */
export interface AwsTarget {
  profile?: string;
  region: string;
}

export const instanceIdPattern = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function isInstanceId(text: string): boolean {
  return instanceIdPattern.test(text);
}

/** How a row or a terminal names an instance: its Name tag (plain, on one line), else its id. */
export function instanceLabel(instance: Pick<Ec2Instance, 'instanceId' | 'name'>): string {
  return (instance.name && oneLine(instance.name)) || instance.instanceId;
}

/** "web-1 (i-0abc…)" or the id: how notifications name an instance. */
export function instanceTitle(instance: Pick<Ec2Instance, 'instanceId' | 'name'>): string {
  const name = instance.name && oneLine(instance.name);
  return name ? `${name} (${instance.instanceId})` : instance.instanceId;
}

let collator: Intl.Collator | undefined;

/**
 * localeCompare's order (the same collator it uses), made once, on the first sort: the first Intl.Collator of a
 * process loads ICU's data (~8 ms), which made at module load was a third of the extension's activation.
 */
function instanceCollator(): Intl.Collator {
  collator ??= new Intl.Collator();
  return collator;
}

/** The one order instances are shown in, in the tree, the picker and `ec2ic list`: by label, then by id. */
export function compareInstances(a: Ec2Instance, b: Ec2Instance): number {
  const { compare } = instanceCollator();
  return compare(instanceLabel(a), instanceLabel(b)) || compare(a.instanceId, b.instanceId);
}

/**
 * Instances in that order, each label made once instead of at every comparison: a label is sanitized text,
 * and sorting a region of 600 instances compared labels ~11,000 times (bench/list.ts).
 */
export function sortInstances(instances: Iterable<Ec2Instance>): Ec2Instance[] {
  const keyed = Array.from(instances, (instance) => ({ instance, label: instanceLabel(instance) }));
  const { compare } = instanceCollator();
  keyed.sort((a, b) => compare(a.label, b.label) || compare(a.instance.instanceId, b.instance.instanceId));
  return keyed.map((k) => k.instance);
}
