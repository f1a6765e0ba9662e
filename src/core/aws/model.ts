/** What the product knows about an instance: the SDK's Instance, reduced to what the views and commands use. */
export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

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
